/**
 * The per-owner settings of the orchestrator's API: the call allow-list an owner may keep to
 * restrict their own workflows further than the call policy does (see `call-policy.ts`), and
 * the owner's agent (the canister all their call nodes go out from).
 */
import { AgentFundingWire, TopUpAgentArgWire, TopUpAgentReplyWire } from '../agent/funding';
import { resultWire } from './api-common';
import { c, type Infer, type MethodSpec } from '../common/codec';

/** Targets at most in one allow-list: the check runs for every call node of every stored definition. */
export const MAX_ALLOW_LIST_TARGETS = 100;

/** `set_call_allow_list`: replaces the caller's list; an empty list lifts the restriction. */
export const CallAllowListWire = c.record({ targets: c.vec(c.principal) });
export type CallAllowList = Infer<typeof CallAllowListWire>;

/** Method table entries of the orchestrator for owner settings (spread into `OrchestratorMethods`). */
export const OwnerSettingsMethods = {
    set_call_allow_list: { args: [CallAllowListWire], ret: resultWire(CallAllowListWire), mode: 'update' },
    get_call_allow_list: { args: [], ret: resultWire(CallAllowListWire), mode: 'query' }
} as const satisfies Record<string, MethodSpec>;

/**
 * `get_agent`: the caller's agent. `Requested` until the executor has created it (the owner's
 * first workflow asks for it); then `Ready` with the principal targets grant access to.
 * `funding`: its balance as last read, and whether new runs wait for a top-up (`[]` until read).
 */
export const OwnerAgentWire = c.record({ owner: c.principal, status: c.variant({ Requested: c.null, Ready: c.null }), agent: c.opt(c.principal), funding: c.opt(AgentFundingWire) });
export type OwnerAgentWire = Infer<typeof OwnerAgentWire>;

export const OwnerAgentMethods = {
    get_agent: { args: [], ret: resultWire(OwnerAgentWire), mode: 'query' },
    top_up_agent: { args: [TopUpAgentArgWire], ret: resultWire(TopUpAgentReplyWire), mode: 'update' }
} as const satisfies Record<string, MethodSpec>;
