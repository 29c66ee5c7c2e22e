/** The schedule quota as admins set it and owners see it (the check itself: `logic/quota.ts`). */
import { apiError, type ApiError } from '../../../shared/common/errors';
import { err, ok, type Result } from '../../../shared/common/result';
import { SchedulerMethods as M, type ScheduleQuota, type SetScheduleQuotaRequest } from '../../../shared/scheduling/service';
import { MAX_SCHEDULES } from './errors';
import { method } from '../../common/method';
import * as runtime from './runtime';
import * as state from './state';

export class ScheduleQuotaMethods {
    /**
     * Sets the schedules one owner may hold (`owner = [p]`), or the default of every owner
     * without their own (`owner = []`). Lowering it takes no schedule away: it refuses new ones
     * until the owner is under it. Answers the limit stored.
     * Call context: update. Callers: admins, controllers. Errors: `Unauthorized`, `InvalidInput` (`max_schedules`: 1 to 20,000).
     */
    @method(M.set_schedule_quota)
    set_schedule_quota(arg: SetScheduleQuotaRequest): Result<number, ApiError> {
        const caller = runtime.caller();
        if (!state.deployment.isAdmin(caller)) return err(apiError.unauthorized(caller));
        if (arg.max_schedules < 1 || arg.max_schedules > MAX_SCHEDULES) return err(apiError.invalidInput('max_schedules', `must be 1 to ${MAX_SCHEDULES}`));
        state.putScheduleQuota(arg.owner[0]?.toText(), arg.max_schedules);
        return ok(arg.max_schedules);
    }

    /**
     * The caller's schedule quota and how many schedules they hold.
     * Call context: query. Callers: any non-anonymous principal, for themselves. Errors: `Unauthorized` (anonymous).
     */
    @method(M.get_schedule_quota)
    get_schedule_quota(): Result<ScheduleQuota, ApiError> {
        const caller = runtime.caller();
        if (caller.isAnonymous()) return err(apiError.unauthorized(caller));
        const owner = caller.toText();
        return ok({ max_schedules: state.scheduleQuotaOf(owner), schedules: state.schedulesOwnedBy(owner) });
    }
}
