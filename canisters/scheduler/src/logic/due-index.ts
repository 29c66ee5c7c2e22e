import { fromOpt } from '../../../../shared/common/codec';
import type { Schedule } from '../../../../shared/scheduling/schedule';
import type { SchedulerEffect } from './effects';
import { isSuspended } from './lifecycle';
import { maxBig } from './time';

/**
 * The due index: a sorted set of `dueIndexKey(next_due_at, id)` (a StableBTreeMap<text, null>
 * in the canister). Keys sort by time because the due time is zero-padded to the 20 digits of
 * the largest nat64, so the first key is always the next schedule to fire and one global
 * timer is enough.
 *
 * @example
 * dueIndexKey(5n, 's1') // '00000000000000000005|s1'
 */
export function dueIndexKey(dueAt: bigint, scheduleId: string): string {
    return `${dueAt.toString().padStart(20, '0')}|${scheduleId}`;
}

/**
 * Key of the workflow index (schedules by workflow): the workflow id, a separator no id
 * contains (NUL), the schedule id. All keys of one workflow share {@link workflowIndexPrefix}.
 *
 * @example
 * workflowIndexKey('wf-1', 'sch-1') // 'wf-1\u0000sch-1'
 */
export function workflowIndexKey(workflowId: string, scheduleId: string): string {
    return `${workflowIndexPrefix(workflowId)}${scheduleId}`;
}

/** The prefix every workflow-index key of `workflowId` starts with. */
export function workflowIndexPrefix(workflowId: string): string {
    return `${workflowId}\u0000`;
}

/** Inverse of `dueIndexKey`. @example parseDueIndexKey('00000000000000000005|s1') // { due_at: 5n, schedule_id: 's1' } */
export function parseDueIndexKey(key: string): { due_at: bigint; schedule_id: string } {
    const bar = key.indexOf('|');
    return { due_at: BigInt(key.slice(0, bar)), schedule_id: key.slice(bar + 1) };
}

/** The index key a schedule should have: none while paused, held or ended. */
export function indexKeyOf(schedule: Schedule | undefined): string | undefined {
    if (schedule === undefined || isSuspended(schedule)) return undefined;
    const due = fromOpt(schedule.next_due_at);
    return due === undefined ? undefined : dueIndexKey(due, schedule.id);
}

/**
 * Index changes for a schedule going from `before` to `after` (either may be absent: created, cancelled).
 *
 * @example
 * dueIndexDelta(old, updated) // { remove: '...|s1', insert: '...|s1' }
 */
export function dueIndexDelta(before: Schedule | undefined, after: Schedule | undefined): { remove: string | undefined; insert: string | undefined } {
    const a = indexKeyOf(before);
    const b = indexKeyOf(after);
    return a === b ? { remove: undefined, insert: undefined } : { remove: a, insert: b };
}

/**
 * Schedule ids due at `now`, in due order, at most `max` of them: one timer callback handles
 * a bounded batch and re-arms for the rest.
 *
 * @example
 * takeDue(sortedKeys, now, 50) // ['s3', 's1']
 */
export function takeDue(sortedKeys: Iterable<string>, now: bigint, max: number): string[] {
    const out: string[] = [];
    for (const key of sortedKeys) {
        if (out.length >= max) break;
        const { due_at, schedule_id } = parseDueIndexKey(key);
        if (due_at > now) break;
        out.push(schedule_id);
    }
    return out;
}

/**
 * Plans the due timer for the next due schedule (outbox retries wake the outbox's own timer).
 * Re-arming at the time already armed is skipped. A time in the past arms with zero delay
 * (fires next round): that is how `post_upgrade` catches up.
 *
 * @example
 * planTimer(firstKeyDue, now, armedAt) // [{ type: 'ArmTimer', at, delay_ns }] or [] or [{ type: 'CancelTimer' }]
 */
export function planTimer(earliestDue: bigint | undefined, now: bigint, armedAt: bigint | undefined): SchedulerEffect[] {
    if (earliestDue === undefined) return armedAt === undefined ? [] : [{ type: 'CancelTimer' }];
    if (armedAt === earliestDue) return [];
    return [{ type: 'ArmTimer', at: earliestDue, delay_ns: maxBig(0n, earliestDue - now) }];
}
