/**
 * Delivery of the orchestrator's outbox through the shared durable outbox
 * (`canisters/common/outbox`): every entry was committed to stable memory in the message that
 * decided it; each is then handled in its own message, so an entry whose handling traps (a
 * local start that overflows the stack, say) rolls back only itself and is dead-lettered
 * after `max_traps` tries, while the entries behind it go out. The receivers are idempotent
 * on their keys (attempt key, idempotency key), so a re-sent entry never repeats its effect.
 */
import { IDL, Principal } from 'azle';

import { ExecutionCompletionWire, ExecutorMethods, encodeNodeTask, type NodeTask, type WorkflowError } from '../../../shared/workflow';
import { MonitorMethods } from '../../../shared/monitoring/service';
import { SchedulerMethods } from '../../../shared/scheduling/service';
import type { ApiError } from '../../../shared/common/errors';
import type { DeadLetterReason } from '../../../shared/common/dead-letter';
import type { EmergencyState, RaiseEmergencyError } from '../../../shared/monitoring/emergency';
import type { PeerRole } from '../../../shared/common/deployment';
import { assertNever, type Result } from '../../../shared/common/result';
import type { MethodSpec } from '../../../shared/common/codec';
import type { AgentRecordWire } from '../../../shared/agent/executor-agent-api';
import { callRaw, callTyped, type CallOutcome } from '../../common/outbox/calls';
import { failedCall, type HandleOutcome } from '../../common/outbox/delivery';
import { DurableOutbox } from '../../common/outbox/outbox';
import { AGENT_RUN_MIN_BALANCE } from '../../../shared/agent/funding';
import { recordAgent } from './agents';
import { applyFundingRead, checkFunding, forgetFundingCheck } from './funding';
import { adoptEmergency, applyReport, startNew } from './engine';
import { LIQUIDATION_TIMEOUT_MS } from './liquidations';
import { agentAnswered, deadStartOutcome, emergencyAnswered, liquidationKey, type OutboxSettlement, OUTBOX_BATCH, OUTBOX_RESEND_AFTER_NS, outboxPolicyOf, startNodeOutcome, type OutboxMessage } from './logic';
import { deployment, getExecution, outboxStore, type StoredOutboxEntry } from './state';
import * as runtime from './runtime';

async function callPeer<T>(role: PeerRole, method: string, spec: MethodSpec, arg: unknown): Promise<CallOutcome<T>> {
    return await callTyped<T>(deployment.peer(role), method, spec, [arg]);
}

/** A peer's reply settles the entry; a reject is judged by the one reject rule. */
function replied<T>(r: CallOutcome<T>, onReply: (value: T) => HandleOutcome<OutboxSettlement> = () => ({ kind: 'Done' })): HandleOutcome<OutboxSettlement> {
    if (r.kind === 'Rejected') return failedCall(r);
    return onReply(r.value);
}

/** Handles one entry; what an answer changes is returned for {@link applySettlement}, never applied here. */
async function deliver(entry: StoredOutboxEntry): Promise<HandleOutcome<OutboxSettlement>> {
    const m = entry.message;
    switch (m.kind) {
        case 'Dispatch':
            // The owner names the agent the call goes out from (read here: entries stored before agents carry none).
            return await runAttempt({ key: { execution_id: m.executionId, node_id: m.nodeId, attempt: m.attempt }, dueAt: m.dueAt, timeoutMs: m.timeoutMs, task: m.task, owner: getExecution(m.executionId)?.owner, critical: m.critical === true });
        case 'Liquidate':
            // An emergency action: critical, so the executor runs it even while emergency mode holds every other attempt.
            return await runAttempt({ key: liquidationKey({ executionId: m.executionId, nodeId: m.nodeId, action: m.action ?? 0 }), dueAt: m.dueAt, timeoutMs: LIQUIDATION_TIMEOUT_MS, task: m.task, owner: m.owner, critical: true });
        case 'CancelDispatched':
            return replied(await callPeer<unknown>('executor', 'cancel_execution_attempts', ExecutorMethods.cancel_execution_attempts, { execution_id: m.executionId }));
        case 'ScheduledFinished':
            return replied(await callPeer<Result<null, ApiError>>('scheduler', 'notify_execution_finished', SchedulerMethods.notify_execution_finished, m.notice));
        case 'WorkflowChanged':
            return replied(await callPeer<Result<null, ApiError>>('scheduler', 'notify_workflow_changed', SchedulerMethods.notify_workflow_changed, m.target));
        case 'Notify':
            return replied(await callPeer<unknown>('monitor', 'send_system_notification', MonitorMethods.send_system_notification, { level: { [m.level]: null }, message: m.message, source: 'orchestrator', event: [] }));
        case 'RequestEmergency': {
            const mode = m.mode === 'Emergency' ? { Emergency: null } : { Safe: null };
            // The monitor decides, with the owner's authority; a refusal is recorded there
            // (get_emergency_authority, notifications), so it is final here.
            const r =
                m.owner === undefined
                    ? await callPeer<Result<EmergencyState, ApiError>>('monitor', 'enable_emergency_mode', MonitorMethods.enable_emergency_mode, { mode, reason: m.reason })
                    : await callPeer<Result<EmergencyState, RaiseEmergencyError>>('monitor', 'raise_emergency_for_owner', MonitorMethods.raise_emergency_for_owner, { owner: Principal.fromText(m.owner), mode, reason: m.reason });
            return replied(r, (answer) => {
                if ('Err' in answer) console.log(`outbox: the monitor refused ${m.mode} mode for ${m.owner ?? 'the orchestrator'}: ${Object.keys(answer.Err)[0] ?? ''}`);
                return emergencyAnswered(answer);
            });
        }
        case 'StartWorkflow':
            startLocal(m);
            return { kind: 'Done' };
        case 'EnsureAgent': {
            const r = await callPeer<Result<AgentRecordWire, ApiError>>('executor', 'ensure_agent', ExecutorMethods.ensure_agent, { owner: Principal.fromText(m.owner) });
            return replied(r, (answer) => agentAnswered(m.owner, answer));
        }
        case 'CheckFunding':
            return await checkFunding(m.owner, m.seq);
        case 'FundingAlert': {
            const ids = { owner: Principal.fromText(m.owner), agent: Principal.fromText(m.agent), balance: m.balance };
            const event = m.change === 'Underfunded' ? { AgentUnderfunded: { ...ids, minimum: AGENT_RUN_MIN_BALANCE } } : { AgentFunded: ids };
            const message = m.change === 'Underfunded' ? `agent ${m.agent} of ${m.owner} holds ${m.balance} cycles, under the ${AGENT_RUN_MIN_BALANCE} new runs need: they wait until it is topped up` : `agent ${m.agent} of ${m.owner} topped up (${m.balance} cycles): waiting runs start`;
            return replied(await callPeer<unknown>('monitor', 'send_system_notification', MonitorMethods.send_system_notification, { level: { Warning: null }, message, source: 'orchestrator', event: [event] }));
        }
        case 'CompletionCallback': {
            // The dapp's reply is not read: any answer means it has the result. Every failure
            // is retried (bounded by CALLBACK_RETRY), whatever its reject code: a trap is the
            // dapp's own problem, not a reason to give up on the first try.
            const args = new Uint8Array(IDL.encode([ExecutionCompletionWire.idl], [m.completion]));
            const r = await callRaw(Principal.fromText(m.canister), m.method, args);
            return r.kind === 'Replied' ? { kind: 'Done' } : { kind: 'Failed', retryable: true, reason: `reject ${r.reject_code}: ${r.message}` };
        }
        default:
            return assertNever(m, 'outbox message');
    }
}

/** Hands one attempt to the executor, which runs it from `owner`'s agent at `dueAt` and reports the result. */
async function runAttempt(a: { key: { execution_id: string; node_id: string; attempt: number }; dueAt: bigint; timeoutMs: number; task: NodeTask; owner: string | undefined; critical: boolean }): Promise<HandleOutcome<OutboxSettlement>> {
    const request = { key: a.key, due_at: a.dueAt, timeout_ms: BigInt(a.timeoutMs), task: encodeNodeTask(a.task), owner: a.owner === undefined ? [] : [Principal.fromText(a.owner)], critical: a.critical ? [true] : [] };
    const r = await callPeer<Result<unknown, WorkflowError>>('executor', 'run_node_attempt', ExecutorMethods.run_node_attempt, request);
    // A typed refusal (e.g. Unauthorized after a bad deployment) will not change by
    // retrying; the orchestrator's node deadline then fails the attempt as TimedOut.
    return replied(r, (answer) => {
        if ('Err' in answer) console.log(`outbox: executor refused ${a.key.execution_id}/${a.key.node_id}#${a.key.attempt}: ${Object.keys(answer.Err)[0]}`);
        return { kind: 'Done' };
    });
}

/** A `start_workflow` node or an emergency workflow: started here, the node told the outcome. */
function startLocal(m: Extract<OutboxMessage, { kind: 'StartWorkflow' }>): void {
    const now = runtime.now();
    const emergencyRun = m.origin.kind === 'Emergency';
    const r = startNew({ workflowId: m.workflowId, caller: Principal.fromText(m.owner), trigger: { kind: 'Workflow', executionId: m.origin.executionId }, input: m.input, emergencyRun }, now);
    if (emergencyRun && 'Err' in r) console.log(`outbox: emergency workflow ${m.workflowId} of ${m.origin.executionId}/${m.origin.nodeId} did not start: ${Object.keys(r.Err)[0] ?? ''}`);
    if (m.origin.kind !== 'Node') return;
    applyReport(m.origin.executionId, { nodeId: m.origin.nodeId, attempt: m.origin.attempt, startedAt: now, finishedAt: now, outcome: startNodeOutcome(r, m.workflowId) }, now);
}

/** Applies what a peer's answer changes (the runner's `onDone`: only for the handling that still held the entry). */
function applySettlement(_entry: StoredOutboxEntry, settlement: OutboxSettlement | undefined): void {
    if (settlement === undefined) return;
    switch (settlement.kind) {
        case 'AdoptEmergency':
            adoptEmergency(settlement.state, runtime.now());
            break;
        case 'RecordAgent':
            recordAgent(settlement.owner, settlement.answer);
            break;
        case 'FundingRead':
            applyFundingRead(settlement.owner, settlement.agent, settlement.balance, settlement.sentAt);
            break;
        case 'ForgetFundingCheck':
            forgetFundingCheck(settlement.owner, settlement.seq);
            break;
        default:
            assertNever(settlement, 'outbox settlement');
    }
}

/** A dead-lettered start fails the node that waits for it (its recovery policy decides what next). */
function onDeadLetter(entry: StoredOutboxEntry, reason: DeadLetterReason): void {
    const m = entry.message;
    if (m.kind === 'CheckFunding') forgetFundingCheck(m.owner, m.seq);
    if (m.kind !== 'StartWorkflow' || m.origin.kind !== 'Node') return;
    const now = runtime.now();
    applyReport(m.origin.executionId, { nodeId: m.origin.nodeId, attempt: m.origin.attempt, startedAt: now, finishedAt: now, outcome: deadStartOutcome(m.workflowId, reason) }, now);
}

/** The orchestrator's outbox. Call context of its timer passes: timer. */
export const outbox = new DurableOutbox<StoredOutboxEntry, OutboxSettlement>({
    store: outboxStore,
    handle: deliver,
    onDone: applySettlement,
    onDeadLetter,
    policyOf: (e) => outboxPolicyOf(e.message),
    batch: OUTBOX_BATCH,
    resendAfterNs: OUTBOX_RESEND_AFTER_NS,
    now: () => runtime.now()
});
