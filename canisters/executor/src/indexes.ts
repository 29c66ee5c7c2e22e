/**
 * The executor's indexes: what its wake timer, report outbox, retention and cancellation read
 * instead of every attempt (state.ts keeps them in step with every write; index-rebuild in
 * lifecycle fills them after an upgrade from a release without them).
 */
import { IndexRebuild, rebuildStage } from '../../common/indexes/rebuild';
import { stableGroupPages } from '../../common/indexes/stable-group-pages';
import { TimeIndex } from '../../common/indexes/time-index';
import { attemptIndexTimes, type StoredAttempt } from './logic';
import { MEMORY } from './memory';

export const scheduledIndex = new TimeIndex(MEMORY.scheduledIndex);
export const runningIndex = new TimeIndex(MEMORY.runningIndex);
export const reportIndex = new TimeIndex(MEMORY.reportIndex);
export const retentionIndex = new TimeIndex(MEMORY.retentionIndex);
/** Scheduled attempt keys per execution id. */
export const scheduledByExecution = stableGroupPages(MEMORY.scheduledGroupHeads, MEMORY.scheduledGroupPages);

/** Moves attempt `key` in every index from where `before` sat to where `after` sits (either absent). */
export function reindexAttempt(key: string, before: StoredAttempt | undefined, after: StoredAttempt | undefined): void {
    const from = attemptIndexTimes(before);
    const to = attemptIndexTimes(after);
    scheduledIndex.move(key, from.scheduled, to.scheduled);
    runningIndex.move(key, from.running, to.running);
    reportIndex.move(key, from.report, to.report);
    retentionIndex.move(key, from.retention, to.retention);
    const executionId = (after ?? before)?.key.executionId;
    if (executionId === undefined) return;
    if (to.scheduled !== undefined) scheduledByExecution.add(executionId, key);
    else if (from.scheduled !== undefined) scheduledByExecution.remove(executionId, key);
}

/** The set of indexes this code keeps (raise it when one is added). */
export const INDEX_VERSION = 1;

/** Attempts indexed per timer message of the rebuild. */
export const REBUILD_BATCH = 500;

/**
 * Fills the indexes from the stored attempts (`records`: state.ts's map, read by position);
 * `onDone` re-arms the timers that ran over the incomplete indexes.
 */
export function attemptIndexRebuild(records: { len: () => number; at: (start: number, count: number) => [string, { attempt: StoredAttempt }][] }, onDone: () => void): IndexRebuild {
    return new IndexRebuild(MEMORY.indexBuild, INDEX_VERSION, [rebuildStage('attempts', records, (key, r) => reindexAttempt(key, undefined, r.attempt), [scheduledByExecution])], REBUILD_BATCH, onDone);
}
