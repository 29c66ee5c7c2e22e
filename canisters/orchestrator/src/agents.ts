/**
 * The owner's agent as the orchestrator knows it: asked of the executor (through the outbox)
 * at the owner's first workflow, so its principal is known before the first run, and shown
 * by `get_agent`. The executor creates and runs agents (canisters/executor/src/agents.ts).
 */
import { Principal } from 'azle';

import type { AgentRecordWire } from '../../../shared/agent/executor-agent-api';
import { OrchestratorMethods, workflowError, type OwnerAgentWire, type WorkflowError } from '../../../shared/workflow';
import { method } from '../../common/method';
import { requireSignedIn } from './guards';
import { encodeAgentFunding } from '../../../shared/agent/funding';
import { fundingOf, ownerAgentOf, putOwnerAgent, updateFunding } from './owner-state';
import { enqueue } from './state';
import * as runtime from './runtime';
import { err, type Result } from '../../../shared/common/result';

/** Asks for the owner's agent once (call context: update; the caller arms the outbox). */
export function requestAgent(owner: string, now: bigint): void {
    if (ownerAgentOf(owner) !== undefined) return;
    putOwnerAgent(owner, { schema_version: 1, status: 'Requested', requestedAt: now });
    enqueue({ kind: 'EnsureAgent', owner }, now);
}

/** Records the executor's answer (call context: the outbox timer). */
export function recordAgent(owner: string, answer: AgentRecordWire): void {
    const known = ownerAgentOf(owner);
    const agent = answer.agent[0];
    if (known === undefined || agent === undefined || !('Ready' in answer.status)) return;
    putOwnerAgent(owner, { ...known, status: 'Ready', agent: agent.toText() });
    requestFundingCheck(owner, runtime.now());
}

/**
 * Queues a read of the owner's agent balance, unless one is queued already (call context:
 * update or timer; the caller arms the outbox). Asked when the agent is created and after
 * every finished execution of the owner, the moments its balance changes through DeFlow.
 */
export function requestFundingCheck(owner: string, now: bigint): void {
    if (ownerAgentOf(owner)?.agent === undefined || fundingOf(owner).checkQueued) return;
    const f = updateFunding(owner, (x) => ({ ...x, checkQueued: true, checkSeq: x.checkSeq + 1 }));
    enqueue({ kind: 'CheckFunding', owner, seq: f.checkSeq }, now);
}

export class AgentQueryMethods {
    /**
     * The caller's agent: `Requested` until the executor created it, then `Ready` with its
     * principal (grant it access on the canisters your workflows call), and its funding as last
     * read (`underfunded`: new runs wait for a top-up).
     * Call context: query; any non-anonymous caller, for themselves.
     * Errors: Unauthorized (anonymous), NotFound (no workflow created yet, so no agent asked for).
     */
    @method(OrchestratorMethods.get_agent)
    get_agent(): Result<OwnerAgentWire, WorkflowError> {
        const caller = runtime.caller();
        const denied = requireSignedIn(caller);
        if (denied !== undefined) return err(denied);
        const a = ownerAgentOf(caller.toText());
        if (a === undefined) return err(workflowError.notFound('agent', caller.toText()));
        const agent: [] | [Principal] = a.agent === undefined ? [] : [Principal.fromText(a.agent)];
        return { Ok: { owner: caller, status: a.status === 'Ready' ? { Ready: null } : { Requested: null }, agent, funding: encodeAgentFunding(fundingOf(caller.toText())) } };
    }
}
