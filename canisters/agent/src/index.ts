/**
 * The agent canister: the caller of one owner's call nodes. It holds no logic an owner could
 * bend: the executor hands it one call of one of that owner's attempts, it applies the call
 * policy once more, performs the call and answers the outcome. Controlled by the executor
 * alone (docs/security.md, "Agents").
 */
import { call, canisterCycleBalance, canisterSelf, init, msgCaller, Principal, postUpgrade } from 'azle';

import { AGENT_MIN_BALANCE, AgentInitArgs, AgentMethods, type AgentCallOutcome, type AgentCallRequest, type AgentInfo, type AgentInitArg, type WithdrawCyclesArg } from '../../../shared/agent/api';
import { CanisterIdRecordIdl } from '../../../shared/agent/management';
import { apiError, type ApiError } from '../../../shared/common/errors';
import type { VersionInfo } from '../../../shared/common/version';
import { encodeCallRefusalReason, refuseCallTarget } from '../../../shared/workflow/call-policy';
import { callFailureOf, callRaw } from '../../common/outbox/calls';
import { method } from '../../common/method';
import { learnModuleHash, versionInfo } from '../../common/version';
import { agentConfig, SCHEMA_VERSION, storeConfig } from './state';
import { err, type Result } from '../../../shared/common/result';

export default class {
    /** Call context: install (by the executor). */
    @init(AgentInitArgs)
    init(arg: AgentInitArg): void {
        storeConfig(arg);
        learnModuleHash();
    }

    /** Call context: upgrade (by the executor); the argument replaces the stored configuration. */
    @postUpgrade(AgentInitArgs)
    postUpgrade(arg: AgentInitArg): void {
        storeConfig(arg);
        learnModuleHash();
    }

    /**
     * Performs one call of an attempt of the agent's owner and answers its outcome. The target
     * is checked against the call policy first (DeFlow's canisters, this agent, the management
     * canister and non-canister principals are refused: `Refused`, nothing sent). Attached
     * cycles come from the agent's own balance: a call that would leave less than
     * `AGENT_MIN_BALANCE` answers `InsufficientCycles`, nothing sent.
     * Call context: inter-canister update; the executor only. Errors: Unauthorized.
     */
    @method(AgentMethods.perform_call)
    async perform_call(req: AgentCallRequest): Promise<Result<AgentCallOutcome, ApiError>> {
        const cfg = agentConfig();
        const caller = msgCaller();
        if (caller.toText() !== cfg.executor.toText()) return err(apiError.unauthorized(caller));
        const reason = refuseCallTarget(req.canister, { protectedCanisters: [...cfg.protected_canisters, cfg.executor, canisterSelf()] });
        if (reason !== undefined) return { Ok: { Refused: { reason: encodeCallRefusalReason(reason) } } };
        const balance = canisterCycleBalance();
        if (req.cycles > 0n && balance < req.cycles + AGENT_MIN_BALANCE) return { Ok: { InsufficientCycles: { balance, needed: req.cycles + AGENT_MIN_BALANCE } } };
        const r = await callRaw(Principal.fromUint8Array(req.canister.toUint8Array()), req.method, req.args, req.cycles);
        return { Ok: r.kind === 'Replied' ? { Replied: r.value } : { Rejected: { code: r.reject_code, message: r.message } } };
    }

    /**
     * Sends `amount` cycles of the agent's balance to canister `to` (the management canister's
     * `deposit_cycles`), keeping `AGENT_MIN_BALANCE`.
     * Call context: update; the agent's owner only. Errors: Unauthorized, InvalidInput (`to`
     * not a canister id), LimitExceeded (`withdrawable_cycles`: more than the balance above the
     * minimum), Unavailable (the deposit was rejected; nothing left the agent).
     */
    @method(AgentMethods.withdraw_cycles)
    async withdraw_cycles(arg: WithdrawCyclesArg): Promise<Result<{ balance: bigint }, ApiError>> {
        const cfg = agentConfig();
        const caller = msgCaller();
        if (caller.toText() !== cfg.owner.toText()) return err(apiError.unauthorized(caller));
        const to = arg.to.toUint8Array();
        if (to.length === 0 || to[to.length - 1] !== 0x01) return err(apiError.invalidInput('to', 'must be a canister id'));
        const available = canisterCycleBalance() - AGENT_MIN_BALANCE;
        if (arg.amount > available) return err(apiError.limitExceeded('withdrawable_cycles', available > 0n ? available : 0n));
        try {
            await call(Principal.fromText('aaaaa-aa'), 'deposit_cycles', { paramIdlTypes: [CanisterIdRecordIdl], args: [{ canister_id: Principal.fromUint8Array(to) }], cycles: arg.amount });
        } catch (error) {
            const f = callFailureOf(error);
            return err(apiError.unavailable(`deposit_cycles rejected (${f.reject_code}): ${f.message}`));
        }
        return { Ok: { balance: canisterCycleBalance() } };
    }

    /** Call context: query; anyone (an agent's owner and balance are public). */
    @method(AgentMethods.get_agent_info)
    get_agent_info(): AgentInfo {
        const cfg = agentConfig();
        return { owner: cfg.owner, executor: cfg.executor, cycles: canisterCycleBalance() };
    }

    /** Call context: query; anyone. */
    @method(AgentMethods.get_version)
    get_version(): VersionInfo {
        return versionInfo('agent', SCHEMA_VERSION);
    }
}
