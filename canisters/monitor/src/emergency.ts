/** Emergency and safe mode: decided here, pushed to orchestrator, scheduler and executor. */
import { isController, type Principal } from 'azle';

import type { ApiError } from '../../../shared/common/errors';
import { ok, type Result, err } from '../../../shared/common/result';
import { parseWith } from '../../../shared/common/codec';
import { DisableEmergencyRequestCodec, EnableEmergencyRequestCodec, RaiseEmergencyRequestCodec, SetEmergencyOwnerRequestCodec, type DisableEmergencyRequest, type EmergencyAuthority, type EmergencyState, type EnableEmergencyRequest, type RaiseEmergencyError, type RaiseEmergencyRequest, type SetEmergencyOwnerRequest } from '../../../shared/monitoring/emergency';
import { apiError } from '../../../shared/common/errors';
import { raiseForOwner, setEmergencyOwner } from './logic/emergency-authority';
import { MonitorMethods as M } from '../../../shared/monitoring/service';
import { disableEmergencyMode, enableEmergencyMode, isAdmin, type AdminCheck } from './logic/emergency';
import type { MonitorEffect, MonitorState } from './logic/state';
import * as runtime from './runtime';
import * as state from './state';
import { method } from '../../common/method';

function adminCheck(caller: Principal): AdminCheck {
    return { admins: state.deployment.config.admins, caller_is_controller: isController(caller) };
}

export class EmergencyMethods {
    /**
     * Enables `Safe` (only critical workflows start) or `Emergency` (nothing starts, running
     * executions stop at the next node boundary, schedules record skipped firings). The state
     * is pushed to the three peers through a stable outbox retried with backoff; peers also
     * adopt it from their next `report_health` ack.
     * Call context: update. Callers: admins and controllers only.
     * Errors: `Unauthorized`, `InvalidInput` (`reason` empty or over 500 characters).
     */
    @method(M.enable_emergency_mode)
    enable_emergency_mode(arg: EnableEmergencyRequest): Result<EmergencyState, ApiError> {
        const parsed = parseWith(EnableEmergencyRequestCodec.schema, arg);
        if ('Err' in parsed) return parsed;
        const caller = runtime.caller();
        return applyChange((s, now) => enableEmergencyMode(s, parsed.Ok, caller, adminCheck(caller), state.emergencyTargets(), now));
    }

    /**
     * Back to `Normal` everywhere (accepted when already normal, re-pushing the state to repair
     * a half-propagated change). Call context: update. Callers: admins and controllers only.
     * Errors: `Unauthorized`, `InvalidInput`.
     */
    @method(M.disable_emergency_mode)
    disable_emergency_mode(arg: DisableEmergencyRequest): Result<EmergencyState, ApiError> {
        const parsed = parseWith(DisableEmergencyRequestCodec.schema, arg);
        if ('Err' in parsed) return parsed;
        const caller = runtime.caller();
        return applyChange((s, now) => disableEmergencyMode(s, parsed.Ok, caller, adminCheck(caller), state.emergencyTargets(), now));
    }

    /**
     * A workflow node's emergency action (`PauseAllWorkflows`, `EnableSafeMode`), raised with
     * the authority of the workflow's owner: an owner the admins allowed (`set_emergency_owner`)
     * changes the mode everywhere, as `enable_emergency_mode` does, recorded as changed by the
     * owner; any other owner is refused, and the refusal is recorded (`get_emergency_authority`,
     * and a Warning in `get_notifications`).
     * Call context: update. Callers: the orchestrator only (it vouches for the owner: it checked
     * the workflow's owner when it stored the workflow).
     * Errors: `Unauthorized` (not the orchestrator), `OwnerNotAllowed { owner }` (recorded), `InvalidInput`.
     */
    @method(M.raise_emergency_for_owner)
    raise_emergency_for_owner(arg: RaiseEmergencyRequest): Result<EmergencyState, RaiseEmergencyError> {
        const caller = runtime.caller();
        if (!state.deployment.isPeer(caller, 'orchestrator')) return err(apiError.unauthorized(caller));
        const parsed = parseWith(RaiseEmergencyRequestCodec.schema, arg);
        if ('Err' in parsed) return parsed;
        const before = state.load();
        const r = raiseForOwner(before, state.emergencyAuthority.get(), parsed.Ok, state.emergencyTargets(), runtime.now());
        state.save(before, r.state);
        state.emergencyAuthority.set(r.authority);
        if (r.effects.length > 0) {
            runtime.applyEffects(r.effects);
            runtime.pushNow();
        }
        return r.answer;
    }

    /**
     * Allows (or stops allowing) an owner's workflows to raise system-wide modes.
     * Call context: update. Callers: admins and controllers only.
     * Errors: `Unauthorized`, `LimitExceeded` (more than 100 owners), `InvalidInput`.
     */
    @method(M.set_emergency_owner)
    set_emergency_owner(arg: SetEmergencyOwnerRequest): Result<EmergencyAuthority, ApiError> {
        const parsed = parseWith(SetEmergencyOwnerRequestCodec.schema, arg);
        if ('Err' in parsed) return parsed;
        const caller = runtime.caller();
        const r = setEmergencyOwner(state.emergencyAuthority.get(), parsed.Ok, caller, adminCheck(caller));
        if ('Ok' in r) state.emergencyAuthority.set(r.Ok);
        return r;
    }

    /**
     * The owners allowed to raise modes and the refusals recorded (latest 100, oldest first).
     * Call context: query. Callers: admins and controllers only. Errors: `Unauthorized`.
     */
    @method(M.get_emergency_authority)
    get_emergency_authority(): Result<EmergencyAuthority, ApiError> {
        const caller = runtime.caller();
        if (!isAdmin(caller, adminCheck(caller))) return err(apiError.unauthorized(caller));
        return ok(state.emergencyAuthority.get());
    }
}

type Change = Result<{ state: MonitorState; effects: MonitorEffect[] }, ApiError>;

/** Saves a mode change, queues its pushes and sends them now (not awaited: the reply does not wait for peers). */
function applyChange(step: (s: MonitorState, now: bigint) => Change): Result<EmergencyState, ApiError> {
    const before = state.load();
    const changed = step(before, runtime.now());
    if ('Err' in changed) return changed;
    state.save(before, changed.Ok.state);
    runtime.applyEffects(changed.Ok.effects);
    runtime.pushNow();
    return ok(changed.Ok.state.emergency);
}
