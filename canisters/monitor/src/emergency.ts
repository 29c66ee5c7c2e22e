/** Emergency and safe mode: decided here, pushed to orchestrator, scheduler and executor. */
import { isController, type Principal } from 'azle';

import type { ApiError } from '../../../shared/common/errors';
import { ok, type Result } from '../../../shared/common/result';
import { parseWith } from '../../../shared/common/codec';
import { DisableEmergencyRequestCodec, EnableEmergencyRequestCodec, type DisableEmergencyRequest, type EmergencyState, type EnableEmergencyRequest } from '../../../shared/monitoring/emergency';
import { MonitorMethods as M } from '../../../shared/monitoring/service';
import { disableEmergencyMode, enableEmergencyMode, type AdminCheck } from './logic/emergency';
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
