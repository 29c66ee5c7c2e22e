/**
 * The executor's stable state: the only module that touches its StableBTreeMaps. Stored
 * records carry `schema_version`; the mapper at the bottom turns one into the API type.
 */
import { StableBTreeMap } from 'azle';

import { encodeNodeError, toOpt, type NodeAttemptWire } from '../../../shared/workflow';
import { DeploymentStore } from '../../common/deployment-store';
import { EmergencyStore } from '../../common/emergency-store';
import { DeadLetterStore } from '../../common/outbox/dead-letters';
import type { OutboxStore } from '../../common/outbox/outbox';
import { attemptKeyText, isFinished, runnableAttempts, reportDeadLettered, reportDelivered, reportDelivery, reportPending, withReportDelivery, type StoredAttempt } from './logic';
import { reindexAttempt, reportIndex, retentionIndex, runningIndex, scheduledByExecution, scheduledIndex } from './indexes';
import { MEMORY } from './memory';

export const SCHEMA_VERSION = 1;

export type StoredAttemptRecord = { schema_version: 1; attempt: StoredAttempt };

export type StoredMeta = {
    schema_version: 1;
    counters: { failuresTotal: bigint; completedTotal: bigint; runTimeNsTotal: bigint };
};

const META_KEY = 'meta';

const attempts = new StableBTreeMap<string, StoredAttemptRecord>(MEMORY.attempts);
const active = new StableBTreeMap<string, null>(MEMORY.active);
const meta = new StableBTreeMap<string, StoredMeta>(MEMORY.meta);

export const deployment = new DeploymentStore(MEMORY.deployment);

/** The system mode in force: in Emergency, scheduled attempts are held. */
export const emergency = new EmergencyStore(MEMORY.emergency);

export function getMeta(): StoredMeta {
    return meta.get(META_KEY) ?? { schema_version: 1, counters: { failuresTotal: 0n, completedTotal: 0n, runTimeNsTotal: 0n } };
}

export function updateMeta(change: (m: StoredMeta) => StoredMeta): StoredMeta {
    const next = change(getMeta());
    meta.insert(META_KEY, next);
    return next;
}

export function getAttempt(keyText: string): StoredAttempt | undefined {
    return attempts.get(keyText)?.attempt;
}

/** Work is left while the attempt is unfinished or its result not yet acknowledged. */
function hasWorkLeft(a: StoredAttempt): boolean {
    return !isFinished(a) || a.report.kind === 'Pending';
}

/** Writes an attempt and keeps the active index in step with it. */
export function putAttempt(a: StoredAttempt): void {
    const key = attemptKeyText(a.key);
    reindexAttempt(key, attempts.get(key)?.attempt, a);
    attempts.insert(key, { schema_version: 1, attempt: a });
    if (hasWorkLeft(a)) active.insert(key, null);
    else active.remove(key);
}

const attemptsOf = (keys: string[]): StoredAttempt[] => keys.flatMap((k) => attempts.get(k)?.attempt ?? []);

/**
 * What the wake timer acts on now, read from the indexes' fronts: scheduled attempts due at
 * `now` (none while `holdScheduled`: emergency mode) and running ones past their deadline,
 * at most `max` of each.
 */
export function dueAttempts(now: bigint, max: number, holdScheduled: boolean): StoredAttempt[] {
    const scheduled = holdScheduled ? criticalScheduled(now).slice(0, max) : attemptsOf(scheduledIndex.due(now, max).ids);
    return [...scheduled, ...attemptsOf(runningIndex.due(now, max).ids)];
}

/**
 * How many of the earliest scheduled attempts emergency mode looks through for an emergency
 * workflow's (`critical`) ones, which it does not hold. Bounded so one message's reads stay
 * bounded; a critical attempt behind more held ones waits until they are due-ordered past it.
 */
export const CRITICAL_SCAN = 200;

/** The critical scheduled attempts due by `until` among the earliest {@link CRITICAL_SCAN}. */
function criticalScheduled(until: bigint): StoredAttempt[] {
    return runnableAttempts(attemptsOf(scheduledIndex.due(until, CRITICAL_SCAN).ids), true).filter((a) => a.status === 'Scheduled');
}

/** When the wake timer must run next: the earliest running deadline, and the earliest due attempt (while held: critical one). */
export function nextWakeTime(holdScheduled: boolean): bigint | undefined {
    const scheduled = holdScheduled ? criticalScheduled(FAR_FUTURE)[0]?.dueAt : scheduledIndex.earliest();
    const times = [runningIndex.earliest(), scheduled].filter((t): t is bigint => t !== undefined);
    return times.length === 0 ? undefined : times.reduce((x, y) => (x < y ? x : y));
}

/** Later than any due time (nanoseconds, u64 max). */
const FAR_FUTURE = (1n << 64n) - 1n;

/** The scheduled attempts of one execution (read through its index). */
export function scheduledAttemptsOf(executionId: string): StoredAttempt[] {
    const count = scheduledByExecution.count(executionId);
    return attemptsOf(scheduledByExecution.list(executionId, 'OldestFirst', undefined, count, () => true, count).ids);
}

/** Reports refused, given up or trapping, with their reason. */
export const deadLetters = new DeadLetterStore(MEMORY.deadLetters);

/** Pending result reports as the shared outbox toolkit drives them (the entry is the attempt). */
export const reportsStore: OutboxStore<StoredAttempt> = {
    due: (now, limit) => attemptsOf(reportIndex.due(now, limit).ids).filter(reportPending),
    get: (id) => {
        const a = getAttempt(id);
        return a !== undefined && reportPending(a) ? a : undefined;
    },
    put: putAttempt,
    complete: (a, now) => putAttempt(reportDelivered(a, now)),
    deadLetter: (a, reason, now) => {
        putAttempt(reportDeadLettered(a, reason, now));
        deadLetters.add(attemptKeyText(a.key), `Report ${a.key.executionId}/${a.key.nodeId}#${a.key.attempt}`, reason, a.finishedAt ?? a.receivedAt, now);
    },
    nextAt: () => reportIndex.earliest(),
    idOf: (a) => attemptKeyText(a.key),
    deliveryOf: reportDelivery,
    withDelivery: withReportDelivery
};

export function activeCount(): number {
    return Number(active.len());
}

/**
 * Retention's view, oldest first: how many prunable attempts are stored, and the keys of the
 * oldest `max` with how many of them finished before `cutoff`.
 */
export function prunableAttempts(cutoff: bigint, max: number): { total: number; expired: number; oldest: (count: number) => string[] } {
    return {
        total: retentionIndex.size(),
        expired: cutoff > 0n ? retentionIndex.due(cutoff - 1n, max).ids.length : 0,
        oldest: (count) => retentionIndex.first(count)
    };
}

export function deleteAttempt(keyText: string): void {
    reindexAttempt(keyText, attempts.get(keyText)?.attempt, undefined);
    attempts.remove(keyText);
    active.remove(keyText);
}

/** The stored attempts by position, in bounded batches: what the index rebuild reads. */
export const storedAttempts = { len: (): number => Number(attempts.len()), at: (start: number, count: number): [string, StoredAttemptRecord][] => attempts.items(start, count) };

/** Storage -> API. */
export function toAttemptWire(a: StoredAttempt): NodeAttemptWire {
    return {
        key: { execution_id: a.key.executionId, node_id: a.key.nodeId, attempt: a.key.attempt },
        status: { [a.status]: null } as NodeAttemptWire['status'],
        due_at: a.dueAt,
        deadline_at: toOpt(a.deadlineAt),
        started_at: toOpt(a.startedAt),
        finished_at: toOpt(a.finishedAt),
        output: toOpt(a.output),
        error: toOpt(a.error && encodeNodeError(a.error)),
        reported: a.report.kind === 'Delivered'
    };
}
