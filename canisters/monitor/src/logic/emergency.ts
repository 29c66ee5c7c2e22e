import type { Principal } from '@dfinity/principal';
import { apiError, type ApiError } from '../../../../shared/common/errors';
import { err, ok, type Result } from '../../../../shared/common/result';
import type { DisableEmergencyRequest, EmergencyState, EnableEmergencyRequest } from '../../../../shared/monitoring/emergency';
import { appendNotification } from './notifications';
import type { MonitorEffect, MonitorState } from './state';

/** Who may toggle emergency mode: the configured admins, or a controller of the monitor. */
export type AdminCheck = { admins: readonly Principal[]; caller_is_controller: boolean };

/**
 * Whether `caller` is an admin (listed) or a controller (the adapter asks `isController`).
 *
 * @example
 * isAdmin(caller, { admins, caller_is_controller: isController(caller) })
 */
export function isAdmin(caller: Principal, check: AdminCheck): boolean {
    return check.caller_is_controller || check.admins.some((a) => a.toText() === caller.toText());
}

/** A mode change: logged (Critical, or Warning when back to Normal) and pushed to every peer. */
export function changeEmergency(state: MonitorState, next: EmergencyState, peers: readonly Principal[], message: string, now: bigint): { state: MonitorState; effects: MonitorEffect[] } {
    const logged = appendNotification({ ...state, emergency: next }, 'Normal' in next.mode ? { Warning: null } : { Critical: null }, message, 'monitor', now);
    return { state: logged.state, effects: peers.map((target) => ({ type: 'PropagateEmergency', target, state: next })) };
}

/**
 * `enable_emergency_mode`: admins/controllers only (else `Unauthorized`), reason required.
 * Logs a Critical notification and pushes the new state to every peer.
 *
 * @example
 * enableEmergencyMode(state, { mode: { Emergency: null }, reason: 'exploit' }, caller, check, peers, now)
 */
export function enableEmergencyMode(
    state: MonitorState,
    request: EnableEmergencyRequest,
    caller: Principal,
    check: AdminCheck,
    peers: readonly Principal[],
    now: bigint
): Result<{ state: MonitorState; effects: MonitorEffect[] }, ApiError> {
    if (!isAdmin(caller, check)) return err(apiError.unauthorized(caller));
    const reason = request.reason.trim();
    if (reason.length === 0 || reason.length > 500) return err(apiError.invalidInput('reason', 'expected 1..500 characters'));
    const mode = 'Safe' in request.mode ? { Safe: null } : { Emergency: null };
    const next: EmergencyState = { mode, reason, changed_at: now, changed_by: [caller] };
    return ok(changeEmergency(state, next, peers, `${'Safe' in mode ? 'safe' : 'emergency'} mode enabled by ${caller.toText()}: ${reason}`, now));
}

/**
 * `disable_emergency_mode`: admins/controllers only; back to Normal everywhere. Disabling
 * while already normal is accepted (and re-pushed) so a half-propagated state can be repaired.
 *
 * @example
 * disableEmergencyMode(state, { reason: 'fixed' }, caller, check, peers, now)
 */
export function disableEmergencyMode(
    state: MonitorState,
    request: DisableEmergencyRequest,
    caller: Principal,
    check: AdminCheck,
    peers: readonly Principal[],
    now: bigint
): Result<{ state: MonitorState; effects: MonitorEffect[] }, ApiError> {
    if (!isAdmin(caller, check)) return err(apiError.unauthorized(caller));
    const next: EmergencyState = { mode: { Normal: null }, reason: request.reason.trim().slice(0, 500), changed_at: now, changed_by: [caller] };
    return ok(changeEmergency(state, next, peers, `emergency mode disabled by ${caller.toText()}: ${next.reason}`, now));
}
