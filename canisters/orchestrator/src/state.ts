/**
 * The orchestrator's stable state: the only module that touches its StableBTreeMaps. Stored
 * records carry `schema_version` and are kept apart from the API types; the mappers at the
 * bottom turn them into the shared domain types.
 */
import { StableBTreeMap } from 'azle';

import type { CompletionCallback, Execution, ExecutionStatus, Trigger, Workflow, WorkflowDefinition, WorkflowStatus } from '../../../shared/workflow';
import type { PauseCause } from './logic';
import { DeploymentStore } from '../../common/deployment-store';
import { EmergencyStore } from '../../common/emergency-store';
import { DeadLetterStore } from '../../common/outbox/dead-letters';
import type { OutboxStore } from '../../common/outbox/outbox';
import { describeOutboxMessage, type OutboxMessage } from './logic/outbox';
import { newOutboxEntry, outboxDeliveryOf, withOutboxDelivery, type StoredOutboxEntry } from './logic/outbox-entry';
import { MEMORY } from './memory';
import { activeGroup, deadlineIndex, executionGroups, finishedGroup, indexDeadline, indexNewExecution, LISTING_SCAN_BUDGET, outboxDueIndex, ownerGroup, unindexExecution, workflowGroup, workflowGroups } from './indexes';

/** The schema version of every record this code writes. */
export const SCHEMA_VERSION = 1;

export type StoredWorkflow = {
    schema_version: 1;
    id: string;
    owner: string;
    status: WorkflowStatus;
    latestVersion: number;
    createdAt: bigint;
    updatedAt: bigint;
};

export type StoredWorkflowVersion = { schema_version: 1; definition: WorkflowDefinition; createdAt: bigint };

export type StoredExecution = {
    schema_version: 1;
    execution: Execution;
    owner: string;
    /** Set for executions the scheduler started: the scheduler is told when they finish. */
    scheduled?: { scheduleId: string; idempotencyKey: string };
    /** Set for executions a dapp started with a completion callback: called once when they finish. */
    completionCallback?: CompletionCallback;
    pausedBy?: PauseCause;
    /** Started by a node's `ExecuteEmergencyWorkflow`: critical by definition, so emergency mode neither blocks nor pauses it. */
    emergencyRun?: true;
};

export type StoredExecutionSummary = {
    schema_version: 1;
    owner: string;
    workflowId: string;
    workflowVersion: number;
    trigger: Trigger;
    status: ExecutionStatus;
    createdAt: bigint;
    finishedAt?: bigint;
};

export type { OutboxMessage };

export type { StoredOutboxEntry };


export type HealthCounters = { failuresTotal: bigint; completedTotal: bigint; executionTimeNsTotal: bigint };

export type StoredMeta = {
    schema_version: 1;
    nextWorkflowSeq: number;
    nextExecutionSeq: number;
    nextOutboxSeq: number;
    counters: HealthCounters;
};

const META_KEY = 'meta';

/** Fixed-width decimal so string keys sort like the numbers (stable map keys sort by bytes). */
function pad(n: number | bigint, width: number): string {
    return n.toString().padStart(width, '0');
}

function versionKey(workflowId: string, version: number): string {
    return `${workflowId}#${pad(version, 10)}`;
}

function finishedKey(finishedAt: bigint, id: string): string {
    return `${pad(finishedAt, 20)}|${id}`;
}

const workflows = new StableBTreeMap<string, StoredWorkflow>(MEMORY.workflows);
const workflowVersions = new StableBTreeMap<string, StoredWorkflowVersion>(MEMORY.workflowVersions);
const executions = new StableBTreeMap<string, StoredExecution>(MEMORY.executions);
const summaries = new StableBTreeMap<string, StoredExecutionSummary>(MEMORY.executionSummaries);
const active = new StableBTreeMap<string, bigint>(MEMORY.activeExecutions);
const outbox = new StableBTreeMap<string, StoredOutboxEntry>(MEMORY.outbox);

/** Outbox entries refused, given up or trapping, with their reason. */
export const deadLetters = new DeadLetterStore(MEMORY.deadLetters);
const idempotency = new StableBTreeMap<string, string>(MEMORY.idempotency);
const meta = new StableBTreeMap<string, StoredMeta>(MEMORY.meta);
const finished = new StableBTreeMap<string, string>(MEMORY.finished);

/** Peers and admins given at install time. */
export const deployment = new DeploymentStore(MEMORY.deployment);

/** The system mode in force (the monitor decides; see adoptEmergency). */
export const emergency = new EmergencyStore(MEMORY.emergency);

// ---- meta ----

export function getMeta(): StoredMeta {
    return (
        meta.get(META_KEY) ?? {
            schema_version: 1,
            nextWorkflowSeq: 1,
            nextExecutionSeq: 1,
            nextOutboxSeq: 1,
            counters: { failuresTotal: 0n, completedTotal: 0n, executionTimeNsTotal: 0n }
        }
    );
}

function putMeta(m: StoredMeta): void {
    meta.insert(META_KEY, m);
}

export function updateMeta(change: (m: StoredMeta) => StoredMeta): StoredMeta {
    const next = change(getMeta());
    putMeta(next);
    return next;
}

/** Allocates the next id of a sequence: `wf-00000001`, `ex-0000000001`. */
export function nextWorkflowId(): string {
    const m = updateMeta((x) => ({ ...x, nextWorkflowSeq: x.nextWorkflowSeq + 1 }));
    return `wf-${pad(m.nextWorkflowSeq - 1, 8)}`;
}

export function nextExecutionId(): string {
    const m = updateMeta((x) => ({ ...x, nextExecutionSeq: x.nextExecutionSeq + 1 }));
    return `ex-${pad(m.nextExecutionSeq - 1, 10)}`;
}

// ---- workflows ----

export function getWorkflow(id: string): StoredWorkflow | undefined {
    return workflows.get(id);
}

export function getWorkflowVersion(id: string, version: number): StoredWorkflowVersion | undefined {
    return workflowVersions.get(versionKey(id, version));
}

export function putWorkflow(w: StoredWorkflow): void {
    if (!workflows.containsKey(w.id)) workflowGroups.add(ownerGroup(w.owner), w.id);
    workflows.insert(w.id, w);
}

export function putWorkflowVersion(id: string, version: number, v: StoredWorkflowVersion): void {
    workflowVersions.insert(versionKey(id, version), v);
}

export function deleteWorkflowVersion(id: string, version: number): void {
    workflowVersions.remove(versionKey(id, version));
}

export function deleteWorkflow(w: StoredWorkflow): void {
    for (let v = 1; v <= w.latestVersion; v++) workflowVersions.remove(versionKey(w.id, v));
    workflows.remove(w.id);
    workflowGroups.remove(ownerGroup(w.owner), w.id);
}

/** Workflows of one owner with id > `after`, in id order, at most `limit + 1` (read through the owner's index). */
export function workflowsOf(owner: string, after: string | undefined, limit: number): StoredWorkflow[] {
    const { ids } = workflowGroups.list(ownerGroup(owner), 'OldestFirst', after, limit + 1, () => true, limit + 1);
    return ids.flatMap((id) => workflows.get(id) ?? []);
}

// ---- executions ----

export function getExecution(id: string): StoredExecution | undefined {
    return executions.get(id);
}

function summaryOf(s: StoredExecution): StoredExecutionSummary {
    const x = s.execution;
    return {
        schema_version: 1,
        owner: s.owner,
        workflowId: x.workflowId,
        workflowVersion: x.workflowVersion,
        trigger: x.trigger,
        status: x.status,
        createdAt: x.createdAt,
        finishedAt: x.finishedAt
    };
}

/**
 * Writes an execution with its summary and indices. `deadline` is the next time its timer
 * must look at it (`undefined` once finished: it leaves the active set and enters retention).
 */
export function putExecution(s: StoredExecution, deadline: bigint | undefined): void {
    const id = s.execution.id;
    if (!summaries.containsKey(id)) indexNewExecution(id, s.owner, s.execution.workflowId);
    indexDeadline(id, s.execution.workflowId, active.get(id), deadline);
    executions.insert(s.execution.id, s);
    summaries.insert(s.execution.id, summaryOf(s));
    if (deadline !== undefined) {
        active.insert(s.execution.id, deadline);
    } else {
        active.remove(s.execution.id);
        if (s.execution.finishedAt !== undefined) {
            finished.insert(finishedKey(s.execution.finishedAt, s.execution.id), s.execution.id);
            executionGroups.add(finishedGroup(s.owner), s.execution.id);
        }
    }
}

/** How many finished executions of the owner are stored (counted from the release that introduced the stored-history quota). */
export function finishedCountOf(owner: string): number {
    return executionGroups.count(finishedGroup(owner));
}

/** The owner's oldest finished executions (by id: oldest started first), at most `max`, leaving out those in `keep`. */
export function oldestFinishedOf(owner: string, max: number, keep: ReadonlySet<string>): string[] {
    return executionGroups.list(finishedGroup(owner), 'OldestFirst', undefined, max, (id) => !keep.has(id), max + keep.size).ids;
}

/** Unfinished executions with their next deadline (every one: mode changes only). */
export function activeExecutions(): [string, bigint][] {
    return active.items();
}

/** Unfinished executions whose deadline has come, earliest first, at most `max`; `next` is when the pass should run again. */
export function dueExecutions(now: bigint, max: number): { ids: string[]; next: bigint | undefined } {
    const due = deadlineIndex.due(now, max);
    return { ids: due.ids, next: due.more ? now : due.next };
}

/** The unfinished executions of one workflow (read through its index). */
export function activeExecutionsOf(workflowId: string): string[] {
    const group = activeGroup(workflowId);
    const count = executionGroups.count(group);
    return executionGroups.list(group, 'OldestFirst', undefined, count, () => true, count).ids;
}

export function activeCount(): number {
    return Number(active.len());
}

export function hasActiveExecutionOf(workflowId: string): boolean {
    return executionGroups.count(activeGroup(workflowId)) > 0;
}

/**
 * One page of an owner's executions (of one workflow, if given) in creation order or newest
 * first, after `cursor`, matching `keep`: at most `limit` items; `next_cursor` is set while
 * more may follow (also when a sparse filter used up the page's scan budget).
 */
export function executionSummaryPage(
    scope: { owner: string; workflowId?: string },
    order: 'OldestFirst' | 'NewestFirst',
    cursor: string | undefined,
    limit: number,
    keep: (s: StoredExecutionSummary) => boolean
): { items: [string, StoredExecutionSummary][]; next_cursor: string | undefined } {
    const group = scope.workflowId === undefined ? ownerGroup(scope.owner) : workflowGroup(scope.workflowId);
    const found = new Map<string, StoredExecutionSummary>();
    const page = executionGroups.list(
        group,
        order,
        cursor,
        limit,
        (id) => {
            const s = summaries.get(id);
            if (s === undefined || s.owner !== scope.owner || !keep(s)) return false;
            found.set(id, s);
            return true;
        },
        LISTING_SCAN_BUDGET
    );
    const items = page.ids.map((id): [string, StoredExecutionSummary] => [id, found.get(id)!]);
    return { items, next_cursor: page.more ? page.lastExamined : undefined };
}

/** The oldest finished executions (at most `batch`) and how many finished ones are stored. */
export function oldestFinished(batch: number): { candidates: { id: string; owner: string; status: ExecutionStatus; finishedAt?: bigint }[]; total: number } {
    const candidates = finished.values(0, batch).flatMap((id) => {
        const s = summaries.get(id);
        return s === undefined ? [] : [{ id, owner: s.owner, status: s.status, finishedAt: s.finishedAt }];
    });
    return { candidates, total: Number(finished.len()) };
}

/** Deletes a finished execution and everything that points at it. */
export function deleteExecution(id: string): void {
    const s = executions.get(id);
    if (s === undefined) return;
    if (s.execution.finishedAt !== undefined) finished.remove(finishedKey(s.execution.finishedAt, id));
    if (s.scheduled !== undefined) idempotency.remove(s.scheduled.idempotencyKey);
    unindexExecution(id, s.owner, s.execution.workflowId, active.get(id));
    summaries.remove(id);
    active.remove(id);
    executions.remove(id);
}

// ---- idempotency ----

export function executionForKey(key: string): string | undefined {
    return idempotency.get(key);
}

export function rememberKey(key: string, executionId: string): void {
    idempotency.insert(key, executionId);
}

// ---- outbox ----

export function enqueue(message: OutboxMessage, now: bigint, dueAt: bigint = now): StoredOutboxEntry {
    const m = updateMeta((x) => ({ ...x, nextOutboxSeq: x.nextOutboxSeq + 1 }));
    const entry = newOutboxEntry(pad(m.nextOutboxSeq - 1, 16), message, now, dueAt);
    outbox.insert(entry.id, entry);
    outboxDueIndex.move(entry.id, undefined, outboxDeliveryOf(entry).next_at);
    return entry;
}

/** The outbox as the shared toolkit (`canisters/common/outbox`) drives it. */
export const outboxStore: OutboxStore<StoredOutboxEntry> = {
    due: (now, limit) => outboxDueIndex.due(now, limit).ids.flatMap((id) => outbox.get(id) ?? []),
    get: (id) => outbox.get(id),
    put: (e) => {
        outboxDueIndex.move(e.id, dueAtOf(e.id), outboxDeliveryOf(e).next_at);
        outbox.insert(e.id, e);
    },
    complete: (e) => removeOutboxEntry(e.id),
    deadLetter: (e, reason, now) => {
        deadLetters.add(e.id, describeOutboxMessage(e.message), reason, e.createdAt, now);
        removeOutboxEntry(e.id);
    },
    nextAt: () => outboxDueIndex.earliest(),
    idOf: (e) => e.id,
    deliveryOf: outboxDeliveryOf,
    withDelivery: withOutboxDelivery
};

/** Where the stored entry `id` sits in the due index (undefined: not stored). */
function dueAtOf(id: string): bigint | undefined {
    const stored = outbox.get(id);
    return stored === undefined ? undefined : outboxDeliveryOf(stored).next_at;
}

function removeOutboxEntry(id: string): void {
    outboxDueIndex.move(id, dueAtOf(id), undefined);
    outbox.remove(id);
}

export function outboxLength(): number {
    return Number(outbox.len());
}

// ---- batches for the index rebuild (index-rebuild.ts) ----

type Batches<V> = { len: () => number; at: (start: number, count: number) => [string, V][] };
const batchesOf = <V>(map: StableBTreeMap<string, V>): Batches<V> => ({ len: () => Number(map.len()), at: (start, count) => map.items(start, count) });

/** The record maps the indexes are rebuilt from, read by position in bounded batches. */
export const indexedRecords = { workflows: batchesOf(workflows), summaries: batchesOf(summaries), outbox: batchesOf(outbox) };

/** The next deadline of an unfinished execution (`undefined`: finished or unknown). */
export function activeDeadlineOf(id: string): bigint | undefined {
    return active.get(id);
}

// ---- mappers: storage -> domain ----

export function toWorkflow(w: StoredWorkflow, version: number, v: StoredWorkflowVersion): Workflow {
    return { id: w.id, owner: w.owner, version, status: w.status, definition: v.definition, createdAt: w.createdAt, updatedAt: version === w.latestVersion ? w.updatedAt : v.createdAt };
}
