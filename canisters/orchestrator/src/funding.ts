/**
 * Funding of owners' agents as the orchestrator applies it: reading an agent's balance, holding
 * new runs of an owner whose agent is short (`Underfunded`), raising and resolving the owner's
 * alert at the monitor, starting the waiting runs once the agent is topped up, and
 * `top_up_agent`. The arithmetic is `shared/agent/funding.ts`; the model is docs/security.md,
 * "Cost and funding model".
 */
import { call, msgCyclesAccept, msgCyclesAvailable, Principal } from 'azle';

import { AgentMethods, type AgentInfo } from '../../../shared/agent/api';
import { recordBalance, takeWaiting, type TopUpAgentArg, type TopUpAgentReply } from '../../../shared/agent/funding';
import { CanisterIdRecordIdl } from '../../../shared/agent/management';
import { OrchestratorMethods, notificationsLeft, workflowError, type WorkflowError } from '../../../shared/workflow';
import { method } from '../../common/method';
import { callFailureOf, callTyped } from '../../common/outbox/calls';
import { failedCall, type HandleOutcome } from '../../common/outbox/delivery';
import { requestFundingCheck } from './agents';
import { commit, compiledFor, holdCauseOf } from './engine';
import { fundingRead, pauseExecution, releaseUnderfunded, type OutboxSettlement } from './logic';
import { fundingOf, limitsOf, ownerAgentOf, updateFunding, usageOf } from './owner-state';
import { chargeNotificationTo, countRefusedNotificationOf } from './quotas';
import { enqueue, getExecution } from './state';
import * as runtime from './runtime';
import { err, type Result } from '../../../shared/common/result';

/** Waiting executions started per message, so one message's work stays bounded; the rest follow in the next read. */
const RELEASE_BATCH = 20;

const MANAGEMENT = Principal.fromText('aaaaa-aa');

/** Reads the agent's balance (its public `get_agent_info`). */
async function readBalance(agent: Principal): Promise<Result<bigint, ReturnType<typeof callFailureOf>>> {
    const r = await callTyped<AgentInfo>(agent, 'get_agent_info', AgentMethods.get_agent_info, []);
    return r.kind === 'Rejected' ? err(r) : { Ok: r.value.cycles };
}

/**
 * Records a balance read of the owner's agent, sent at `sentAt` (a stale one changes nothing), and acts on it: under the minimum, new runs
 * wait and the owner's alert is raised (once per episode, charged to their notification
 * quota); above it, the alert is resolved and waiting runs start, a batch per read (a read
 * is queued again while some still wait). Answers whether the agent is still short.
 * Call context: update or timer.
 */
export function applyBalance(owner: string, agent: string, balance: bigint, sentAt: bigint, now: bigint): boolean {
    const { funding, change } = recordBalance(fundingOf(owner), balance, sentAt);
    let next = funding;
    if (change === 'BecameUnderfunded') {
        if (notificationsLeft(usageOf(owner), now, limitsOf(owner)) > 0) {
            chargeNotificationTo(owner, now);
            enqueue({ kind: 'FundingAlert', owner, agent, balance, change: 'Underfunded' }, now);
            next = { ...next, alertOpen: true };
        } else countRefusedNotificationOf(owner);
    }
    if (!next.underfunded && next.alertOpen) {
        // Always sent when a raise was: resolutions are bounded by raises, which the quota bounds.
        enqueue({ kind: 'FundingAlert', owner, agent, balance, change: 'Funded' }, now);
        next = { ...next, alertOpen: false };
    }
    const { funding: rest, release } = next.underfunded ? { funding: next, release: [] } : takeWaiting(next, RELEASE_BATCH);
    updateFunding(owner, () => rest);
    for (const id of release) startWaiting(id, now);
    if (!rest.underfunded && rest.waiting.length > 0) requestFundingCheck(owner, now);
    runtime.wakeOutbox();
    return rest.underfunded;
}

/**
 * Starts one waiting execution; one whose workflow the owner paused meanwhile, or any during
 * emergency mode, goes to `Paused` instead (resumed when that hold lifts, like any paused run).
 */
function startWaiting(id: string, now: bigint): void {
    const stored = getExecution(id);
    // Pruned, or no longer waiting (cancelled, timed out; its version may be pruned since).
    if (stored === undefined || stored.execution.status !== 'Underfunded') return;
    const x = stored.execution;
    const wf = compiledFor(x.workflowId, x.workflowVersion);
    const cause = holdCauseOf(x.workflowId);
    const r = cause === undefined ? releaseUnderfunded(wf, x, now) : pauseExecution(wf, x, now);
    if ('Err' in r) throw new Error(`invariant: start of waiting ${id}: ${JSON.stringify(r.Err)}`);
    commit({ ...stored, pausedBy: cause }, r.Ok, now, wf);
}

/**
 * The outbox's `CheckFunding`: reads the balance and changes nothing; what the read changes
 * is applied by {@link applyFundingRead} (the outbox's `onDone`, only for the handling that
 * still held the entry, so a read answered after its entry was dead-lettered is not applied).
 * Still short is a retryable failure, so the read repeats with backoff ({@link fundingRead}).
 */
export async function checkFunding(owner: string, seq: number): Promise<HandleOutcome<OutboxSettlement>> {
    if (fundingOf(owner).checkSeq !== seq) return { kind: 'Done' }; // superseded by a newer read
    const agent = ownerAgentOf(owner)?.agent;
    if (agent === undefined) return { kind: 'Done', value: { kind: 'ForgetFundingCheck', owner, seq } };
    const sentAt = runtime.now();
    const r = await readBalance(Principal.fromText(agent));
    if ('Err' in r) return failedCall(r.Err);
    return fundingRead(owner, agent, r.Ok, sentAt);
}

/** Applies a balance read of a `CheckFunding` entry (the outbox's `onDone`). Call context: timer. */
export function applyFundingRead(owner: string, agent: string, balance: bigint, sentAt: bigint): void {
    // The entry stays queued (and is read again) exactly while the agent is short; cleared
    // first so a read asked for by the batch released here is queued anew.
    updateFunding(owner, (f) => ({ ...f, checkQueued: false }));
    const short = applyBalance(owner, agent, balance, sentAt, runtime.now());
    if (short) updateFunding(owner, (f) => ({ ...f, checkQueued: true }));
}

/** A dead-lettered read (its handling kept trapping, or the agent refused it for good) no longer blocks new reads. */
export function forgetFundingCheck(owner: string, seq: number): void {
    updateFunding(owner, (f) => (f.checkSeq === seq ? { ...f, checkQueued: false } : f));
}

export class FundingMethods {
    /**
     * Deposits the cycles attached to this call into `owner`'s agent (the management canister's
     * `deposit_cycles`), then reads the agent's balance: if that lifts it over the run minimum,
     * the owner's waiting runs start now. Anyone may top up any owner's agent; only canisters
     * can attach cycles (an ingress message carries none). `balance` is `[]` when the read
     * failed (one is queued: the runs start then).
     * Call context: update; any caller. Errors: InvalidInput (`cycles`: none attached),
     * NotFound (the owner has no agent yet; nothing accepted), Unavailable (the deposit was
     * rejected; the cycles stay with the orchestrator).
     */
    @method(OrchestratorMethods.top_up_agent)
    async top_up_agent(arg: TopUpAgentArg): Promise<Result<TopUpAgentReply, WorkflowError>> {
        const owner = arg.owner.toText();
        const agent = ownerAgentOf(owner)?.agent;
        if (agent === undefined) return err(workflowError.notFound('agent', owner));
        if (msgCyclesAvailable() === 0n) return err(workflowError.invalidInput('cycles', 'attach the cycles to deposit (only canisters can: an ingress message carries none)'));
        const deposited = msgCyclesAccept(msgCyclesAvailable());
        const agentId = Principal.fromText(agent);
        try {
            await call(MANAGEMENT, 'deposit_cycles', { paramIdlTypes: [CanisterIdRecordIdl], args: [{ canister_id: agentId }], cycles: deposited });
        } catch (error) {
            const f = callFailureOf(error);
            return err(workflowError.unavailable(`deposit_cycles rejected (${f.reject_code}): ${f.message}`));
        }
        const sentAt = runtime.now();
        const read = await readBalance(agentId);
        if ('Err' in read) {
            requestFundingCheck(owner, runtime.now());
            runtime.wakeOutbox();
            return { Ok: { agent: agentId, deposited, balance: [], underfunded: fundingOf(owner).underfunded } };
        }
        const short = applyBalance(owner, agent, read.Ok, sentAt, runtime.now());
        // Funded: a read still retrying from the episode no longer holds back the reads runs ask for.
        if (!short) updateFunding(owner, (f) => ({ ...f, checkQueued: false }));
        else requestFundingCheck(owner, runtime.now());
        return { Ok: { agent: agentId, deposited, balance: [read.Ok], underfunded: short } };
    }
}
