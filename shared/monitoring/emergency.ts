import { apiErrorVariants } from '../common/errors';
import { c, type Infer } from '../common/codec';

/**
 * System-wide operating mode, set by the monitor and propagated to every canister.
 * - `Normal`: everything runs.
 * - `Safe`: only workflows marked critical start; schedules of others record skipped firings.
 * - `Emergency`: no new executions start; running ones stop at the next node boundary.
 *
 * @example
 * const m: SystemMode = { Safe: null };
 */
export const SystemModeCodec = c.tags(['Normal', 'Safe', 'Emergency'] as const);
export type SystemMode = Infer<typeof SystemModeCodec>;

/**
 * The emergency/safe mode state: what is on, why, since when, who switched it.
 * `changed_at` doubles as a version: a canister ignores a state older than the one it holds.
 *
 * @example
 * const s: EmergencyState = { mode: { Normal: null }, reason: '', changed_at: 0n, changed_by: [] };
 */
export const EmergencyStateCodec = c.record({
    mode: SystemModeCodec,
    reason: c.text,
    changed_at: c.nat64,
    changed_by: c.opt(c.principal)
});
export type EmergencyState = Infer<typeof EmergencyStateCodec>;

/** The state every canister starts in. */
export const NORMAL_MODE: EmergencyState = { mode: { Normal: null }, reason: '', changed_at: 0n, changed_by: [] };

/**
 * Argument of `enable_emergency_mode`: which restricted mode, and why (kept in the log).
 *
 * @example
 * const r: EnableEmergencyRequest = { mode: { Emergency: null }, reason: 'oracle compromised' };
 */
export const EnableEmergencyRequestCodec = c.record({
    mode: c.tags(['Safe', 'Emergency'] as const),
    reason: c.text
});
export type EnableEmergencyRequest = Infer<typeof EnableEmergencyRequestCodec>;

/** Argument of `disable_emergency_mode`. @example const r: DisableEmergencyRequest = { reason: 'incident closed' }; */
export const DisableEmergencyRequestCodec = c.record({ reason: c.text });
export type DisableEmergencyRequest = Infer<typeof DisableEmergencyRequestCodec>;

/**
 * Which of two emergency states wins: the one changed last (`changed_at`), so pushes and
 * report_health acks arriving out of order converge on the monitor's latest decision.
 *
 * @example
 * newerEmergencyState(current, incoming) // incoming if incoming.changed_at >= current.changed_at
 */
export function newerEmergencyState(current: EmergencyState, incoming: EmergencyState): EmergencyState {
    return incoming.changed_at >= current.changed_at ? incoming : current;
}

// ---- emergency actions of workflow nodes: raised with the authority of the workflow's owner ----

/**
 * Argument of `raise_emergency_for_owner` (the orchestrator's call when a node's emergency
 * action `PauseAllWorkflows` or `EnableSafeMode` runs): the workflow's owner whose authority
 * the change needs, the mode, and where it came from (kept in the log).
 *
 * @example
 * const r: RaiseEmergencyRequest = { owner, mode: { Emergency: null }, reason: 'emergency action of node repay in execution ex-7' };
 */
export const RaiseEmergencyRequestCodec = c.record({
    owner: c.principal,
    mode: c.tags(['Safe', 'Emergency'] as const),
    reason: c.text
});
export type RaiseEmergencyRequest = Infer<typeof RaiseEmergencyRequestCodec>;

/** Argument of `set_emergency_owner`: whether `owner`'s workflows may raise system-wide modes. */
export const SetEmergencyOwnerRequestCodec = c.record({ owner: c.principal, allowed: c.bool });
export type SetEmergencyOwnerRequest = Infer<typeof SetEmergencyOwnerRequestCodec>;

/** One refused `raise_emergency_for_owner`: whose workflow asked for what, when, why. */
export const EmergencyRefusalCodec = c.record({
    id: c.nat64,
    owner: c.principal,
    mode: c.tags(['Safe', 'Emergency'] as const),
    reason: c.text,
    at: c.nat64
});
export type EmergencyRefusal = Infer<typeof EmergencyRefusalCodec>;

/**
 * Who may raise system-wide modes from a workflow, and the refusals so far (the latest
 * `MAX_EMERGENCY_REFUSALS`, oldest first; `refused_total` counts every one).
 */
export const EmergencyAuthorityCodec = c.record({
    owners: c.vec(c.principal),
    refusals: c.vec(EmergencyRefusalCodec),
    refused_total: c.nat64
});
export type EmergencyAuthority = Infer<typeof EmergencyAuthorityCodec>;

/** Refusals kept (older ones are dropped, still counted in `refused_total`). */
export const MAX_EMERGENCY_REFUSALS = 100;

/** Allowed owners at most: the list is read on every raise. */
export const MAX_EMERGENCY_OWNERS = 100;

/**
 * The error of `raise_emergency_for_owner`: the shared `ApiError`, or `OwnerNotAllowed` (the
 * request was well formed and came from the orchestrator, but the workflow's owner is not one
 * the admins allowed; the refusal is recorded).
 */
export const RaiseEmergencyErrorCodec = c.variant({ ...apiErrorVariants, OwnerNotAllowed: c.record({ owner: c.principal }) });
export type RaiseEmergencyError = Infer<typeof RaiseEmergencyErrorCodec>;
export const RaiseEmergencyResultCodec = c.result(EmergencyStateCodec, RaiseEmergencyErrorCodec);

export const NO_EMERGENCY_AUTHORITY: EmergencyAuthority = { owners: [], refusals: [], refused_total: 0n };
