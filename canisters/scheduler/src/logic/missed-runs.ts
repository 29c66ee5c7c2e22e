import type { MissedRunPolicy, ScheduleKind } from '../../../../shared/scheduling/schedule';
import { assertNever } from '../../../../shared/common/result';
import { tagOf } from '../../../../shared/common/codec';
import { dueTimesBetween, nextDueAfter } from './next-due';
import { seconds } from './time';

/**
 * How late the newest due time may be and still count as "on time" (a normal firing) rather
 * than "missed". One minute covers a busy subnet's rounds; an upgrade or outage is longer.
 */
export const DEFAULT_GRACE_NS = seconds(60);

/** Largest `RunAll.cap` accepted: one timer callback must stay far below the instruction limit. */
export const MAX_RUN_ALL_CAP = 100;

/**
 * What to do with the due times in `[next_due_at, now]`:
 * - `fire`: due times to start now, oldest first;
 * - `skipped`: the due times dropped by the policy (one summary: the oldest and how many);
 * - `next_due_at`: the first due time after `now` (`undefined`: the schedule has ended);
 * - `last_due_at`: the newest due time handled.
 */
export type MissedRunPlan = {
    fire: bigint[];
    skipped: { earliest: bigint; runs: bigint } | undefined;
    next_due_at: bigint | undefined;
    last_due_at: bigint;
};

/**
 * Applies a missed-run policy. Of the due times in `[firstDue, now]`, the newest is on time
 * if it is at most `graceNs` late; every older one (and the newest too when it is late) was
 * missed. Then:
 * - `Skip`: fire only an on-time due time;
 * - `RunOnce`: fire the newest due time once, standing for all of them;
 * - `RunAll {cap}`: fire the `cap` most recent missed due times (oldest first) plus an
 *   on-time one; older missed ones are skipped.
 *
 * @example
 * // every 60 s, scheduler down for 10 min, RunOnce: one firing for the newest due time
 * planMissedRuns(kind, { RunOnce: null }, due0, due0 + minutes(10), createdAt)
 * // { fire: [due0 + 10 min], skipped: { earliest: due0, runs: 10n }, next_due_at: due0 + 11 min, ... }
 */
export function planMissedRuns(
    kind: ScheduleKind,
    policy: MissedRunPolicy,
    firstDue: bigint,
    now: bigint,
    createdAt: bigint,
    graceNs: bigint = DEFAULT_GRACE_NS
): MissedRunPlan {
    const cap = 'RunAll' in policy ? Math.min(policy.RunAll.cap, MAX_RUN_ALL_CAP) : 0;
    const window = dueTimesBetween(kind, firstDue, now, createdAt, cap + 1);
    const next_due_at = nextDueAfter(kind, now, createdAt);
    const [newest] = window.newest;
    if (newest === undefined) return { fire: [], skipped: undefined, next_due_at, last_due_at: firstDue };

    const onTime = now - newest <= graceNs;
    const missedNewestFirst = onTime ? window.newest.slice(1) : window.newest;

    let fire: bigint[];
    const tag = tagOf(policy);
    switch (tag) {
        case 'Skip':
            fire = onTime ? [newest] : [];
            break;
        case 'RunOnce':
            fire = [newest];
            break;
        case 'RunAll':
            fire = [...missedNewestFirst.slice(0, cap).reverse(), ...(onTime ? [newest] : [])];
            break;
        default:
            return assertNever(tag, 'missed-run policy');
    }
    const runsSkipped = window.total - BigInt(fire.length);
    return {
        fire,
        skipped: runsSkipped > 0n ? { earliest: firstDue, runs: runsSkipped } : undefined,
        next_due_at,
        last_due_at: newest
    };
}
