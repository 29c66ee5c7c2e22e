/**
 * The agent's contract: one caller canister per owner, created by the executor from the module
 * it keeps (see docs/security.md, "Agents"). All of an owner's call nodes go out from their
 * agent, so targets can grant access to exactly that owner. The executor alone may hand it
 * calls; it performs exactly the call it is handed and answers the outcome.
 */
import { IDL } from '@dfinity/candid';

import { ApiErrorIdl, type ApiError } from '../common/errors';
import { VersionInfoIdl, type VersionInfo } from '../common/version';
import { serviceFactory, type MethodSpec } from '../workflow/api-common';
import { AttemptKeyWire } from '../workflow/executor-api';
import { CallRefusalReasonWire } from '../workflow/call-policy';
import { w, type WireOf } from '../workflow/wire';

/**
 * The agent's install argument. `protected_canisters` are DeFlow's own canisters (the call
 * policy refuses them here too, defence in depth).
 */
export const AgentInitArgWire = w.record({ owner: w.principal, executor: w.principal, protected_canisters: w.vec(w.principal) });
export type AgentInitArg = WireOf<typeof AgentInitArgWire>;

/** Candid init argument list of the agent: `(AgentInitArg)`. */
export const AgentInitArgs: IDL.Type[] = [AgentInitArgWire.idl];

/** `perform_call`: one call of one node attempt of the agent's owner. */
export const AgentCallRequestWire = w.record({ key: AttemptKeyWire, canister: w.principal, method: w.text, args: w.blob, cycles: w.nat });
export type AgentCallRequest = WireOf<typeof AgentCallRequestWire>;

/**
 * What happened to the call: the target's reply bytes, its reject, the agent's own refusal
 * (nothing sent), or too few cycles for what the call attaches (nothing sent).
 */
export const AgentCallOutcomeWire = w.variant({
    Replied: w.blob,
    Rejected: w.record({ code: w.nat32, message: w.text }),
    Refused: w.record({ reason: CallRefusalReasonWire }),
    InsufficientCycles: w.record({ balance: w.nat, needed: w.nat })
});
export type AgentCallOutcome = WireOf<typeof AgentCallOutcomeWire>;

export const AgentInfoWire = w.record({ owner: w.principal, executor: w.principal, cycles: w.nat });
export type AgentInfo = WireOf<typeof AgentInfoWire>;

const ApiErrorWire = w.from<ApiError>(ApiErrorIdl);

/**
 * What an agent keeps for itself: attached cycles and withdrawals may not take its balance
 * below this (it pays its own calls and storage, and must stay clear of its freezing threshold).
 */
export const AGENT_MIN_BALANCE = 100_000_000_000n;

/** `withdraw_cycles`: the owner sends `amount` of their agent's cycles to canister `to` (`deposit_cycles`). */
export const WithdrawCyclesArgWire = w.record({ to: w.principal, amount: w.nat });
export type WithdrawCyclesArg = WireOf<typeof WithdrawCyclesArgWire>;

/** Method table of the agent. */
export const AgentMethods = {
    perform_call: { args: [AgentCallRequestWire], ret: w.variant({ Ok: AgentCallOutcomeWire, Err: ApiErrorWire }), mode: 'update' },
    get_agent_info: { args: [], ret: AgentInfoWire, mode: 'query' },
    withdraw_cycles: { args: [WithdrawCyclesArgWire], ret: w.variant({ Ok: w.record({ balance: w.nat }), Err: ApiErrorWire }), mode: 'update' },
    get_version: { args: [], ret: w.from<VersionInfo>(VersionInfoIdl), mode: 'query' }
} as const satisfies Record<string, MethodSpec>;

/** `idlFactory` for actors of an agent. */
export const agentIdlFactory = serviceFactory(AgentMethods);

/** Encodes the agent's install argument (the executor, tests). */
export function encodeAgentInitArg(arg: AgentInitArg): Uint8Array {
    return new Uint8Array(IDL.encode(AgentInitArgs, [arg]));
}
