import { isFinished, type StoredAttempt } from './attempts';
import { reportDelivery } from './run';

/**
 * Where an attempt sits in the executor's time indexes (canisters/executor/src/indexes.ts):
 * a scheduled attempt by when it is due, a running one by its deadline, a pending report by
 * when it is sent next, and a finished, acknowledged (or cancelled) attempt by when it
 * finished, for retention. An absent time: not in that index.
 *
 * @example
 * attemptIndexTimes({ ...a, status: 'Scheduled', dueAt: 5n }) // { scheduled: 5n }
 */
export function attemptIndexTimes(a: StoredAttempt | undefined): { scheduled?: bigint; running?: bigint; report?: bigint; retention?: bigint } {
    if (a === undefined) return {};
    if (a.status === 'Scheduled') return { scheduled: a.dueAt };
    if (a.status === 'Running') return { running: a.deadlineAt };
    if (a.report.kind === 'Pending') return { report: reportDelivery(a).next_at };
    const prunable = isFinished(a) && a.finishedAt !== undefined && (a.report.kind === 'Delivered' || a.status === 'Cancelled');
    return prunable ? { retention: a.finishedAt } : {};
}

/**
 * How many of the oldest prunable attempts retention deletes in one run: those past the age
 * limit (`expired`, counted from the index's front), or as many as the kept set exceeds
 * `maxRecords` by, whichever is more, at most `batch`.
 *
 * @example
 * retentionDropCount(3, 12, 10, 500) // 3
 */
export function retentionDropCount(expired: number, prunable: number, maxRecords: number, batch: number): number {
    return Math.min(batch, Math.max(expired, prunable - maxRecords, 0));
}
