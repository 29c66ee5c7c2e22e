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
 * Records `cycles` reported by `canister` at `at` as the point of `at`'s bucket (labelled with
 * the bucket's start, as the executions window's buckets are): replaces the value of the same
 * bucket, else appends a point; drops buckets that ended before the span and the oldest past the
 * capacity (a report for a bucket before the last one is ignored: reports arrive in order).
 *
 * @example
 * recordCycles(h, orchestrator, now, 4_900_000_000_000n).canisters[0].points.length <= historyCapacity(h)
 */
export function recordCycles(history: CyclesHistory, canister: Principal, at: bigint, cycles: bigint): CyclesHistory {
    const start = at - (at % history.bucket_ns);
    const index = history.canisters.findIndex((c) => c.canister.toText() === canister.toText());
    const points = index === -1 ? [] : [...history.canisters[index]!.points];
    const last = points[points.length - 1];
    if (last !== undefined && start < last.start) return history;
    if (last !== undefined && last.start === start) points[points.length - 1] = { start, cycles };
    else points.push({ start, cycles });
    const kept = points.filter((p) => isLive(history, p, at)).slice(-historyCapacity(history));
    const entry = { canister, points: kept };
    const canisters = index === -1 ? [...history.canisters, entry] : history.canisters.map((c, i) => (i === index ? entry : c));
    return { ...history, canisters };
}

/** Whether a point's bucket still ends inside the span at `now` (as the executions window prunes). */
function isLive(history: CyclesHistory, point: CyclesPoint, now: bigint): boolean {
    return point.start + history.bucket_ns > now - history.span_ns;
}

/** The points of `canister` still inside the span at `now`, oldest first. */
export function cyclesOf(history: CyclesHistory, canister: Principal, now: bigint): CyclesPoint[] {
    return history.canisters.find((c) => c.canister.toText() === canister.toText())?.points.filter((p) => isLive(history, p, now)) ?? [];
}
