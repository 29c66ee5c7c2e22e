/**
 * The replica's stop timeout: a `stop_canister` request that cannot complete (the canister
 * still has open call contexts) is rejected once it has waited
 * `stop_canister_timeout_duration` (5 minutes) of subnet time, with `SysTransient` and
 * `StopCanisterRequestTimeout` (IC0206), "Stop canister request timed out". The canister
 * stays Stopping: its calls still finish, and it stops then with nobody left to answer, unless
 * a `start_canister` makes it run again (dfinity/ic rs/execution_environment,
 * `ExecutionEnvironment::process_stopping_canisters`; rs/config `stop_canister_timeout_duration`).
 */

/** How long a stop request waits for a canister's call contexts to close (ns). */
export const STOP_CANISTER_TIMEOUT_NS = 5n * 60n * 1_000_000_000n;

/** A stop request of the round it arrived in (`requestedAt`, ns). */
export type TimedStop = { requestedAt: bigint };

/**
 * Splits pending stop requests into those whose wait is over at `now` (waited at least
 * `timeoutNs`) and those still waiting, each in arrival order.
 *
 * @example
 * expiredStops([{ requestedAt: 0n }], STOP_CANISTER_TIMEOUT_NS) // { expired: [{ requestedAt: 0n }], waiting: [] }
 */
export function expiredStops<T extends TimedStop>(pending: readonly T[], now: bigint, timeoutNs: bigint = STOP_CANISTER_TIMEOUT_NS): { expired: T[]; waiting: T[] } {
    const expired: T[] = [];
    const waiting: T[] = [];
    for (const stop of pending) (now - stop.requestedAt >= timeoutNs ? expired : waiting).push(stop);
    return { expired, waiting };
}
