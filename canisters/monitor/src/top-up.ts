/** The optional top-up of the peers from the monitor's reserve. */
import { z } from 'zod';

import type { ApiError } from '../../../shared/common/errors';
import { err, ok, type Result } from '../../../shared/common/result';
import { fromOpt, parseWith, toOpt } from '../../../shared/common/codec';
import { MonitorMethods as M } from '../../../shared/monitoring/service';
import { TopUpPolicySchema, type TopUpPolicy } from '../../../shared/monitoring/top-up';
import { requireAdmin } from './guards';
import * as runtime from './runtime';
import * as state from './state';
import { method } from '../../common/method';

export class TopUpMethods {
    /**
     * Sets (or with `null` turns off) the top-up policy: at every check (60 s and
     * `trigger_health_check`) a peer whose `canister_status` balance is below `below` gets
     * `amount` cycles from the monitor's own balance, which stays at or above `reserve_floor`.
     * Each deposit is logged in the notification log. Answers the policy now in force.
     * Call context: update. Callers: admins, controllers.
     * Errors: `Unauthorized`, `InvalidInput` (`below` or `amount` zero).
     */
    @method(M.set_top_up_policy)
    set_top_up_policy(arg: [] | [TopUpPolicy]): Result<[] | [TopUpPolicy], ApiError> {
        const denied = requireAdmin(runtime.caller());
        if (denied !== undefined) return err(denied);
        const parsed = parseWith(z.array(TopUpPolicySchema).max(1), arg);
        if ('Err' in parsed) return parsed;
        const policy = fromOpt(parsed.Ok as [] | [TopUpPolicy]);
        state.setTopUpPolicy(policy);
        return ok(toOpt(policy));
    }
}
