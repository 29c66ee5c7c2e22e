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
import { attemptKeyText, isFinished, reportDeadLettered, reportDelivered, reportDelivery, reportPending, withReportDelivery, type StoredAttempt } from './logic';
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
    attempts.insert(key, { schema_version: 1, attempt: a });
    if (hasWorkLeft(a)) active.insert(key, null);
    else active.remove(key);
}

/** Attempts with work left: what the timer looks at. */
export function activeAttempts(): StoredAttempt[] {
    return active.keys().flatMap((k) => {
        const a = attempts.get(k);
        return a === undefined ? [] : [a.attempt];
    });
}

/** Reports refused, given up or trapping, with their reason. */
export const deadLetters = new DeadLetterStore(MEMORY.deadLetters);

/** Pending result reports as the shared outbox toolkit drives them (the entry is the attempt). */
export const reportsStore: OutboxStore<StoredAttempt> = {
    due: (now, limit) =>
        activeAttempts()
            .filter((a) => reportPending(a) && a.report.nextAt <= now)
            .slice(0, limit),
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
    nextAt: () => {
        let min: bigint | undefined;
        for (const a of activeAttempts()) if (reportPending(a) && (min === undefined || a.report.nextAt < min)) min = a.report.nextAt;
        return min;
    },
    idOf: (a) => attemptKeyText(a.key),
    deliveryOf: reportDelivery,
    withDelivery: withReportDelivery
};

export function activeCount(): number {
    return Number(active.len());
}

/** Every stored attempt (retention scans; bounded by the retention policy). */
export function allAttempts(): StoredAttempt[] {
    return attempts.values().map((r) => r.attempt);
}

export function deleteAttempt(keyText: string): void {
    attempts.remove(keyText);
    active.remove(keyText);
}

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
