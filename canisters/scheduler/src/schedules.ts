/**
 * The user-facing schedule API: create, list, read, pause, resume, cancel. Inputs are checked
 * with the contract's zod schemas (`InvalidInput` with a field path, never a trap); callers
 * are checked against the schedule's owner.
 */
import { type Principal } from 'azle';
import { z } from 'zod';

import { apiError, type ApiError } from '../../../shared/common/errors';
import { err, ok, type Result } from '../../../shared/common/result';
import { fromOpt, parseWith, toOpt } from '../../../shared/common/codec';
import { ScheduleRequestCodec, type Schedule, type ScheduleRequest } from '../../../shared/scheduling/schedule';
import { ListSchedulesRequestCodec, SchedulerMethods as M, type ListSchedulesRequest, type ScheduleDetails, type SchedulePage } from '../../../shared/scheduling/service';
import { MAX_SCHEDULES, schedulerError } from './errors';
import { isPrivileged, requireManage } from './guards';
import { createSchedule, pauseSchedule, resumeSchedule } from './logic/lifecycle';
import type { ScheduleStep } from './logic/fire';
import { holdFor } from './logic/hold';
import { scheduleListLimit } from './logic/listing';
import { scheduleQuotaRefusal } from './logic/quota';
import { validateScheduleRequest } from './logic/validate';
import * as runtime from './runtime';
import * as state from './state';
import { method } from '../../common/method';

const ScheduleIdSchema = z.string().min(1).max(64);

/** The schedule `id` if it exists and `caller` may manage it. */
function managed(id: unknown, caller: Principal): Result<Schedule, ApiError> {
    const parsed = parseWith(ScheduleIdSchema, id);
    if ('Err' in parsed) return parsed;
    const schedule = state.getSchedule(parsed.Ok);
    if (schedule === undefined) return err(schedulerError.scheduleNotFound(parsed.Ok));
    const denied = requireManage(schedule, caller);
    return denied === undefined ? ok(schedule) : err(denied);
}

/** Applies a pause/resume step to a managed schedule. */
function change(id: string, step: (schedule: Schedule, now: bigint) => ScheduleStep): Result<Schedule, ApiError> {
    const found = managed(id, runtime.caller());
    if ('Err' in found) return found;
    const next = step(found.Ok, runtime.now());
    runtime.commit(next.schedule, next.effects, found.Ok);
    return ok(next.schedule);
}

export class ScheduleMethods {
    /**
     * Creates a schedule (once, interval, cron in UTC, every heartbeat, or a condition trigger
     * that reads a canister every N seconds) for `workflow_id`,
     * whose runs get `input` (JSON text, default `null`). The orchestrator is asked first
     * (inter-canister `check_schedule_target`): the workflow must exist and be the owner's, and
     * `input` must have every path the workflow reads. A schedule of a paused workflow is
     * created held (`hold = WorkflowPaused`) and fires once the workflow resumes.
     * Call context: update (awaits the orchestrator). Callers: anyone non-anonymous (they own
     * the schedule); the wired orchestrator may name another `owner`.
     * Errors: `InvalidInput` (field path such as `kind.Cron.expression` or
     * `input.threshold_e8s`, `kind.Condition.read.canister` when the call policy refuses the
     * read target), `NotFound` (`workflow`), `Unauthorized` (anonymous, or the owner
     * does not own the workflow), `Unavailable` (the orchestrator did not answer; nothing
     * created), `LimitExceeded` (`schedules`: the scheduler is full; `schedules_per_owner`:
     * the owner's quota, `MAX_SCHEDULES_PER_OWNER`).
     */
    @method(M.schedule_workflow_execution)
    async schedule_workflow_execution(arg: ScheduleRequest): Promise<Result<Schedule, ApiError>> {
        const parsed = parseWith(ScheduleRequestCodec.schema, arg);
        if ('Err' in parsed) return parsed;
        if (state.scheduleCount() >= MAX_SCHEDULES) return err(schedulerError.tooManySchedules());
        const caller = runtime.caller();
        if (caller.isAnonymous()) return err(schedulerError.unauthorized(caller));
        const valid = validateScheduleRequest(parsed.Ok, caller, state.deployment.isPeer(caller, 'orchestrator'), runtime.now());
        if ('Err' in valid) return valid;
        const readTarget = 'Condition' in valid.Ok.kind ? valid.Ok.kind.Condition.read.canister : undefined;
        const target = await runtime.checkTarget(valid.Ok.workflow_id, valid.Ok.owner, readTarget);
        if ('Err' in target) return target;
        const hold = holdFor(target.Ok, valid.Ok.input);
        if (hold !== undefined && 'InputRejected' in hold) return err(apiError.invalidInput(hold.InputRejected.field, hold.InputRejected.message));
        // Other messages ran while we awaited: the limits are checked against what is stored now.
        if (state.scheduleCount() >= MAX_SCHEDULES) return err(schedulerError.tooManySchedules());
        const owner = valid.Ok.owner.toText();
        const quota = scheduleQuotaRefusal(valid.Ok.owner, state.schedulesOwnedBy(owner), state.scheduleQuotaOf(owner));
        if (quota !== undefined) return err(quota);
        const now = runtime.now();
        const created = createSchedule(valid.Ok, state.nextScheduleId(), now, { hold, changed_at: target.Ok.changed_at });
        if ('Err' in created) return created;
        runtime.commit(created.Ok, [], undefined);
        return ok(created.Ok);
    }

    /**
     * Pages through schedules in creation order, read through the owner's, the workflow's or
     * the all-schedules index from the cursor (its cost does not grow with what is stored; a
     * page with a sparse filter may end early, with a cursor). Call context: query. Callers:
     * anyone; only admins, controllers and the orchestrator see other owners' schedules (the
     * `owner` filter is forced to the caller otherwise). Errors: `InvalidInput` (`limit` 0 or a bad cursor).
     */
    @method(M.list_persistent_scheduled_executions)
    list_persistent_scheduled_executions(arg: ListSchedulesRequest): Result<SchedulePage, ApiError> {
        const parsed = parseWith(ListSchedulesRequestCodec.schema, arg);
        if ('Err' in parsed) return parsed;
        const request = parsed.Ok;
        const caller = runtime.caller();
        const owner = isPrivileged(caller) ? fromOpt(request.owner) : caller;
        const limit = scheduleListLimit(fromOpt(request.limit));
        if ('Err' in limit) return limit;
        const page = state.pageSchedules({ owner: owner?.toText(), workflowId: fromOpt(request.workflow_id) }, fromOpt(request.cursor), limit.Ok);
        return ok({ items: page.items, next_cursor: toOpt(page.next_cursor) });
    }

    /**
     * Cancels (deletes) a schedule; a start already waiting in the outbox still goes out.
     * Call context: update. Callers: owner, orchestrator, admins, controllers.
     * Errors: `NotFound`, `Unauthorized`, `InvalidInput` (`id`).
     */
    @method(M.cancel_persistent_execution)
    cancel_persistent_execution(id: string): Result<Schedule, ApiError> {
        const found = managed(id, runtime.caller());
        if ('Err' in found) return found;
        runtime.remove(found.Ok);
        return ok(found.Ok);
    }

    /**
     * A schedule and its recent firings (due time, start, lateness, outcome), newest last.
     * Call context: query. Callers: owner, orchestrator, admins, controllers.
     * Errors: `NotFound`, `Unauthorized`, `InvalidInput`.
     */
    @method(M.get_schedule)
    get_schedule(id: string): Result<ScheduleDetails, ApiError> {
        const found = managed(id, runtime.caller());
        if ('Err' in found) return found;
        return ok({ schedule: found.Ok, recent_firings: state.recentFirings(found.Ok.id) });
    }

    /**
     * Pauses: the schedule leaves the due index (time paused is never "missed"). Idempotent.
     * Call context: update. Callers and errors as `cancel_persistent_execution`.
     */
    @method(M.pause_schedule)
    pause_schedule(id: string): Result<Schedule, ApiError> {
        return change(id, pauseSchedule);
    }

    /**
     * Resumes from now (the next due time is recomputed). Idempotent.
     * Call context: update. Callers and errors as `cancel_persistent_execution`.
     */
    @method(M.resume_schedule)
    resume_schedule(id: string): Result<Schedule, ApiError> {
        return change(id, resumeSchedule);
    }
}
