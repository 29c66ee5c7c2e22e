import { c, type Infer } from '../common/codec';

/** Largest argument a condition's read may send, in bytes. */
export const MAX_CONDITION_ARGS_BYTES = 2_048;

/** How a reply value is compared with the trigger's constant. */
export const ConditionOpCodec = c.tags(['Lt', 'Le', 'Gt', 'Ge', 'Eq', 'Ne'] as const);
export type ConditionOp = Infer<typeof ConditionOpCodec>;


/**
 * The read a condition trigger makes: a call (to a query or update method) of `canister`
 * with Candid `args`, whose reply is decoded with `reply_types` (Candid text such as
 * `(record { price_e8s: nat64 })`) into JSON. The call policy of call nodes applies: never a
 * DeFlow canister, the management canister or a principal that is not a canister, and only
 * canisters on the owner's allow-list if they keep one.
 *
 * @example
 * const r: ConditionRead = { canister: oracle, method: 'get_price', args: new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]), reply_types: '(record { price_e8s: nat64 })' };
 */
export const ConditionReadCodec = c.record({ canister: c.principal, method: c.text, args: c.blob, reply_types: c.text });
export type ConditionRead = Infer<typeof ConditionReadCodec>;

/**
 * A condition trigger (Chainlink custom-logic upkeep is the model): every `every_seconds` the
 * scheduler makes `read` and starts the workflow when the value at `path` (a JSON path into
 * the decoded reply) compared by `op` with `value` (JSON) holds. One crossing starts one run:
 * after a run the trigger is disarmed until a read finds the condition false again, and
 * never starts runs less than `cooldown_seconds` apart.
 *
 * @example
 * const t: ConditionTrigger = { every_seconds: 30n, read, path: 'price_e8s', op: { Lt: null }, value: '60000000', cooldown_seconds: 300n };
 */
export const ConditionTriggerCodec = c.record({
    every_seconds: c.nat64,
    read: ConditionReadCodec,
    path: c.text,
    op: ConditionOpCodec,
    value: c.text,
    cooldown_seconds: c.nat64
});
export type ConditionTrigger = Infer<typeof ConditionTriggerCodec>;

/**
 * What a condition trigger has seen, on its schedule (`Schedule.condition`):
 *
 * - `armed`: the next read that finds the condition true starts a run.
 * - `last_value`: the JSON value at `path` in the last good read; `last_read_at` when any read last ended.
 * - `last_run_at`: when the trigger last started a run (drives the cool-down).
 * - `reads`, `read_failures`: reads made and reads that failed (rejected, undecodable, no value at `path`).
 * - `last_error`: why the last failed read failed.
 * - `underfunded`: the owner's agent held `balance` cycles, under the run `minimum`, when
 *   the trigger last wanted to read (`since`: the first such time): no read is sent, the
 *   trigger checks again at most every 5 minutes and reads once the agent is topped up.
 * - `read_quota`: the owner's triggers made their `max` condition reads of this clock hour
 *   (their quota, `get_schedule_quota`): no read is sent until `until`, the next hour.
 *
 * @example
 * state.armed === false // a run started; waiting for the condition to turn false
 */
export const ConditionStateCodec = c.record({
    armed: c.bool,
    last_value: c.opt(c.text),
    last_read_at: c.opt(c.nat64),
    last_run_at: c.opt(c.nat64),
    reads: c.nat64,
    read_failures: c.nat64,
    last_error: c.opt(c.text),
    underfunded: c.opt(c.record({ balance: c.nat, minimum: c.nat, since: c.nat64 })),
    read_quota: c.opt(c.record({ max: c.nat32, until: c.nat64 }))
});
export type ConditionState = Infer<typeof ConditionStateCodec>;

/** The state of a new trigger: armed, nothing read yet. */
export const INITIAL_CONDITION_STATE: ConditionState = { armed: true, last_value: [], last_read_at: [], last_run_at: [], reads: 0n, read_failures: 0n, last_error: [], underfunded: [], read_quota: [] };
