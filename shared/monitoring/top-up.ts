import { c, type Infer } from '../common/codec';

/**
 * The optional top-up of the monitored peers from the monitor's own balance (its reserve):
 * at every check, a peer whose `canister_status` balance is below `below` receives `amount`
 * cycles (`deposit_cycles`), as long as the monitor keeps at least `reserve_floor` after it.
 * Off (`null`) by default; set by admins with `set_top_up_policy`.
 *
 * @example
 * const p: TopUpPolicy = { below: 2_000_000_000_000n, amount: 1_000_000_000_000n, reserve_floor: 5_000_000_000_000n };
 */
export const TopUpPolicyCodec = c.record({ below: c.nat, amount: c.nat, reserve_floor: c.nat });
export type TopUpPolicy = Infer<typeof TopUpPolicyCodec>;
export const TopUpPolicySchema = TopUpPolicyCodec.schema.refine((p) => p.amount > 0n && p.below > 0n, { message: 'below and amount must be positive' });
