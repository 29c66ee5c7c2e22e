/** Result handling for drill code: an `Err` from a canister is a drill failure naming the error. */

/** A drill step whose canister answered an `Err` it should not have. */
export class DrillCallError extends Error {
    readonly kind = 'DrillCallError';
    constructor(readonly errorTag: string, readonly detail: string) {
        super(`expected Ok, got Err ${errorTag}: ${detail}`);
    }
}

/** JSON with bigints as decimal strings (canister records hold nat64). */
export function jsonText(value: unknown): string {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/**
 * The `Ok` of a Candid result, or a {@link DrillCallError} with the error's tag.
 *
 * @example
 * const workflow = unwrapOk(await orchestrator.create_workflow(def));
 */
export function unwrapOk<T, E extends object>(result: { Ok: T } | { Err: E }): T {
    if ('Ok' in result) return result.Ok;
    throw new DrillCallError(Object.keys(result.Err)[0] ?? 'unknown', jsonText(result.Err));
}
