import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

/**
 * A Candid type paired with the TypeScript type of its values.
 *
 * `@dfinity/candid`'s `IDL.Record`/`IDL.Variant` are typed `Record<string, any>`, so a wire type
 * written by hand beside an IDL could drift from it unnoticed. Building the IDL through these
 * combinators derives the wire type from the same expression: change a field and both move.
 *
 * @example
 * const PointWire = w.record({ x: w.nat64, label: w.opt(w.text) });
 * type Point = WireOf<typeof PointWire>; // { x: bigint; label: [] | [string] }
 * IDL.encode([PointWire.idl], [{ x: 1n, label: [] }]);
 */
export interface Wire<T> {
    readonly idl: IDL.Type;
    /** Phantom: never set at run time, carries `T` for {@link WireOf}. */
    readonly __wire?: T;
}

/** The TypeScript type of the Candid values of a {@link Wire}. */
export type WireOf<C> = C extends Wire<infer T> ? T : never;

type Fields = Record<string, Wire<unknown>>;

function wire<T>(idl: IDL.Type): Wire<T> {
    return { idl };
}

/**
 * Typed Candid combinators. Number widths follow `@dfinity/candid`'s decoder: `nat8`..`nat32`
 * decode to `number`, `nat64`/`nat` to `bigint`, `vec nat8` to `Uint8Array`.
 */
export const w = {
    text: wire<string>(IDL.Text),
    bool: wire<boolean>(IDL.Bool),
    null: wire<null>(IDL.Null),
    nat8: wire<number>(IDL.Nat8),
    nat32: wire<number>(IDL.Nat32),
    nat64: wire<bigint>(IDL.Nat64),
    nat: wire<bigint>(IDL.Nat),
    float64: wire<number>(IDL.Float64),
    principal: wire<Principal>(IDL.Principal),
    blob: wire<Uint8Array>(IDL.Vec(IDL.Nat8)),
    opt<T>(inner: Wire<T>): Wire<[] | [T]> {
        return wire(IDL.Opt(inner.idl));
    },
    vec<T>(inner: Wire<T>): Wire<T[]> {
        return wire(IDL.Vec(inner.idl));
    },
    record<F extends Fields>(fields: F): Wire<{ [K in keyof F]: WireOf<F[K]> }> {
        return wire(IDL.Record(idlFields(fields)));
    },
    /** `variant { A: ta; B: tb }` as the union `{ A: ta } | { B: tb }`. */
    variant<F extends Fields>(fields: F): Wire<{ [K in keyof F]: { [P in K]: WireOf<F[K]> } }[keyof F]> {
        return wire(IDL.Variant(idlFields(fields)));
    },
    /** Wraps an existing untyped IDL (e.g. from `shared/common`) with its hand-written type. */
    from<T>(idl: IDL.Type): Wire<T> {
        return wire(idl);
    }
};

function idlFields(fields: Fields): Record<string, IDL.Type> {
    const out: Record<string, IDL.Type> = {};
    for (const [name, f] of Object.entries(fields)) out[name] = f.idl;
    return out;
}

/** Candid `opt` to `undefined`-able, and back. */
export function fromOpt<T>(o: [] | [T]): T | undefined {
    return o.length === 0 ? undefined : o[0];
}

export function toOpt<T>(v: T | undefined): [] | [T] {
    return v === undefined ? [] : [v];
}

/** The single tag of a Candid variant value. */
export function tagOf<V extends object>(v: V): keyof V & string {
    const keys = Object.keys(v);
    if (keys.length !== 1) throw new Error(`variant value must have exactly one tag, got ${keys.length}`);
    return keys[0] as keyof V & string;
}
