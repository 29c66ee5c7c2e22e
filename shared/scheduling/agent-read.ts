/**
 * A condition trigger's read, made by the owner's agent: the scheduler hands the read to the
 * executor (`read_through_agent`, the scheduler only), which checks the agent's balance and
 * has the agent make the call, as it does for call nodes. The read's call is sent, and paid
 * for, by the agent; an agent under the run minimum is not asked to read at all.
 */
import { ApiErrorCodec } from '../common/errors';
import { c, type Infer, type MethodSpec } from '../common/codec';
import { ConditionReadCodec } from './condition';

export const AgentReadRequestCodec = c.record({ owner: c.principal, schedule_id: c.text, read: ConditionReadCodec });
export type AgentReadRequest = Infer<typeof AgentReadRequestCodec>;

/**
 * - `Replied`: the target's reply bytes;
 * - `Rejected`: the target (or the agent) rejected, with the IC reject code;
 * - `Refused`: the agent's call policy refused the target, nothing was sent;
 * - `Underfunded`: the agent holds less than the run minimum, nothing was sent.
 */
export const AgentReadOutcomeCodec = c.variant({
    Replied: c.blob,
    Rejected: c.record({ code: c.nat32, message: c.text }),
    Refused: c.text,
    Underfunded: c.record({ balance: c.nat, minimum: c.nat })
});
export type AgentReadOutcome = Infer<typeof AgentReadOutcomeCodec>;

/**
 * Errors: Unauthorized (not the scheduler), NotFound (the owner has no agent yet), Unavailable
 * (the owner's agent is being upgraded: nothing was sent; the scheduler reads again soon,
 * counting neither a read nor a failure).
 */
export const ReadThroughAgentMethod = { args: [AgentReadRequestCodec], ret: c.result(AgentReadOutcomeCodec, ApiErrorCodec), mode: 'update' } as const satisfies MethodSpec;
