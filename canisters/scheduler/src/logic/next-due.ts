import { fromOpt } from '../../../../shared/common/codec';
import type { ScheduleKind } from '../../../../shared/scheduling/schedule';
import { assertNever } from '../../../../shared/common/result';
import { cronOccurrencesBackwards, countCronOccurrences, nextCronAfter } from './cron';
import { NS_PER_SECOND } from './time';

/** Counting missed cron occurrences stops here; `Skipped.runs` saturates at this value. */
export const MISSED_RUN_COUNT_LIMIT = 1_000;

type Interval = Extract<ScheduleKind, { Interval: unknown }>['Interval'];

/** A condition trigger reads on the grid of an interval anchored at creation, with no end. */
function readGrid(every_seconds: bigint): Interval {
    return { every_seconds, start_at: [], end_at: [] };
}

/** The interval grid: `anchor + k * every` for k ≥ 0, never after `end`. */
function grid(kind: Interval, createdAt: bigint): { anchor: bigint; every: bigint; end: bigint | undefined } {
    const every = kind.every_seconds * NS_PER_SECOND;
    // Without a start the first run is one interval after creation, as a user expects from "every N".
    const anchor = fromOpt(kind.start_at) ?? createdAt + every;
    return { anchor, every, end: fromOpt(kind.end_at) };
}

function gridAtOrAfter(kind: Interval, createdAt: bigint, t: bigint): bigint | undefined {
    const { anchor, every, end } = grid(kind, createdAt);
    const due = t <= anchor ? anchor : anchor + ((t - anchor + every - 1n) / every) * every;
    return end !== undefined && due > end ? undefined : due;
}

/**
 * The first due time at or after `now` for a schedule created at `createdAt`: where a new
 * (or resumed) schedule starts. A `Once` in the past is returned as is (it fires at once).
 *
 * @example
 * firstDueAt({ Interval: { every_seconds: 60n, start_at: [], end_at: [] } }, t0, t0) // t0 + 60 s
 */
export function firstDueAt(kind: ScheduleKind, now: bigint, createdAt: bigint): bigint | undefined {
    if ('Once' in kind) return kind.Once.at;
    if ('Interval' in kind) return gridAtOrAfter(kind.Interval, createdAt, now);
    if ('Cron' in kind) return nextCronAfter(kind.Cron.expression, now - 1n);
    if ('EveryHeartbeat' in kind) return now;
    if ('Condition' in kind) return gridAtOrAfter(readGrid(kind.Condition.every_seconds), createdAt, now);
    return assertNever(kind, 'schedule kind');
}

/**
 * The first due time strictly after `after`. `EveryHeartbeat` is due again one nanosecond
 * later, i.e. on the next round the canister gets: the single global timer then fires every
 * round, which is what "every heartbeat" costs.
 *
 * @example
 * nextDueAfter({ Cron: { expression: '0 0 * * *' } }, isoNs('2025-01-01T00:00:00Z'), 0n) // 2025-01-02T00:00Z
 */
export function nextDueAfter(kind: ScheduleKind, after: bigint, createdAt: bigint): bigint | undefined {
    if ('Once' in kind) return kind.Once.at > after ? kind.Once.at : undefined;
    if ('Interval' in kind) return gridAtOrAfter(kind.Interval, createdAt, after + 1n);
    if ('Cron' in kind) return nextCronAfter(kind.Cron.expression, after);
    if ('EveryHeartbeat' in kind) return after + 1n;
    if ('Condition' in kind) return gridAtOrAfter(readGrid(kind.Condition.every_seconds), createdAt, after + 1n);
    return assertNever(kind, 'schedule kind');
}

/** Due times in a window: the newest ones (newest first, at most the limit asked) and how many in all. */
export type DueWindow = { newest: bigint[]; total: bigint };

/**
 * Due times in `[from, to]` where `from` is itself a due time (the schedule's stored
 * `next_due_at`). Work is bounded by `limit` plus, for cron, `MISSED_RUN_COUNT_LIMIT`.
 * `EveryHeartbeat` has no discrete missed runs: the window is always the one due time `from`.
 *
 * @example
 * dueTimesBetween({ Interval: { every_seconds: 60n, start_at: [t0], end_at: [] } }, t0, t0 + minutes(10), 0n, 2)
 * // { newest: [t0 + 10 min, t0 + 9 min], total: 11n }
 */
export function dueTimesBetween(kind: ScheduleKind, from: bigint, to: bigint, createdAt: bigint, limit: number): DueWindow {
    if (to < from) return { newest: [], total: 0n };
    if ('Once' in kind) return { newest: limit > 0 ? [from] : [], total: 1n };
    // A read is about "now": reads missed while the scheduler could not fire are not made up.
    if ('EveryHeartbeat' in kind || 'Condition' in kind) return { newest: limit > 0 ? [from] : [], total: 1n };
    if ('Interval' in kind) {
        const { anchor, every, end } = grid(kind.Interval, createdAt);
        const last = end !== undefined && end < to ? end : to;
        if (last < from) return { newest: [], total: 0n };
        const latest = anchor + ((last - anchor) / every) * every;
        const total = (latest - from) / every + 1n;
        const newest: bigint[] = [];
        for (let i = 0n; i < total && newest.length < limit; i += 1n) newest.push(latest - i * every);
        return { newest, total };
    }
    if ('Cron' in kind) {
        const newest = cronOccurrencesBackwards(kind.Cron.expression, from, to, limit);
        const counted = countCronOccurrences(kind.Cron.expression, from, to, MISSED_RUN_COUNT_LIMIT);
        return { newest, total: BigInt(Math.max(counted, newest.length)) };
    }
    return assertNever(kind, 'schedule kind');
}
