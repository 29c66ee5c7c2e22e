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
