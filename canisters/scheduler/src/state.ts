/**
 * The scheduler's durable state: the only module that touches its StableBTreeMaps. Every
 * stored record carries a schema version (`Schedule.schema_version`, and a wrapper for the
 * others). Schedules are stored in schema v2; v1 records are upgraded as they are read and
 * rewritten in bounded batches by the post-upgrade migration ({@link migrateSchedules}).
 */
import { StableBTreeMap } from 'azle';

import { DeploymentStore } from '../../common/deployment-store';
import { EmergencyStore } from '../../common/emergency-store';
import type { FiringEntry, FiringOutcome } from '../../../shared/scheduling/firing';
import type { Schedule } from '../../../shared/scheduling/schedule';
import { dueIndexDelta, parseDueIndexKey, workflowIndexKey, workflowIndexPrefix } from './logic/due-index';
import { recordFiring, updateFiringOutcome } from './logic/history';
import { asStored, isCurrent, migrationBatch, upgradeScheduleRecord, type StoredSchedule } from './logic/migration';
import { MAX_SCHEDULES_PER_OWNER } from './logic/quota';
import { DEFAULT_CONDITION_READS_PER_HOUR, EMPTY_READ_USAGE, type ReadUsage } from './logic/read-quota';
import { startOutboxStore, type StoredStart } from './logic/start-outbox';
import { DeadLetterStore } from '../../common/outbox/dead-letters';
import { ALL_GROUP, indexSchedule, LISTING_SCAN_BUDGET, listingGroup, scheduleGroups, unindexSchedule, workflowGroup } from './indexes';
import { MEMORY } from './memory';

/** Stored shape version of outbox entries, firing rings and counters. */
export const RECORD_SCHEMA_VERSION = 1;

type Stored<T> = { schema_version: number; value: T };
const stored = <T>(value: T): Stored<T> => ({ schema_version: RECORD_SCHEMA_VERSION, value });

/** Cumulative counters behind the scheduler's health report. */
/**
 * `starts_settled`: firings whose start was answered for good (started, refused, or given up
 * after retries); `starts_failed`: those that did not start a run; `start_latency_ns_total`:
 * the sum over settled firings of the time from the firing's due time to its settlement;
 * `condition_reads`, `condition_read_failures`: reads condition triggers made, and those that failed
 * (absent from counters stored before triggers).
 */
export type SchedulerCounters = { next_schedule_seq: bigint; starts_settled: bigint; starts_failed: bigint; start_latency_ns_total: bigint; condition_reads?: bigint; condition_read_failures?: bigint };
const ZERO_COUNTERS: SchedulerCounters = { next_schedule_seq: 1n, starts_settled: 0n, starts_failed: 0n, start_latency_ns_total: 0n, condition_reads: 0n, condition_read_failures: 0n };
const COUNTERS_KEY = 'counters';

export const deployment = new DeploymentStore(MEMORY.deployment);
export const emergency = new EmergencyStore(MEMORY.emergency);
/** Records in schema v1 or v2: always read through {@link readSchedule}. */
const schedules = new StableBTreeMap<string, StoredSchedule>(MEMORY.schedules);
const dueIndex = new StableBTreeMap<string, null>(MEMORY.dueIndex);
const outbox = new StableBTreeMap<string, Stored<StoredStart>>(MEMORY.outbox);
const retryIndex = new StableBTreeMap<string, null>(MEMORY.retryIndex);
const firings = new StableBTreeMap<string, Stored<FiringEntry[]>>(MEMORY.firings);
const counters = new StableBTreeMap<string, Stored<SchedulerCounters>>(MEMORY.counters);
/** 'cursor' → the last schedule id the post-upgrade migration rewrote. */
const migration = new StableBTreeMap<string, string>(MEMORY.migration);
/** Filled for every schedule written since schema v3 (a v2 record gets its key when the migration rewrites it). */
const workflowIndex = new StableBTreeMap<string, null>(MEMORY.workflowIndex);
const MIGRATION_CURSOR = 'cursor';
/**
 * Schedules per owner, kept by {@link saveSchedule} and {@link deleteSchedule}. Counting began
 * with the schedule quota: schedules created before are not counted (never below zero).
 */
const ownerScheduleCounts = new StableBTreeMap<string, number>(MEMORY.ownerScheduleCounts);

/** How many schedules `owner` holds (principal text). */
export function schedulesOwnedBy(owner: string): number {
    return ownerScheduleCounts.get(owner) ?? 0;
}

const scheduleQuotas = new StableBTreeMap<string, number>(MEMORY.scheduleQuotas);
const DEFAULT_QUOTA_KEY = '';

/** The schedules `owner` may hold: their own limit, else the default admins set, else `MAX_SCHEDULES_PER_OWNER`. */
export function scheduleQuotaOf(owner: string): number {
    return scheduleQuotas.get(owner) ?? scheduleQuotas.get(DEFAULT_QUOTA_KEY) ?? MAX_SCHEDULES_PER_OWNER;
}

const conditionReadQuotas = new StableBTreeMap<string, number>(MEMORY.conditionReadQuotas);
const conditionReadUsage = new StableBTreeMap<string, Stored<ReadUsage>>(MEMORY.conditionReadUsage);

/** The condition reads `owner`'s triggers may make per clock hour: their own limit, else the default admins set, else `DEFAULT_CONDITION_READS_PER_HOUR`. */
export function conditionReadQuotaOf(owner: string): number {
    return conditionReadQuotas.get(owner) ?? conditionReadQuotas.get(DEFAULT_QUOTA_KEY) ?? DEFAULT_CONDITION_READS_PER_HOUR;
}

/** Sets one owner's condition-read quota, or (`owner` undefined) the default. */
export function putConditionReadQuota(owner: string | undefined, max: number): void {
    conditionReadQuotas.insert(owner ?? DEFAULT_QUOTA_KEY, max);
}

/** What `owner`'s triggers read (principal text). */
export function conditionReadUsageOf(owner: string): ReadUsage {
    return conditionReadUsage.get(owner)?.value ?? EMPTY_READ_USAGE;
}

export function updateConditionReadUsage(owner: string, change: (u: ReadUsage) => ReadUsage): void {
    conditionReadUsage.insert(owner, stored(change(conditionReadUsageOf(owner))));
}

/** Sets one owner's schedule quota, or (`owner` undefined) the default. */
export function putScheduleQuota(owner: string | undefined, max: number): void {
    scheduleQuotas.insert(owner ?? DEFAULT_QUOTA_KEY, max);
}

function countOwned(owner: string, delta: 1 | -1): void {
    const n = Math.max(0, schedulesOwnedBy(owner) + delta);
    if (n === 0) ownerScheduleCounts.remove(owner);
    else ownerScheduleCounts.insert(owner, n);
}

// ---- schedules and the due index ----

/** The current-format view of a stored record (a v1 record is upgraded as it is read, not rewritten). */
function readSchedule(record: StoredSchedule): Schedule {
    return isCurrent(record) ? record : upgradeScheduleRecord(record, recentFirings(record.id));
}

export function getSchedule(id: string): Schedule | undefined {
    const record = schedules.get(id);
    return record === undefined ? undefined : readSchedule(record);
}

export function scheduleCount(): number {
    return Number(schedules.len());
}

/** Stores a schedule and moves its due-index key (`before`: the stored version, if any). */
export function saveSchedule(after: Schedule, before: Schedule | undefined = getSchedule(after.id)): void {
    const delta = dueIndexDelta(before, after);
    if (delta.remove !== undefined) dueIndex.remove(delta.remove);
    if (delta.insert !== undefined) dueIndex.insert(delta.insert, null);
    schedules.insert(after.id, asStored(after));
    workflowIndex.insert(workflowIndexKey(after.workflow_id, after.id), null);
    if (before === undefined) {
        countOwned(after.owner.toText(), 1);
        indexSchedule(after);
    }
}

/** Removes a schedule, its index keys and its firing history. */
export function deleteSchedule(schedule: Schedule): void {
    const delta = dueIndexDelta(schedule, undefined);
    if (delta.remove !== undefined) dueIndex.remove(delta.remove);
    schedules.remove(schedule.id);
    workflowIndex.remove(workflowIndexKey(schedule.workflow_id, schedule.id));
    firings.remove(schedule.id);
    countOwned(schedule.owner.toText(), -1);
    unindexSchedule(schedule);
}

/**
 * The schedules of one workflow, in id order, read through its listing group (indexes.ts):
 * seekable pages, so work grows with the schedules of that workflow only. The group is
 * complete once the index rebuild is done (index-rebuild.ts); until then the caller uses
 * {@link schedulesOfWorkflowByScan}.
 */
export function schedulesOfWorkflow(workflowId: string): Schedule[] {
    const all = Number.MAX_SAFE_INTEGER;
    const { ids } = scheduleGroups.list(workflowGroup(workflowId), 'OldestFirst', undefined, all, () => true, all);
    return ids.flatMap((id) => getSchedule(id) ?? []);
}

/**
 * The schedules of one workflow, in id order, found by binary search for the workflow's first
 * key in the workflow index. Azle's `keys(start)` skips `start` keys one by one, so each probe
 * is O(position) and the search grows with all stored schedules (~680M instructions at 10,000,
 * 139M at 1,000): only for the window before the listing groups are rebuilt.
 */
export function schedulesOfWorkflowByScan(workflowId: string): Schedule[] {
    const prefix = workflowIndexPrefix(workflowId);
    const out: Schedule[] = [];
    let index = firstKeyAtOrAfter(workflowIndex, prefix);
    const CHUNK = 100;
    for (;;) {
        const keys = workflowIndex.keys(index, CHUNK);
        for (const key of keys) {
            if (!key.startsWith(prefix)) return out;
            const schedule = getSchedule(key.slice(prefix.length));
            if (schedule !== undefined) out.push(schedule);
        }
        if (keys.length < CHUNK) return out;
        index += CHUNK;
    }
}

/** A new schedule id; ids sort in creation order (`sch-000000000001`). */
export function nextScheduleId(): string {
    const c = getCounters();
    putCounters({ ...c, next_schedule_seq: c.next_schedule_seq + 1n });
    return `sch-${c.next_schedule_seq.toString().padStart(12, '0')}`;
}

/**
 * Schedules due at `now`, earliest first, at most `max` (reads only `max` index keys). A key
 * whose schedule is gone is dropped rather than trapping: it would otherwise stall the timer.
 */
export function dueSchedules(now: bigint, max: number): Schedule[] {
    const out: Schedule[] = [];
    for (const key of dueIndex.keys(0, max)) {
        const { due_at, schedule_id } = parseDueIndexKey(key);
        if (due_at > now) break;
        const schedule = getSchedule(schedule_id);
        if (schedule === undefined) dueIndex.remove(key);
        else out.push(schedule);
    }
    return out;
}

/** The earliest due time of any active schedule (reads one index key: independent of how many exist). */
export function earliestDue(): bigint | undefined {
    const [first] = dueIndex.keys(0, 1);
    return first === undefined ? undefined : parseDueIndexKey(first).due_at;
}

/**
 * A page of schedules in id (= creation) order after `cursor` (exclusive), of one owner and/or
 * one workflow (all schedules with neither): read through the narrowest listing group
 * (indexes.ts), never by walking the schedule map. At most `limit` items and
 * {@link LISTING_SCAN_BUDGET} ids examined; `next_cursor` is set while more may follow (also
 * when a sparse filter used up the page's budget: the page may then hold fewer items).
 */
export function pageSchedules(filter: { owner?: string; workflowId?: string }, cursor: string | undefined, limit: number): { items: Schedule[]; next_cursor: string | undefined } {
    const found = new Map<string, Schedule>();
    const page = scheduleGroups.list(
        listingGroup(filter),
        'OldestFirst',
        cursor,
        limit,
        (id) => {
            const schedule = getSchedule(id);
            if (schedule === undefined || (filter.owner !== undefined && schedule.owner.toText() !== filter.owner)) return false;
            found.set(id, schedule);
            return true;
        },
        LISTING_SCAN_BUDGET
    );
    return { items: page.ids.map((id) => found.get(id)!), next_cursor: page.more ? page.lastExamined : undefined };
}

/** The position of the first schedule after `cursor`: a binary search whose probes are `keys(mid, 1)`, each O(mid) in Azle. */
function firstIndexAfter(cursor: string): number {
    return firstIndexWhere(schedules, (key) => key > cursor);
}

function firstKeyAtOrAfter(map: StableBTreeMap<string, null>, key: string): number {
    return firstIndexWhere(map, (k) => k >= key);
}

/** The position of the first key for which `past` holds (`past` must be monotone over the sorted keys). */
function firstIndexWhere<V>(map: StableBTreeMap<string, V>, past: (key: string) => boolean): number {
    let lo = 0;
    let hi = Number(map.len());
    while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        const [key] = map.keys(mid, 1);
        if (key !== undefined && !past(key)) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

// ---- the outbox and its retry index ----

/** Start requests refused, given up or trapping, with their reason (`list_dead_letters`). */
export const deadLetters = new DeadLetterStore(MEMORY.deadLetters);

/** The start requests as the shared durable outbox drives them (`logic/start-outbox.ts`). */
export const startOutbox = startOutboxStore(outbox, retryIndex, deadLetters);

export function outboxSize(): number {
    return Number(outbox.len());
}

// ---- batches for the index rebuild (index-rebuild.ts) ----

/** The stored schedules by position, in bounded batches, read in the current format. */
export const indexedSchedules = {
    len: scheduleCount,
    at: (start: number, count: number): [string, Schedule][] => schedules.items(start, count).map(([id, record]) => [id, readSchedule(record)])
};

// ---- firing history ----

export function recentFirings(scheduleId: string): FiringEntry[] {
    return firings.get(scheduleId)?.value ?? [];
}

/** Records a firing and stamps the schedule's `last_fired_at` (schema v2). */
export function putFiring(entry: FiringEntry): void {
    firings.insert(entry.schedule_id, stored(recordFiring(recentFirings(entry.schedule_id), entry)));
    const schedule = getSchedule(entry.schedule_id);
    if (schedule !== undefined) schedules.insert(schedule.id, asStored({ ...schedule, last_fired_at: [entry.started_at] }));
}

export function setFiringOutcome(scheduleId: string, dueAt: bigint, outcome: FiringOutcome): void {
    const ring = firings.get(scheduleId);
    if (ring === undefined) return;
    firings.insert(scheduleId, stored(updateFiringOutcome(ring.value, dueAt, outcome)));
}

// ---- the post-upgrade migration of stored schedules ----

/**
 * Rewrites up to `max` stored schedules after the migration cursor in the current format
 * (v1 records gain `last_fired_at`); answers whether every record is now current. Bounded
 * work per call: the caller re-arms a timer until it answers true. With the listing groups
 * complete (`indexed`: the index rebuild is done) the batch is read from the group of all
 * schedules, O(log n) wherever the cursor is; before that (an upgrade from a release without
 * them) by position in the schedule map, whose seek grows with the cursor's position.
 */
export function migrateSchedules(max: number, indexed: boolean): boolean {
    const cursor = migration.get(MIGRATION_CURSOR);
    const { batch, last, done } = indexed ? batchFromGroup(cursor, max) : batchByPosition(cursor, max);
    for (const [id, record] of batch) {
        if (!isCurrent(record)) {
            schedules.insert(id, asStored(readSchedule(record)));
            workflowIndex.insert(workflowIndexKey(record.workflow_id, id), null);
        }
    }
    if (done || last === undefined) {
        migration.remove(MIGRATION_CURSOR);
        return true;
    }
    migration.insert(MIGRATION_CURSOR, last);
    return false;
}

/** A migration batch: its stored records, the last id it examined (the next cursor), and whether none follow. */
type MigrationBatch = { batch: [string, StoredSchedule][]; last: string | undefined; done: boolean };

function batchFromGroup(cursor: string | undefined, max: number): MigrationBatch {
    const { ids, done } = migrationBatch(scheduleGroups, ALL_GROUP, cursor, max);
    const batch = ids.flatMap((id): [string, StoredSchedule][] => {
        const record = schedules.get(id);
        return record === undefined ? [] : [[id, record]];
    });
    return { batch, last: ids[ids.length - 1], done };
}

function batchByPosition(cursor: string | undefined, max: number): MigrationBatch {
    const batch = schedules.items(cursor === undefined ? 0 : firstIndexAfter(cursor), max);
    return { batch, last: batch[batch.length - 1]?.[0], done: batch.length < max };
}

// ---- counters ----

export function getCounters(): SchedulerCounters {
    // Counters stored before a field existed lack it: it counts from zero.
    return { ...ZERO_COUNTERS, ...counters.get(COUNTERS_KEY)?.value };
}

function putCounters(value: SchedulerCounters): void {
    counters.insert(COUNTERS_KEY, stored(value));
}

/** Counts a condition trigger's read (and whether it failed): reads are calls the scheduler pays for. */
export function countConditionRead(failed: boolean): void {
    const c = getCounters();
    putCounters({ ...c, condition_reads: (c.condition_reads ?? 0n) + 1n, condition_read_failures: (c.condition_read_failures ?? 0n) + (failed ? 1n : 0n) });
}

/** Counts a start request answered for good: whether it failed, and how long after its due time. */
export function countSettledStart(failed: boolean, latencyNs: bigint): void {
    const c = getCounters();
    putCounters({ ...c, starts_settled: c.starts_settled + 1n, starts_failed: c.starts_failed + (failed ? 1n : 0n), start_latency_ns_total: c.start_latency_ns_total + latencyNs });
}
