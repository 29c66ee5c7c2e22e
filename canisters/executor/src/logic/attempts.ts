import type { DeadLetterReason } from '../../../../shared/common/dead-letter';
import { WORKFLOW_LIMITS, type NodeError, type NodeTask } from '../../../../shared/workflow';
import type { Delivery } from '../../../common/outbox/delivery';

/** Identity of one node attempt: the idempotency key of `run_node_attempt`. */
export type AttemptKey = { executionId: string; nodeId: string; attempt: number };

/** Storage key of an attempt. JSON keeps it unambiguous whatever the ids contain. */
export function attemptKeyText(k: AttemptKey): string {
    return JSON.stringify([k.executionId, k.nodeId, k.attempt]);
}

export const AttemptStatus = { Scheduled: 'Scheduled', Running: 'Running', Succeeded: 'Succeeded', Failed: 'Failed', Cancelled: 'Cancelled' } as const;
export type AttemptStatus = (typeof AttemptStatus)[keyof typeof AttemptStatus];

/**
 * Delivery of the result to the orchestrator: an entry of the reports outbox
 * (`canisters/common/outbox`) until acknowledged, or dead-lettered with its reason.
 * `delivery` is a pending report's whole bookkeeping (the one source of truth). Records of the
 * first release have none, only `tries` and `nextAt`: those are read (`reportDelivery`) and
 * never written again.
 */
export type ReportState =
    | { kind: 'NotYet' }
    | ({ kind: 'Pending'; delivery?: Delivery } & LegacyReportFields)
    | { kind: 'Delivered'; at: bigint }
    | { kind: 'DeadLettered'; at: bigint; reason: DeadLetterReason };

/** The bookkeeping of pending reports stored by the first release (read only). */
type LegacyReportFields = { tries?: number; nextAt?: bigint };

/** One attempt as the executor stores it (in a StableBTreeMap keyed by {@link attemptKeyText}). */
export type StoredAttempt = {
    key: AttemptKey;
    task: NodeTask;
    status: AttemptStatus;
    dueAt: bigint;
    timeoutMs: number;
    deadlineAt?: bigint;
    startedAt?: bigint;
    finishedAt?: bigint;
    /** JSON text. */
    output?: string;
    error?: NodeError;
    report: ReportState;
    receivedAt: bigint;
    /** The workflow's owner (principal text): a call goes out from their agent. */
    owner?: string;
    /** An emergency workflow's attempt: not held by emergency mode. */
    critical?: boolean;
};

/** What `run_node_attempt` brings. */
export type AttemptRequest = { key: AttemptKey; dueAt: bigint; timeoutMs: number; task: NodeTask; owner?: string; critical?: boolean };

/**
 * Stores a requested attempt, or answers the one already stored under the same key: a
 * retried request (the orchestrator's outbox after an upgrade) never runs the effect twice.
 * Timeouts are clamped to the contract's bound.
 *
 * @example
 * const { attempt, created } = acceptAttempt(store.get(attemptKeyText(req.key)), req, now);
 * if (created) store.insert(attemptKeyText(req.key), attempt);
 */
export function acceptAttempt(existing: StoredAttempt | undefined, req: AttemptRequest, now: bigint): { attempt: StoredAttempt; created: boolean } {
    if (existing !== undefined) return { attempt: existing, created: false };
    return {
        attempt: {
            key: req.key,
            task: req.task,
            status: 'Scheduled',
            dueAt: req.dueAt,
            timeoutMs: Math.min(Math.max(req.timeoutMs, 1), WORKFLOW_LIMITS.maxNodeTimeoutMs),
            report: { kind: 'NotYet' },
            receivedAt: now,
            owner: req.owner,
            ...(req.critical === true ? { critical: true } : {})
        },
        created: true
    };
}

/**
 * Cancels the scheduled attempts of an execution (running ones finish: their call is out).
 * Returns the changed attempts.
 */
export function cancelScheduled(attempts: readonly StoredAttempt[], executionId: string, now: bigint): StoredAttempt[] {
    return attempts.filter((a) => a.key.executionId === executionId && a.status === 'Scheduled').map((a) => ({ ...a, status: 'Cancelled', finishedAt: now }));
}

/**
 * The attempts the timer may start or time out: in emergency mode, scheduled attempts are held
 * (not started) until the mode is lifted, except an emergency workflow's (`critical`).
 */
export function runnableAttempts(attempts: StoredAttempt[], emergencyMode: boolean): StoredAttempt[] {
    if (!emergencyMode) return attempts;
    return attempts.filter((a) => a.status !== 'Scheduled' || a.critical === true);
}

export function isFinished(a: StoredAttempt): boolean {
    return a.status === 'Succeeded' || a.status === 'Failed' || a.status === 'Cancelled';
}
