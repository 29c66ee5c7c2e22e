/**
 * Cycles over time: each canister's reported balance, kept as one point per time bucket (the
 * last report in it) over a span, in a ring of fixed capacity per canister, so the monitor's
 * storage stays bounded however long it runs and however often peers report.
 */
import type { Principal } from '@dfinity/principal';

import type { CyclesPoint } from '../../../../shared/monitoring/history';

export type CanisterCycles = { canister: Principal; points: CyclesPoint[] };
export type CyclesHistory = { span_ns: bigint; bucket_ns: bigint; canisters: CanisterCycles[] };

const HOUR = 3_600_000_000_000n;

/** The executions window's shape (24 h in 15 min buckets), so both plots share one time axis. */
export function emptyCyclesHistory(span_ns: bigint = 24n * HOUR, bucket_ns: bigint = HOUR / 4n): CyclesHistory {
    return { span_ns, bucket_ns, canisters: [] };
}

/** Points per canister at most: every bucket of the span, plus the one in progress. */
export function historyCapacity(history: CyclesHistory): number {
    return Number(history.span_ns / history.bucket_ns) + 1;
}

/**
 * Records `cycles` reported by `canister` at `at`: replaces the point of the same bucket, else
 * appends one; drops points older than the span and the oldest past the capacity (a report
 * older than the last point is ignored: reports arrive in order, a late one adds nothing).
 *
 * @example
 * recordCycles(h, orchestrator, now, 4_900_000_000_000n).canisters[0].points.length <= historyCapacity(h)
 */
export function recordCycles(history: CyclesHistory, canister: Principal, at: bigint, cycles: bigint): CyclesHistory {
    const bucket = (t: bigint): bigint => t - (t % history.bucket_ns);
    const index = history.canisters.findIndex((c) => c.canister.toText() === canister.toText());
    const points = index === -1 ? [] : [...history.canisters[index]!.points];
    const last = points[points.length - 1];
    if (last !== undefined && at < last.at) return history;
    if (last !== undefined && bucket(last.at) === bucket(at)) points[points.length - 1] = { at, cycles };
    else points.push({ at, cycles });
    const horizon = at - history.span_ns;
    const kept = points.filter((p) => p.at > horizon).slice(-historyCapacity(history));
    const entry = { canister, points: kept };
    const canisters = index === -1 ? [...history.canisters, entry] : history.canisters.map((c, i) => (i === index ? entry : c));
    return { ...history, canisters };
}

/** The points of `canister` still inside the span at `now`, oldest first. */
export function cyclesOf(history: CyclesHistory, canister: Principal, now: bigint): CyclesPoint[] {
    const horizon = now - history.span_ns;
    return history.canisters.find((c) => c.canister.toText() === canister.toText())?.points.filter((p) => p.at > horizon) ?? [];
}
