/**
 * The call policy as the orchestrator applies it: which canisters are DeFlow's own, the owner's
 * allow-list, and the methods an owner uses to keep that list. The rule itself is
 * `shared/workflow/call-policy.ts`.
 */
import { Principal } from 'azle';

import {
    MAX_ALLOW_LIST_TARGETS,
    OrchestratorMethods,
    refuseCallTarget,
    refusedCallOf,
    encodeCallRefusal,
    workflowError,
    type CallAllowList,
    type CallTargetRule,
    type WorkflowDefinition,
    type WorkflowError,
    type WorkflowResult
} from '../../../shared/workflow';
import { PEER_ROLES } from '../../../shared/common/deployment';
import { apiError, type ApiError } from '../../../shared/common/errors';
import { method } from '../../common/method';
import { requireSignedIn } from './guards';
import { allowListOf, isKnownAgent, putAllowList } from './owner-state';
import { deployment } from './state';
import * as runtime from './runtime';
import { err } from '../../../shared/common/result';

/** DeFlow's own canisters, as wired at install time (agents are looked up: {@link isKnownAgent}). */
export function protectedCanisters(): Principal[] {
    return PEER_ROLES.map((role) => deployment.peer(role));
}

/** The rule for one owner's workflows: DeFlow's canisters, then the owner's allow-list. */
export function callRuleFor(owner: Principal): CallTargetRule {
    return { protectedCanisters: protectedCanisters(), isAgent: isKnownAgent, allowList: allowListOf(owner) };
}

export type CallRefusedError = Extract<WorkflowError, { CallRefused: unknown }>;

/** `CallRefused` for the first call node of `def` the owner's rule refuses, or `undefined`. */
export function callRefusalOf(def: WorkflowDefinition, owner: Principal): CallRefusedError | undefined {
    const refused = refusedCallOf(def, callRuleFor(owner));
    return refused === undefined ? undefined : { CallRefused: encodeCallRefusal(refused) };
}

/**
 * For peers that decode only the plain `ApiError` (the scheduler): `CallRefused` becomes
 * `InvalidInput` naming the node's target field.
 */
export function asPlainApiError(e: ApiError | CallRefusedError): ApiError {
    if (!('CallRefused' in e)) return e;
    const r = e.CallRefused;
    return apiError.invalidInput(`nodes.${r.node_id}.config.canister`, `call to ${r.target.toText()} refused: ${Object.keys(r.reason)[0] ?? ''}`);
}

export class CallPolicyMethods {
    /**
     * Replaces the caller's call allow-list: from now on their workflows' call nodes may target
     * only these canisters (checked when a definition is stored, and for every call made). An
     * empty list lifts the restriction. Workflows already stored keep their definitions; a
     * stored call outside the new list fails `CallRefused` when it runs.
     * Call context: update; any non-anonymous caller, for their own list.
     * Errors: Unauthorized (anonymous), LimitExceeded (more than 100 targets), InvalidInput
     * (`targets.<i>`: a target the call policy refuses anyway: a DeFlow canister, the
     * management canister, not a canister id).
     */
    @method(OrchestratorMethods.set_call_allow_list)
    set_call_allow_list(arg: CallAllowList): WorkflowResult<CallAllowList> {
        const caller = runtime.caller();
        const denied = requireSignedIn(caller);
        if (denied !== undefined) return err(denied);
        if (arg.targets.length > MAX_ALLOW_LIST_TARGETS) return err(workflowError.limitExceeded('call_allow_list_targets', BigInt(MAX_ALLOW_LIST_TARGETS)));
        const base: CallTargetRule = { protectedCanisters: protectedCanisters(), isAgent: isKnownAgent };
        for (const [i, target] of arg.targets.entries()) {
            const reason = refuseCallTarget(target, base);
            if (reason !== undefined) return err(workflowError.invalidInput(`targets.${i}`, `${target.toText()} can never be called (${reason})`));
        }
        const unique = [...new Map(arg.targets.map((t) => [t.toHex(), t])).values()];
        putAllowList(caller, unique);
        return { Ok: { targets: unique } };
    }

    /**
     * The caller's call allow-list (empty: no restriction beyond the call policy).
     * Call context: query; any non-anonymous caller, for their own list. Errors: Unauthorized (anonymous).
     */
    @method(OrchestratorMethods.get_call_allow_list)
    get_call_allow_list(): WorkflowResult<CallAllowList> {
        const caller = runtime.caller();
        const denied = requireSignedIn(caller);
        if (denied !== undefined) return err(denied);
        return { Ok: { targets: allowListOf(caller) } };
    }
}
