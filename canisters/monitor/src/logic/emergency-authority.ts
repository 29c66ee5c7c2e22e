import type { Principal } from '@dfinity/principal';
import { apiError, type ApiError } from '../../../../shared/common/errors';
import { err, ok, type Result } from '../../../../shared/common/result';
import {
    MAX_EMERGENCY_OWNERS,
    MAX_EMERGENCY_REFUSALS,
    type EmergencyAuthority,
    type EmergencyState,
    type RaiseEmergencyError,
    type RaiseEmergencyRequest,
    type SetEmergencyOwnerRequest
} from '../../../../shared/monitoring/emergency';
import { changeEmergency, isAdmin, type AdminCheck } from './emergency';
import { appendNotification } from './notifications';
import type { MonitorEffect, MonitorState } from './state';

/**
 * `set_emergency_owner`: admins/controllers mark an owner as allowed (or no longer) to raise
 * system-wide modes from their workflows' emergency actions. Idempotent.
 *
 * @example
 * setEmergencyOwner(auth, { owner, allowed: true }, caller, check)
 */
export function setEmergencyOwner(auth: EmergencyAuthority, request: SetEmergencyOwnerRequest, caller: Principal, check: AdminCheck): Result<EmergencyAuthority, ApiError> {
    if (!isAdmin(caller, check)) return err(apiError.unauthorized(caller));
    const others = auth.owners.filter((o) => o.toText() !== request.owner.toText());
    if (!request.allowed) return ok({ ...auth, owners: others });
    if (others.length >= MAX_EMERGENCY_OWNERS) return err(apiError.limitExceeded('emergency_owners', BigInt(MAX_EMERGENCY_OWNERS)));
    return ok({ ...auth, owners: [...others, request.owner] });
}

/** What a raise did: the new states, the pushes, and the answer for the orchestrator. */
export type RaiseOutcome = { state: MonitorState; authority: EmergencyAuthority; effects: MonitorEffect[]; answer: Result<EmergencyState, RaiseEmergencyError> };

/**
 * `raise_emergency_for_owner` (the orchestrator, for a node's `PauseAllWorkflows` /
 * `EnableSafeMode`): with an allowed owner, the mode changes as if an admin had asked
 * (`changed_by` = the owner, a Critical notification, pushed to every peer); otherwise the
 * request is refused with `OwnerNotAllowed { owner }`, and the refusal is recorded (in
 * the refusal list and as a Warning notification) so it is visible, never silent.
 * A raise to the mode already in force changes nothing and answers the state.
 *
 * @example
 * raiseForOwner(state, auth, { owner, mode: { Emergency: null }, reason }, peers, now)
 */
export function raiseForOwner(state: MonitorState, auth: EmergencyAuthority, request: RaiseEmergencyRequest, peers: readonly Principal[], now: bigint): RaiseOutcome {
    const mode = 'Safe' in request.mode ? 'Safe' : 'Emergency';
    const reason = request.reason.trim().slice(0, 500) || 'emergency action of a workflow';
    const owner = request.owner.toText();
    if (!auth.owners.some((o) => o.toText() === owner)) {
        const refusal = { id: auth.refused_total + 1n, owner: request.owner, mode: request.mode, reason, at: now };
        const kept = [...auth.refusals, refusal];
        const logged = appendNotification(state, { Warning: null }, `${mode.toLowerCase()} mode refused for ${owner}, who is not allowed to raise it: ${reason}`, 'monitor', now);
        return {
            state: logged.state,
            authority: { ...auth, refusals: kept.slice(Math.max(0, kept.length - MAX_EMERGENCY_REFUSALS)), refused_total: refusal.id },
            effects: [],
            answer: err({ OwnerNotAllowed: { owner: request.owner } })
        };
    }
    // Emergency is the stronger mode: a safe-mode raise does not lift it.
    if (mode in state.emergency.mode || ('Emergency' in state.emergency.mode && mode === 'Safe')) return { state, authority: auth, effects: [], answer: ok(state.emergency) };
    const next: EmergencyState = { mode: mode === 'Safe' ? { Safe: null } : { Emergency: null }, reason, changed_at: now, changed_by: [request.owner] };
    const changed = changeEmergency(state, next, peers, `${mode.toLowerCase()} mode raised by a workflow of ${owner}: ${reason}`, now);
    return { state: changed.state, authority: auth, effects: changed.effects, answer: ok(next) };
}
