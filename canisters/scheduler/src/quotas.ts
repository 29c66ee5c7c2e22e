/** The schedule quota as admins set it and owners see it (the check itself: `logic/quota.ts`). */
import { apiError, type ApiError } from '../../../shared/common/errors';
import { err, ok, type Result } from '../../../shared/common/result';
import { SchedulerMethods as M, type ScheduleQuota, type SetScheduleQuotaRequest } from '../../../shared/scheduling/service';
import { MAX_SCHEDULES } from './errors';
import { method } from '../../common/method';
import { MAX_CONDITION_READS_PER_HOUR, readUsageAt } from './logic/read-quota';
import * as runtime from './runtime';
import * as state from './state';

export class ScheduleQuotaMethods {
    /**
     * Sets the schedules one owner may hold (`owner = [p]`), or the default of every owner
     * without their own (`owner = []`). Lowering it takes no schedule away: it refuses new ones
     * until the owner is under it. `condition_reads_per_hour = [n]` also sets the condition
     * reads their triggers may make per clock hour. Answers the schedule limit stored.
     * Call context: update. Callers: admins, controllers. Errors: `Unauthorized`, `InvalidInput` (`max_schedules`: 1 to 20,000; `condition_reads_per_hour`: 1 to 36,000).
     */
    @method(M.set_schedule_quota)
    set_schedule_quota(arg: SetScheduleQuotaRequest): Result<number, ApiError> {
        const caller = runtime.caller();
        if (!state.deployment.isAdmin(caller)) return err(apiError.unauthorized(caller));
        if (arg.max_schedules < 1 || arg.max_schedules > MAX_SCHEDULES) return err(apiError.invalidInput('max_schedules', `must be 1 to ${MAX_SCHEDULES}`));
        const reads = arg.condition_reads_per_hour[0];
        if (reads !== undefined && (reads < 1 || reads > MAX_CONDITION_READS_PER_HOUR)) return err(apiError.invalidInput('condition_reads_per_hour', `must be 1 to ${MAX_CONDITION_READS_PER_HOUR}`));
        state.putScheduleQuota(arg.owner[0]?.toText(), arg.max_schedules);
        if (reads !== undefined) state.putConditionReadQuota(arg.owner[0]?.toText(), reads);
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
        const reads = readUsageAt(state.conditionReadUsageOf(owner), runtime.now());
        return ok({
            max_schedules: state.scheduleQuotaOf(owner),
            schedules: state.schedulesOwnedBy(owner),
            condition_reads_per_hour: state.conditionReadQuotaOf(owner),
            condition_reads_this_hour: reads.reads,
            condition_reads_refused: reads.refused
        });
    }
}
