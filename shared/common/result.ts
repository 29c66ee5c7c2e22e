import { IDL } from '@dfinity/candid';

/** The Candid `variant { Ok: T; Err: E }` every fallible DeFlow method returns. */
export type Result<T, E> = { Ok: T } | { Err: E };

/** Builds the IDL of `variant { Ok: ok; Err: err }`. */
export function resultIdl(ok: IDL.Type, err: IDL.Type): IDL.VariantClass {
    return IDL.Variant({ Ok: ok, Err: err });
}

export function ok<T>(value: T): { Ok: T } {
    return { Ok: value };
}

export function err<E>(error: E): { Err: E } {
    return { Err: error };
}

export function isOk<T, E>(result: Result<T, E>): result is { Ok: T } {
    return 'Ok' in result;
}

/** Ends an exhaustive `switch`: the compiler proves it unreachable, a trap reports a broken invariant. */
export function assertNever(value: never, what = 'value'): never {
    throw new Error(`unexpected ${what}: ${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
}
