/**
 * Condition triggers' reads, made by the owner's agent: the scheduler hands each read here
 * (as the orchestrator hands call attempts), so the call to the read target is sent, and
 * paid for, by the agent, not by DeFlow. An agent under the run minimum is not asked to read.
 */
import { Principal } from 'azle';

import { AgentMethods, type AgentInfo } from '../../../shared/agent/api';
import { AGENT_RUN_MIN_BALANCE } from '../../../shared/agent/funding';
import { apiError, type ApiError } from '../../../shared/common/errors';
import { err, type Result } from '../../../shared/common/result';
import type { AgentReadOutcome, AgentReadRequest } from '../../../shared/scheduling/agent-read';
import { ExecutorMethods } from '../../../shared/workflow';
import { callTyped } from '../../common/outbox/calls';
import { method } from '../../common/method';
import { agentOf } from './agent-state';
import { callThroughAgent, isAgentUpgrading } from './agents';
import { refusedTarget } from './call-policy';
import { requirePeer } from './guards';
import { isRefusedUnrun } from './logic';
import * as runtime from './runtime';

/** The attempt key a read travels under at the agent (reads belong to no execution). */
const READ_EXECUTION_ID = 'condition-read';

/**
 * The read was not sent: the owner's agent is being upgraded. As a call node's call waits
 * unsent for its agent (not a failure), the scheduler neither counts it nor a failed read and
 * reads again soon.
 */
function agentUpgrading(owner: Principal): ApiError {
    return apiError.unavailable(`the agent of ${owner.toText()} is being upgraded: the read was not sent, read again soon`);
}

export class ConditionReadMethods {
    /**
     * Reads the agent's balance (its public `get_agent_info`); under `AGENT_RUN_MIN_BALANCE`
     * answers `Underfunded` and sends nothing, else has the agent make the read and answers
     * what came back (`Replied`, `Rejected`, or `Refused` by the agent's call policy).
     * Call context: inter-canister update (awaits the agent twice); the scheduler only.
     * Errors: Unauthorized (not the scheduler), NotFound (the owner has no ready agent),
     * Unavailable (the agent is being upgraded or stopped for it: nothing was sent, read again soon).
     */
    @method(ExecutorMethods.read_through_agent)
    async read_through_agent(req: AgentReadRequest): Promise<Result<AgentReadOutcome, ApiError>> {
        const denied = requirePeer(runtime.caller(), 'scheduler');
        if (denied !== undefined) return err(denied);
        // As for call attempts, right before anything goes out: the agent's own policy does not know the other owners' agents.
        const refused = refusedTarget(req.read.canister.toText());
        if (refused !== undefined) return { Ok: { Refused: `the call policy refuses ${req.read.canister.toText()} (${refused})` } };
        const stored = agentOf(req.owner);
        if (stored?.status !== 'Ready' || stored.canisterId === undefined) return err(apiError.notFound('agent', req.owner.toText()));
        // As for call attempts (ensureAgent): nothing is handed to an agent being upgraded.
        if (isAgentUpgrading(stored.canisterId)) return err(agentUpgrading(req.owner));
        const agent = Principal.fromText(stored.canisterId);
        const info = await callTyped<AgentInfo>(agent, 'get_agent_info', AgentMethods.get_agent_info, []);
        if (info.kind === 'Rejected' && isRefusedUnrun(stored.canisterId, info.reject_code, info.message)) return err(agentUpgrading(req.owner));
        if (info.kind === 'Rejected') return { Ok: { Rejected: { code: info.reject_code, message: `agent: ${info.message}` } } };
        if (info.value.cycles < AGENT_RUN_MIN_BALANCE) return { Ok: { Underfunded: { balance: info.value.cycles, minimum: AGENT_RUN_MIN_BALANCE } } };
        const r = await callThroughAgent(agent, { executionId: READ_EXECUTION_ID, nodeId: req.schedule_id, attempt: 1 }, req.read.canister.toText(), req.read.method, Uint8Array.from(req.read.args), 0n);
        switch (r.kind) {
            case 'Reply':
                return { Ok: { Replied: r.bytes } };
            case 'Reject':
                return { Ok: { Rejected: { code: r.code, message: r.message } } };
            case 'Refused':
            case 'InsufficientCycles':
                return { Ok: { Refused: r.message } };
            case 'AgentStopped':
                return err(agentUpgrading(req.owner));
        }
    }
}
