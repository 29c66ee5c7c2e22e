/**
 * The orchestrator's outbox policy as plain data and functions (the toolkit in
 * `canisters/common/outbox` performs it): what each message is, how long it is retried, and
 * what the outcome of a local start means for the node that asked for it.
 */
import type { Result } from '../../../../shared/common/result';
import type { ExecutionFinished } from '../../../../shared/scheduling/service';
import type { WorkflowTarget } from '../../../../shared/scheduling/target';
import type { ExecutionCompletion, NodeTask, NotifyLevel } from '../../../../shared/workflow';
import { NS_PER_SECOND, type RetryPolicy } from '../../../common/outbox/retry-policy';
import type { DeadLetterReason } from '../../../../shared/common/dead-letter';
import type { StartOrigin } from './effects';
import type { EmergencyState } from '../../../../shared/monitoring/emergency';
import type { AgentRecordWire } from '../../../../shared/agent/executor-agent-api';
import { AGENT_RUN_MIN_BALANCE } from '../../../../shared/agent/funding';
import type { HandleOutcome } from '../../../common/outbox/delivery';

/** What the outbox delivers; `StartWorkflow` is handled in the orchestrator itself, in its own message. */
export type OutboxMessage =
    /** `critical`: an emergency workflow's attempt, run by the executor even in emergency mode (absent: false). */
    | { kind: 'Dispatch'; executionId: string; nodeId: string; attempt: number; dueAt: bigint; timeoutMs: number; task: NodeTask; critical?: boolean }
    | { kind: 'CancelDispatched'; executionId: string }
    /** A `LiquidatePosition` action's call to `owner`'s position manager: a critical attempt keyed `liquidationKey`; `action` is the action's index in the node's list (absent in entries stored before it: 0). */
    | { kind: 'Liquidate'; owner: string; executionId: string; nodeId: string; action?: number; dueAt: bigint; task: NodeTask }
    | { kind: 'ScheduledFinished'; notice: ExecutionFinished }
    /** Tell the scheduler a workflow changed, so its schedules are held or released with it. */
    | { kind: 'WorkflowChanged'; target: WorkflowTarget }
    | { kind: 'Notify'; level: NotifyLevel; message: string }
    /** A node's emergency action, raised at the monitor with `owner`'s authority (absent in entries of an earlier release: asked as the orchestrator). */
    | { kind: 'RequestEmergency'; mode: 'Safe' | 'Emergency'; reason: string; owner?: string }
    | { kind: 'StartWorkflow'; owner: string; workflowId: string; input: string; origin: StartOrigin }
    /** Ask the executor for the owner's agent (created at their first workflow); the answer names its principal. */
    | { kind: 'EnsureAgent'; owner: string }
    /** Read the balance of the owner's agent; re-read with backoff while it is under the run minimum. */
    | { kind: 'CheckFunding'; owner: string; seq: number }
    /** Tell the monitor the owner's agent became underfunded (raises its alert) or funded again (resolves it). */
    | { kind: 'FundingAlert'; owner: string; agent: string; balance: bigint; change: 'Underfunded' | 'Funded' }
    /** Call the dapp that started an execution back with its final result (its own method: see `shared/workflow/completion.ts`). */
    | { kind: 'CompletionCallback'; canister: string; method: string; completion: ExecutionCompletion };

/**
 * Essential work (dispatches, cancellations, the scheduler's finish notices, local starts):
 * 1 s doubling to 1 min apart, never given up while the peer is only unavailable (an upgrade
 * takes minutes; a stuck one is fixed by an operator). Three handlings without an outcome
 * (traps) dead-letter it.
 */
export const OUTBOX_RETRY: RetryPolicy = { initial_delay_ns: NS_PER_SECOND, factor: 2, max_delay_ns: 60n * NS_PER_SECOND, max_attempts: 0, give_up_after_ns: 0n, max_traps: 3 };

/** Notifications are best effort: given up after five tries. */
export const BEST_EFFORT_RETRY: RetryPolicy = { ...OUTBOX_RETRY, max_attempts: 5 };

/**
 * Balance reads of an underfunded agent: 5 s doubling to 1 min apart until a read finds it
 * topped up (a `deposit_cycles` straight to the agent tells DeFlow nothing), never given up.
 */
export const FUNDING_RECHECK_RETRY: RetryPolicy = { ...OUTBOX_RETRY, initial_delay_ns: 5n * NS_PER_SECOND };

/** A taken entry with no recorded outcome (its handling trapped) is taken again after this long. */
export const OUTBOX_RESEND_AFTER_NS = 120n * NS_PER_SECOND;

/** Entries taken per drain. */
export const OUTBOX_BATCH = 20;

/**
 * Completion callbacks: retried while the dapp traps, rejects or is stopped (every failure
 * counts, whatever its reject code: a dapp mid-upgrade answers like one that traps), 1 s
 * doubling to 1 min apart, at most 10 calls, then dead-lettered (`list_dead_letters`) so a
 * dapp that never answers costs DeFlow a bounded number of calls.
 */
export const CALLBACK_RETRY: RetryPolicy = { ...OUTBOX_RETRY, max_attempts: 10 };

/** The retry policy of a message. */
export function outboxPolicyOf(m: OutboxMessage): RetryPolicy {
    if (m.kind === 'CheckFunding') return FUNDING_RECHECK_RETRY;
    if (m.kind === 'CompletionCallback') return CALLBACK_RETRY;
    // An emergency request is essential: the monitor decides the mode everywhere, so it must hear it.
    return m.kind === 'Notify' ? BEST_EFFORT_RETRY : OUTBOX_RETRY;
}

/**
 * What a message is for, in a dead letter.
 *
 * @example
 * describeOutboxMessage({ kind: 'CancelDispatched', executionId: 'ex-1' }) // 'CancelDispatched ex-1'
 */
export function describeOutboxMessage(m: OutboxMessage): string {
    switch (m.kind) {
        case 'Dispatch':
            return `Dispatch ${m.executionId}/${m.nodeId}#${m.attempt}`;
        case 'CancelDispatched':
            return `CancelDispatched ${m.executionId}`;
        case 'Liquidate':
            return `Liquidate ${m.executionId}/${m.nodeId}#${(m.action ?? 0) + 1} for ${m.owner}`;
        case 'ScheduledFinished':
            return `ScheduledFinished ${m.notice.execution_id} (${m.notice.idempotency_key})`;
        case 'WorkflowChanged':
            return `WorkflowChanged ${m.target.workflow_id}`;
        case 'Notify':
            return `Notify ${m.level}`;
        case 'RequestEmergency':
            return `RequestEmergency ${m.mode}`;
        case 'StartWorkflow':
            return `StartWorkflow ${m.workflowId} (${m.origin.executionId}/${m.origin.nodeId}${m.origin.kind === 'Node' ? `#${m.origin.attempt}` : ''})`;
        case 'EnsureAgent':
            return `EnsureAgent ${m.owner}`;
        case 'CheckFunding':
            return `CheckFunding ${m.owner} #${m.seq}`;
        case 'FundingAlert':
            return `FundingAlert ${m.change} ${m.owner}`;
        case 'CompletionCallback':
            return `CompletionCallback ${m.completion.execution_id} to ${m.canister}.${m.method}`;
    }
}

/** What a local start answered, as the starting node's outcome. */
export type StartAnswer = Result<{ id: string }, Record<string, unknown>>;

/**
 * The outcome a `start_workflow` node records: the child's id, or a failure (`Unavailable`
 * in emergency mode, which a retry may get past; `Evaluation` otherwise).
 *
 * @example
 * startNodeOutcome({ Ok: { id: 'ex-2' } }, 'wf-2') // { kind: 'Succeeded', output: '{"execution_id":"ex-2"}' }
 */
export function startNodeOutcome(answer: StartAnswer, workflowId: string): { kind: 'Succeeded'; output: string } | { kind: 'Failed'; error: { kind: 'Unavailable' | 'Evaluation'; message: string } } {
    if ('Ok' in answer) return { kind: 'Succeeded', output: JSON.stringify({ execution_id: answer.Ok.id }) };
    const tag = Object.keys(answer.Err)[0] ?? 'Unknown';
    return { kind: 'Failed', error: { kind: tag === 'EmergencyMode' ? 'Unavailable' : 'Evaluation', message: `cannot start ${workflowId}: ${tag}` } };
}

/**
 * The outcome a `start_workflow` node records when its start was dead-lettered (its handling
 * kept trapping): failed, so the execution's recovery policy takes over instead of waiting
 * for its timeout.
 */
export function deadStartOutcome(workflowId: string, reason: DeadLetterReason): { kind: 'Failed'; error: { kind: 'Evaluation'; message: string } } {
    return { kind: 'Failed', error: { kind: 'Evaluation', message: `cannot start ${workflowId}: dead-lettered (${reason.kind})` } };
}

/**
 * What a peer's answer changes in the orchestrator. The handling only returns it: the
 * outbox's `onDone` applies it, in the message that records the entry's outcome and only if
 * that handling still held the entry, so a late reply after the entry was re-taken or
 * dead-lettered changes nothing (`canisters/common/outbox/runner.ts`).
 */
export type OutboxSettlement =
    | { kind: 'AdoptEmergency'; state: EmergencyState }
    | { kind: 'RecordAgent'; owner: string; answer: AgentRecordWire }
    | { kind: 'FundingRead'; owner: string; agent: string; balance: bigint; sentAt: bigint }
    | { kind: 'ForgetFundingCheck'; owner: string; seq: number };

/**
 * The monitor's answer to an emergency request: a decided state to adopt, or a refusal,
 * which is final (the monitor records it).
 *
 * @example
 * emergencyAnswered({ Ok: state }) // { kind: 'Done', value: { kind: 'AdoptEmergency', state } }
 */
export function emergencyAnswered(answer: Result<EmergencyState, unknown>): HandleOutcome<OutboxSettlement> {
    return 'Ok' in answer ? { kind: 'Done', value: { kind: 'AdoptEmergency', state: answer.Ok } } : { kind: 'Done' };
}

/**
 * The executor's answer to `ensure_agent`: the agent to record, or `Err` (module not
 * deployed yet, creation in flight), asked again later.
 *
 * @example
 * agentAnswered('owner', { Err: { Unavailable: { message: 'creating' } } }) // { kind: 'Failed', retryable: true, reason: 'ensure_agent: Unavailable' }
 */
export function agentAnswered(owner: string, answer: Result<AgentRecordWire, Record<string, unknown>>): HandleOutcome<OutboxSettlement> {
    if ('Err' in answer) return { kind: 'Failed', retryable: true, reason: `ensure_agent: ${Object.keys(answer.Err)[0] ?? ''}` };
    return { kind: 'Done', value: { kind: 'RecordAgent', owner, answer: answer.Ok } };
}

/**
 * A balance read of the owner's agent (`CheckFunding`): the balance to record (new runs wait or
 * start, the owner's alert is raised or resolved). Under the run `minimum` the read is a
 * retryable failure all the same, so it repeats with {@link FUNDING_RECHECK_RETRY}'s backoff.
 *
 * @example
 * fundingRead('owner', 'agent', 1n, sentAt) // { kind: 'Failed', retryable: true, reason: 'agent agent under the run minimum: read again later', value: { kind: 'FundingRead', ... } }
 */
export function fundingRead(owner: string, agent: string, balance: bigint, sentAt: bigint, minimum: bigint = AGENT_RUN_MIN_BALANCE): HandleOutcome<OutboxSettlement> {
    const value: OutboxSettlement = { kind: 'FundingRead', owner, agent, balance, sentAt };
    return balance < minimum ? { kind: 'Failed', retryable: true, reason: `agent ${agent} under the run minimum: read again later`, value } : { kind: 'Done', value };
}
