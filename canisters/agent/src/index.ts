/**
 * The agent canister: the caller of one owner's call nodes. It holds no logic an owner could
 * bend: the executor hands it one call of one of that owner's attempts, it applies the call
 * policy once more, performs the call and answers the outcome. Controlled by the executor
 * alone (docs/security.md, "Agents").
 */
import { canisterCycleBalance, canisterSelf, init, msgCaller, Principal, postUpgrade, query, update } from 'azle';

import { AgentInitArgs, AgentMethods, type AgentCallOutcome, type AgentCallRequest, type AgentInfo, type AgentInitArg } from '../../../shared/agent/api';
import { apiError, type ApiError } from '../../../shared/common/errors';
import type { VersionInfo } from '../../../shared/common/version';
import { encodeCallRefusalReason, refuseCallTarget } from '../../../shared/workflow/call-policy';
import { sig } from '../../common/method-sig';
import { callRaw } from '../../common/peer-call';
import { versionInfo } from '../../common/version';
import { agentConfig, SCHEMA_VERSION, storeConfig } from './state';

export default class {
    /** Call context: install (by the executor). */
    @init(AgentInitArgs)
    init(arg: AgentInitArg): void {
        storeConfig(arg);
    }

    /** Call context: upgrade (by the executor); the argument replaces the stored configuration. */
    @postUpgrade(AgentInitArgs)
    postUpgrade(arg: AgentInitArg): void {
        storeConfig(arg);
    }

    /**
     * Performs one call of an attempt of the agent's owner and answers its outcome. The target
     * is checked against the call policy first (DeFlow's canisters, this agent, the management
     * canister and non-canister principals are refused: `Refused`, nothing sent).
     * Call context: inter-canister update; the executor only. Errors: Unauthorized.
     */
    @update(...sig(AgentMethods.perform_call))
    async perform_call(req: AgentCallRequest): Promise<{ Ok: AgentCallOutcome } | { Err: ApiError }> {
        const cfg = agentConfig();
        const caller = msgCaller();
        if (caller.toText() !== cfg.executor.toText()) return { Err: apiError.unauthorized(caller) };
        const reason = refuseCallTarget(req.canister, { protectedCanisters: [...cfg.protected_canisters, cfg.executor, canisterSelf()] });
        if (reason !== undefined) return { Ok: { Refused: { reason: encodeCallRefusalReason(reason) } } };
        const r = await callRaw(Principal.fromUint8Array(req.canister.toUint8Array()), req.method, req.args, req.cycles);
        return { Ok: r.kind === 'Replied' ? { Replied: r.value } : { Rejected: { code: r.code, message: r.message } } };
    }

    /** Call context: query; anyone (an agent's owner and balance are public). */
    @query(...sig(AgentMethods.get_agent_info))
    get_agent_info(): AgentInfo {
        const cfg = agentConfig();
        return { owner: cfg.owner, executor: cfg.executor, cycles: canisterCycleBalance() };
    }

    /** Call context: query; anyone. */
    @query(...sig(AgentMethods.get_version))
    get_version(): VersionInfo {
        return versionInfo('agent', SCHEMA_VERSION);
    }
}
