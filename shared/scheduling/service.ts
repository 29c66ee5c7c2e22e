import { GetVersionMethod } from '../common/version';
import { ListDeadLettersMethod } from '../common/dead-letter';
import { EmergencyStateCodec } from '../monitoring/emergency';
import { ApiErrorCodec } from '../common/errors';
import { c, idlFactory, type Codec, type Infer, type MethodSpec } from '../common/codec';
import { FiringEntryCodec } from './firing';
import { ScheduleCodec, ScheduleRequestCodec } from './schedule';
import { WorkflowTargetCodec } from './target';

/**
 * Argument of `list_persistent_scheduled_executions`: optional filters and a cursor (the
 * last schedule id of the previous page). Non-admin callers only ever see their own schedules.
 *
 * @example
 * const q: ListSchedulesRequest = { workflow_id: ['wf-1'], owner: [], cursor: [], limit: [50] };
 */
export const ListSchedulesRequestCodec = c.record({
    workflow_id: c.opt(c.text),
    owner: c.opt(c.principal),
    cursor: c.opt(c.text),
    limit: c.opt(c.nat32)
});
export type ListSchedulesRequest = Infer<typeof ListSchedulesRequestCodec>;

/** @example page.next_cursor.length === 0 // last page */
export const SchedulePageCodec = c.record({ items: c.vec(ScheduleCodec), next_cursor: c.opt(c.text) });
export type SchedulePage = Infer<typeof SchedulePageCodec>;

/** Answer of `get_schedule`: the schedule and its recent firings, newest last. */
export const ScheduleDetailsCodec = c.record({ schedule: ScheduleCodec, recent_firings: c.vec(FiringEntryCodec) });
export type ScheduleDetails = Infer<typeof ScheduleDetailsCodec>;

/**
 * Argument of `notify_execution_finished`, sent by the orchestrator when an execution that a
 * schedule started reaches a final state; frees the overlap slot. Idempotent.
 *
 * @example
 * const n: ExecutionFinished = { schedule_id: 's1', idempotency_key: 's1:100', execution_id: 'exec-1', finished_at: now };
 */
export const ExecutionFinishedCodec = c.record({
    schedule_id: c.text,
    idempotency_key: c.text,
    execution_id: c.text,
    finished_at: c.nat64
});
export type ExecutionFinished = Infer<typeof ExecutionFinishedCodec>;

const R = <T>(ok: Codec<T>) => c.result(ok, ApiErrorCodec);

export const ScheduleResultCodec = R(ScheduleCodec);
export const SchedulePageResultCodec = R(SchedulePageCodec);
export const ScheduleDetailsResultCodec = R(ScheduleDetailsCodec);

/**
 * `set_schedule_quota`: the schedules one owner may hold (`owner = [p]`), or the default of
 * every owner without their own (`owner = []`); with `condition_reads_per_hour = [n]` also the
 * condition reads their triggers may make per clock hour (`[]`: unchanged).
 */
export const SetScheduleQuotaRequestCodec = c.record({ owner: c.opt(c.principal), max_schedules: c.nat32, condition_reads_per_hour: c.opt(c.nat32) });
export type SetScheduleQuotaRequest = Infer<typeof SetScheduleQuotaRequestCodec>;
/** `get_schedule_quota`: the caller's limits, how many schedules they hold, and their condition reads this clock hour and refused in total. */
export const ScheduleQuotaCodec = c.record({
    max_schedules: c.nat32,
    schedules: c.nat32,
    condition_reads_per_hour: c.nat32,
    condition_reads_this_hour: c.nat32,
    condition_reads_refused: c.nat64
});
export type ScheduleQuota = Infer<typeof ScheduleQuotaCodec>;
export const NullResultCodec = R(c.null);

/**
 * The scheduler's Candid methods, one IDL per method so the canister's decorators and the
 * service description share them. Call contexts and callers:
 *
 * - `schedule_workflow_execution` (update, awaits the orchestrator's `check_schedule_target`;
 *   non-anonymous users, or the orchestrator on a user's behalf)
 * - `list_persistent_scheduled_executions` (query; anyone, filtered to the caller's schedules unless admin)
 * - `cancel_persistent_execution`, `pause_schedule`, `resume_schedule` (update; owner, orchestrator, admins)
 * - `get_schedule` (query; owner, orchestrator, admins)
 * - `get_version` (query; anyone)
 * - `notify_execution_finished`, `notify_workflow_changed` (update; the orchestrator only)
 * - `set_emergency_mode` (update; the monitor only)
 * - `set_schedule_quota` (update; admins); `get_schedule_quota` (query; any non-anonymous caller, their own)
 *
 * Errors: `InvalidInput` (field path, e.g. `kind.Cron.expression`), `NotFound`, `Unauthorized`,
 * `LimitExceeded`, `Conflict`.
 *
 * @example
 * @method(SchedulerMethods.schedule_workflow_execution)
 */
export const SchedulerMethods = {
    schedule_workflow_execution: { args: [ScheduleRequestCodec], ret: ScheduleResultCodec, mode: 'update' },
    list_persistent_scheduled_executions: { args: [ListSchedulesRequestCodec], ret: SchedulePageResultCodec, mode: 'query' },
    cancel_persistent_execution: { args: [c.text], ret: ScheduleResultCodec, mode: 'update' },
    get_schedule: { args: [c.text], ret: ScheduleDetailsResultCodec, mode: 'query' },
    pause_schedule: { args: [c.text], ret: ScheduleResultCodec, mode: 'update' },
    resume_schedule: { args: [c.text], ret: ScheduleResultCodec, mode: 'update' },
    get_version: GetVersionMethod,
    notify_execution_finished: { args: [ExecutionFinishedCodec], ret: NullResultCodec, mode: 'update' },
    notify_workflow_changed: { args: [WorkflowTargetCodec], ret: NullResultCodec, mode: 'update' },
    set_emergency_mode: { args: [EmergencyStateCodec], ret: NullResultCodec, mode: 'update' },
    set_schedule_quota: { args: [SetScheduleQuotaRequestCodec], ret: R(c.nat32), mode: 'update' },
    get_schedule_quota: { args: [], ret: R(ScheduleQuotaCodec), mode: 'query' },
    list_dead_letters: ListDeadLettersMethod
} as const satisfies Record<string, MethodSpec>;

/** `idlFactory` for `@dfinity/agent` / `@dfinity/pic` actors of the scheduler. */
export const schedulerIdlFactory = idlFactory(SchedulerMethods);
