/** The monitor's emergency state, as the executor applies it. */

import type { ApiError } from '../../../shared/common/errors';
import type { EmergencyState } from '../../../shared/monitoring/emergency';
import { receiveEmergencyState } from '../../common/emergency-store';
import { ExecutorMethods } from '../../../shared/workflow';
import { method } from '../../common/method';
import { requirePeer } from './guards';
import { armWake } from './runner';
import { emergency } from './state';
import * as runtime from './runtime';
import type { Result } from '../../../shared/common/result';

/** Keeps the newer of the held and the incoming state; leaving emergency mode wakes held attempts. */
export function adoptEmergency(incoming: EmergencyState, now: bigint): void {
    if (emergency.adopt(incoming)) armWake(now);
}

export class EmergencyMethods {
    /**
     * Emergency: scheduled attempts are held (running calls finish and are reported); Normal
     * or Safe: they run again. A state older than the held one is ignored.
     * Call context: inter-canister update; the monitor only. Errors: Unauthorized, InvalidInput.
     */
    @method(ExecutorMethods.set_emergency_mode)
    set_emergency_mode(state: EmergencyState): Result<null, ApiError> {
        return receiveEmergencyState(requirePeer(runtime.caller(), 'monitor'), state, (valid) => adoptEmergency(valid, runtime.now()));
    }
}
