/**
 * `LiquidatePosition`, the emergency action that closes a position: each owner names their
 * position manager once (`set_position_manager`: a canister, a method and its Candid argument
 * and reply types); a node's `LiquidatePosition { args }` then calls it from the owner's agent
 * when the node fails for good. Every liquidation, sent or refused, is recorded for its owner
 * (`list_liquidations`).
 */
import { resultWire } from './api-common';
import { CallRefusalReasonWire } from './call-policy';
import { NodeErrorWire } from './execution';
import { c, type Infer, type MethodSpec } from '../common/codec';

/**
 * The owner's position manager: `method` of `canister`, called with arguments encoded against
 * `arg_types` and a reply decoded with `reply_types` (a reply variant whose case is `Err` or
 * `err` is a failed liquidation, as for call nodes).
 */
export const PositionManagerWire = c.record({ canister: c.principal, method: c.text, arg_types: c.text, reply_types: c.text });
export type PositionManagerWire = Infer<typeof PositionManagerWire>;

/** `set_position_manager`: `manager = []` removes the caller's position manager. */
export const SetPositionManagerArgWire = c.record({ manager: c.opt(PositionManagerWire) });

/** Why a liquidation was not sent. */
export const LiquidationRefusalWire = c.variant({
    /** The owner has no position manager configured. */
    NoPositionManager: c.null,
    /** The owner's call rule refuses the configured manager now (their allow-list was narrowed since). */
    CallRefused: CallRefusalReasonWire,
    /** The action's values do not fit the manager's argument types (or an input path is missing). */
    InvalidArguments: c.text
});
export type LiquidationRefusalWire = Infer<typeof LiquidationRefusalWire>;

export const LiquidationStatusWire = c.variant({
    /** Sent to the executor: the owner's agent calls the manager. */
    Pending: c.null,
    /** The manager answered with a success; `output` is its reply as JSON. */
    Succeeded: c.record({ output: c.text }),
    /** Rejected, timed out, refused by the executor's call policy, or an `Err` reply. */
    Failed: NodeErrorWire,
    Refused: LiquidationRefusalWire
});
export type LiquidationStatusWire = Infer<typeof LiquidationStatusWire>;

/** One liquidation: which node of which execution asked, what was called, what came of it. */
export const LiquidationWire = c.record({
    execution_id: c.text,
    node_id: c.text,
    requested_at: c.nat64,
    /** The manager called (absent when none was configured). */
    target: c.opt(c.record({ canister: c.principal, method: c.text })),
    status: LiquidationStatusWire,
    finished_at: c.opt(c.nat64)
});
export type LiquidationWire = Infer<typeof LiquidationWire>;

/** `list_liquidations`: the caller's latest liquidations, newest first, and how many they had in all. */
export const LiquidationLogWire = c.record({ recent: c.vec(LiquidationWire), total: c.nat64 });
export type LiquidationLogWire = Infer<typeof LiquidationLogWire>;

/** Liquidations kept per owner (the oldest is dropped first; `total` keeps counting). */
export const MAX_RECENT_LIQUIDATIONS = 50;

/** Method table entries of the orchestrator for position managers (spread into `OrchestratorMethods`). */
export const PositionManagerMethods = {
    set_position_manager: { args: [SetPositionManagerArgWire], ret: resultWire(c.opt(PositionManagerWire)), mode: 'update' },
    get_position_manager: { args: [], ret: resultWire(c.opt(PositionManagerWire)), mode: 'query' },
    list_liquidations: { args: [], ret: resultWire(LiquidationLogWire), mode: 'query' }
} as const satisfies Record<string, MethodSpec>;
