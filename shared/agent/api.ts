/**
 * The agent's contract: one caller canister per owner, created by the executor from the module
 * it keeps (see docs/security.md, "Agents"). All of an owner's call nodes go out from their
 * agent, so targets can grant access to exactly that owner. The executor alone may hand it
 * calls; it performs exactly the call it is handed and answers the outcome.
 */
import { IDL } from '@dfinity/candid';

import { ApiErrorCodec } from '../common/errors';
import { GetVersionMethod } from '../common/version';
import { AttemptKeyWire } from '../workflow/executor-api';
import { CallRefusalReasonWire } from '../workflow/call-policy';
import { c, idlFactory, type Infer, type MethodSpec } from '../common/codec';

/**
 * The agent's install argument. `protected_canisters` are DeFlow's own canisters (the call
 * policy refuses them here too, defence in depth).
 */
export const AgentInitArgWire = c.record({ owner: c.principal, executor: c.principal, protected_canisters: c.vec(c.principal) });
export type AgentInitArg = Infer<typeof AgentInitArgWire>;

/** Candid init argument list of the agent: `(AgentInitArg)`. */
export const AgentInitArgs: IDL.Type[] = [AgentInitArgWire.idl];

/** `perform_call`: one call of one node attempt of the agent's owner. */
export const AgentCallRequestWire = c.record({ key: AttemptKeyWire, canister: c.principal, method: c.text, args: c.blob, cycles: c.nat });
export type AgentCallRequest = Infer<typeof AgentCallRequestWire>;

/**
 * What happened to the call: the target's reply bytes, its reject, the agent's own refusal
 * (nothing sent), or too few cycles for what the call attaches (nothing sent).
 */
export const AgentCallOutcomeWire = c.variant({
    Replied: c.blob,
    Rejected: c.record({ code: c.nat32, message: c.text }),
    Refused: c.record({ reason: CallRefusalReasonWire }),
    InsufficientCycles: c.record({ balance: c.nat, needed: c.nat })
});
export type AgentCallOutcome = Infer<typeof AgentCallOutcomeWire>;

export const AgentInfoWire = c.record({ owner: c.principal, executor: c.principal, cycles: c.nat });
export type AgentInfo = Infer<typeof AgentInfoWire>;

/**
 * What an agent keeps for itself: attached cycles and withdrawals may not take its balance
 * below this (it pays its own calls and storage, and must stay clear of its freezing threshold).
 */
export const AGENT_MIN_BALANCE = 100_000_000_000n;

/** `withdraw_cycles`: the owner sends `amount` of their agent's cycles to canister `to` (`deposit_cycles`). */
export const WithdrawCyclesArgWire = c.record({ to: c.principal, amount: c.nat });
export type WithdrawCyclesArg = Infer<typeof WithdrawCyclesArgWire>;

/** Method table of the agent. */
export const AgentMethods = {
    perform_call: { args: [AgentCallRequestWire], ret: c.result(AgentCallOutcomeWire, ApiErrorCodec), mode: 'update' },
    get_agent_info: { args: [], ret: AgentInfoWire, mode: 'query' },
    withdraw_cycles: { args: [WithdrawCyclesArgWire], ret: c.result(c.record({ balance: c.nat }), ApiErrorCodec), mode: 'update' },
    get_version: GetVersionMethod
} as const satisfies Record<string, MethodSpec>;

/** `idlFactory` for actors of an agent. */
export const agentIdlFactory = idlFactory(AgentMethods);

/** Encodes the agent's install argument (the executor, tests). */
export function encodeAgentInitArg(arg: AgentInitArg): Uint8Array {
    return new Uint8Array(IDL.encode(AgentInitArgs, [arg]));
}
