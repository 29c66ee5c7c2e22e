/**
 * Delivery of the orchestrator's outbox. Every entry was committed to stable memory in the
 * message that decided it; this timer performs the call and records the result afterwards.
 * An entry is marked in flight (its `nextAt` pushed out) before its call goes out, so a
 * concurrent drain skips it and an upgrade mid-call only re-sends it later: the receivers
 * are idempotent on their keys (attempt key, idempotency key).
 */
import { Principal, time } from 'azle';

import { msToNs, nextRetryAt, seedFromText, ExecutorMethods, encodeNodeTask, type RetryPolicy, type WorkflowError } from '../../../shared/workflow';
import { MonitorMethods } from '../../../shared/monitoring/service';
import { SchedulerMethods } from '../../../shared/scheduling/service';
import type { ApiError } from '../../../shared/common/errors';
import type { EmergencyState } from '../../../shared/monitoring/emergency';
import type { PeerRole } from '../../../shared/common/deployment';
import { assertNever } from '../../../shared/common/result';
import type { AgentRecordWire } from '../../../shared/agent/executor-agent-api';
import { sig, type MethodSig } from '../../common/method-sig';
import { callTyped, isRetryableReject, type CallOutcome } from '../../common/peer-call';
import { recordAgent } from './agents';
import { adoptEmergency, applyReport, startNew } from './engine';
import { deployment, dueOutbox, getExecution, putOutboxEntry, removeOutboxEntry, type OutboxMessage, type StoredOutboxEntry } from './state';
import { armOutbox } from './timers';

/** Entries delivered per timer run, so one message's work stays bounded. */
const BATCH = 20;

/** Backoff between delivery tries of one entry. */
export const OUTBOX_RETRY: RetryPolicy = { maxRetries: 8, initialDelayMs: 1000, backoffFactor: 2, maxDelayMs: 60_000, jitter: false };

/** An entry in flight is sent again if no outcome was recorded by then (e.g. an upgrade lost the callback). */
const IN_FLIGHT_RESEND_MS = 120_000;

/** Notifications and emergency requests are best effort: dropped after this many tries. */
const BEST_EFFORT_TRIES = 5;

type Delivery = 'Done' | 'Retry' | 'Drop';

function isBestEffort(m: OutboxMessage): boolean {
    return m.kind === 'Notify' || m.kind === 'RequestEmergency';
}

/** What a reject means for an entry: retryable rejects always retry; others drop best-effort entries. */
function onReject(m: OutboxMessage, outcome: { code: number; message: string }): Delivery {
    if (isRetryableReject(outcome.code)) return 'Retry';
    if (isBestEffort(m)) return 'Drop';
    // A peer answering "no such method" or "destination invalid" for essential work is a
    // deployment error: keep the intent (capped backoff) so fixing the deployment resumes it.
    console.log(`outbox: ${m.kind} rejected with code ${outcome.code}: ${outcome.message}`);
    return 'Retry';
}

async function callPeer<T>(role: PeerRole, method: string, spec: MethodSig, arg: unknown): Promise<CallOutcome<T>> {
    const [args, ret] = sig(spec);
    return await callTyped<T>(deployment.peer(role), method, args, [arg], ret);
}

async function deliver(entry: StoredOutboxEntry): Promise<Delivery> {
    const m = entry.message;
    switch (m.kind) {
        case 'Dispatch': {
            // The owner names the agent the call goes out from (read here: entries stored before agents carry none).
            const owner = getExecution(m.executionId)?.owner;
            const request = { key: { execution_id: m.executionId, node_id: m.nodeId, attempt: m.attempt }, due_at: m.dueAt, timeout_ms: BigInt(m.timeoutMs), task: encodeNodeTask(m.task), owner: owner === undefined ? [] : [Principal.fromText(owner)] };
            const r = await callPeer<{ Ok: unknown } | { Err: WorkflowError }>('executor', 'run_node_attempt', ExecutorMethods.run_node_attempt, request);
            if (r.kind === 'Rejected') return onReject(m, r);
            // A typed refusal (e.g. Unauthorized after a bad deployment) will not change by
            // retrying; the orchestrator's node deadline then fails the attempt as TimedOut.
            if ('Err' in r.value) console.log(`outbox: executor refused ${m.executionId}/${m.nodeId}#${m.attempt}: ${Object.keys(r.value.Err)[0]}`);
            return 'Done';
        }
        case 'CancelDispatched': {
            const r = await callPeer<unknown>('executor', 'cancel_execution_attempts', ExecutorMethods.cancel_execution_attempts, { execution_id: m.executionId });
            return r.kind === 'Rejected' ? onReject(m, r) : 'Done';
        }
        case 'ScheduledFinished': {
            const r = await callPeer<{ Ok: null } | { Err: ApiError }>('scheduler', 'notify_execution_finished', SchedulerMethods.notify_execution_finished, m.notice);
            return r.kind === 'Rejected' ? onReject(m, r) : 'Done';
        }
        case 'Notify': {
            const r = await callPeer<unknown>('monitor', 'send_system_notification', MonitorMethods.send_system_notification, { level: { [m.level]: null }, message: m.message, source: 'orchestrator', event: [] });
            return r.kind === 'Rejected' ? onReject(m, r) : 'Done';
        }
        case 'RequestEmergency': {
            const request = { mode: m.mode === 'Emergency' ? { Emergency: null } : { Safe: null }, reason: m.reason };
            const r = await callPeer<{ Ok: EmergencyState } | { Err: ApiError }>('monitor', 'enable_emergency_mode', MonitorMethods.enable_emergency_mode, request);
            if (r.kind === 'Rejected') return onReject(m, r);
            if ('Ok' in r.value) adoptEmergency(r.value.Ok, time());
            return 'Done';
        }
        case 'StartWorkflow':
            startLocal(m);
            return 'Done';
        case 'EnsureAgent': {
            const r = await callPeer<{ Ok: AgentRecordWire } | { Err: ApiError }>('executor', 'ensure_agent', ExecutorMethods.ensure_agent, { owner: Principal.fromText(m.owner) });
            if (r.kind === 'Rejected') return onReject(m, r);
            // Unavailable (module not deployed yet, creation in flight): ask again later.
            if ('Err' in r.value) return 'Retry';
            recordAgent(m.owner, r.value.Ok);
            return 'Done';
        }
        default:
            return assertNever(m, 'outbox message');
    }
}

/** A `start_workflow` node or an emergency workflow: started here, the node told the outcome. */
function startLocal(m: Extract<OutboxMessage, { kind: 'StartWorkflow' }>): void {
    const now = time();
    const r = startNew({ workflowId: m.workflowId, caller: Principal.fromText(m.owner), trigger: { kind: 'Workflow', executionId: m.origin.executionId }, input: m.input }, now);
    if (m.origin.kind !== 'Node') return;
    const outcome =
        'Ok' in r
            ? { kind: 'Succeeded' as const, output: JSON.stringify({ execution_id: r.Ok.id }) }
            : { kind: 'Failed' as const, error: { kind: 'EmergencyMode' in r.Err ? ('Unavailable' as const) : ('Evaluation' as const), message: `cannot start ${m.workflowId}: ${Object.keys(r.Err)[0]}` } };
    applyReport(m.origin.executionId, { nodeId: m.origin.nodeId, attempt: m.origin.attempt, startedAt: now, finishedAt: now, outcome }, now);
}

function retryAt(entry: StoredOutboxEntry, now: bigint): bigint {
    const next = nextRetryAt(OUTBOX_RETRY, Math.min(entry.tries, OUTBOX_RETRY.maxRetries), now, seedFromText(entry.id));
    return next.kind === 'RetryAt' ? next.dueAt : now + msToNs(OUTBOX_RETRY.maxDelayMs);
}

/**
 * Call context: timer. Delivers due entries (bounded batch), records each outcome, re-arms.
 */
export async function drainOutbox(): Promise<void> {
    const started = time();
    const batch = dueOutbox(started, BATCH).map((e) => ({ ...e, tries: e.tries + 1, nextAt: started + msToNs(IN_FLIGHT_RESEND_MS) }));
    for (const e of batch) putOutboxEntry(e);
    await Promise.all(
        batch.map(async (e) => {
            const outcome = await deliver(e);
            const now = time();
            if (outcome === 'Retry' && !(isBestEffort(e.message) && e.tries >= BEST_EFFORT_TRIES)) putOutboxEntry({ ...e, nextAt: retryAt(e, now) });
            else removeOutboxEntry(e.id);
        })
    );
    armOutbox(time());
}
