import { apiError, type ApiError } from '../../../../shared/common/errors';
import { err, ok, type Result } from '../../../../shared/common/result';
import { fromOpt, toOpt } from '../../../../shared/common/codec';
import { INITIAL_CONDITION_STATE } from '../../../../shared/scheduling/condition';
import { SCHEDULE_SCHEMA_VERSION, type Schedule, type ScheduleHold } from '../../../../shared/scheduling/schedule';
import type { ScheduleStep } from './fire';
import { firstDueAt } from './next-due';
import type { ValidScheduleRequest } from './validate';

/** What the orchestrator said about the workflow when the schedule was created. */
export type CreationTarget = { hold: ScheduleHold | undefined; changed_at: bigint };

/**
 * A new schedule from a validated request. Fails only when the kind can never fire (an
 * interval whose `end_at` comes before its first due time). A schedule of a paused workflow
 * is created held (`WorkflowPaused`, no due time) and starts firing when the workflow resumes.
 *
 * @example
 * createSchedule(valid, 'sch-1', now) // { Ok: { id: 'sch-1', next_due_at: [firstDue], paused: false, ... } }
 */
export function createSchedule(request: ValidScheduleRequest, id: string, now: bigint, target: CreationTarget = { hold: undefined, changed_at: 0n }): Result<Schedule, ApiError> {
    const first = firstDueAt(request.kind, now, now);
    if (first === undefined) return err(apiError.invalidInput('kind', 'the schedule has no due time'));
    const held = target.hold !== undefined;
    return ok({
        id,
        workflow_id: request.workflow_id,
        owner: request.owner,
        kind: request.kind,
        policies: request.policies,
        paused: false,
        next_due_at: held ? [] : [first],
        last_due_at: [],
        in_flight: [],
        buffered_due_at: [],
        created_at: now,
        updated_at: now,
        last_fired_at: [],
        schema_version: SCHEDULE_SCHEMA_VERSION,
        input: request.input,
        hold: toOpt(target.hold),
        workflow_changed_at: target.changed_at,
        condition: 'Condition' in request.kind ? [INITIAL_CONDITION_STATE] : []
    });
}

/** Whether the schedule may fire: neither paused by its owner nor held with its workflow. */
export function isSuspended(schedule: Schedule): boolean {
    return schedule.paused || schedule.hold.length > 0;
}

/** A schedule that will never fire again (not paused or held, no next due time). */
export function isEnded(schedule: Schedule): boolean {
    return !isSuspended(schedule) && schedule.next_due_at.length === 0;
}

/**
 * Pauses: no due time while paused (it leaves the due index), and a run held back by
 * `BufferOne` is dropped (recorded as skipped, `Paused`). Runs in flight continue.
 * Pausing a paused schedule changes nothing.
 *
 * @example
 * pauseSchedule(schedule, now).schedule.paused // true
 */
export function pauseSchedule(schedule: Schedule, now: bigint): ScheduleStep {
    if (schedule.paused) return { schedule, effects: [] };
    return suspend({ ...schedule, paused: true }, now);
}

/**
 * Stops a schedule firing (owner pause or workflow hold, already set on `schedule`): it
 * leaves the due index and a buffered run is recorded as skipped (`Paused`).
 */
export function suspend(schedule: Schedule, now: bigint): ScheduleStep {
    const buffered = fromOpt(schedule.buffered_due_at);
    const paused: Schedule = { ...schedule, next_due_at: [], buffered_due_at: [], updated_at: now };
    if (buffered === undefined) return { schedule: paused, effects: [] };
    return {
        schedule: paused,
        effects: [{
            type: 'RecordFiring',
            entry: { schedule_id: schedule.id, due_at: buffered, started_at: now, lateness_ns: now - buffered, outcome: { Skipped: { reason: { Paused: null }, runs: 1n } } }
        }]
    };
}

/**
 * Resumes: the next due time is recomputed from `now` (time spent paused is not "missed").
 * A `Once` whose time passed while paused fires at once, unless its missed-run policy is
 * `Skip`: then it is recorded as skipped (`Paused`) and the schedule ends.
 *
 * @example
 * resumeSchedule(paused, now).schedule.next_due_at // [first due time ≥ now]
 */
export function resumeSchedule(schedule: Schedule, now: bigint): ScheduleStep {
    if (!schedule.paused) return { schedule, effects: [] };
    const resumed: Schedule = { ...schedule, paused: false, updated_at: now };
    // Still held with its workflow: it fires once the workflow lets it.
    if (resumed.hold.length > 0) return { schedule: resumed, effects: [] };
    return unsuspend(resumed, now);
}

/**
 * Recomputes the next due time of a schedule that may fire again (no longer paused nor held)
 * from `now`: time spent suspended is not "missed". A `Once` whose time passed fires at once,
 * unless its missed-run policy is `Skip`.
 */
export function unsuspend(schedule: Schedule, now: bigint): ScheduleStep {
    const resumed: Schedule = { ...schedule, updated_at: now };
    const kind = schedule.kind;
    if ('Once' in kind) {
        const at = kind.Once.at;
        if (schedule.last_due_at.length > 0) return { schedule: { ...resumed, next_due_at: [] }, effects: [] };
        if (at > now) return { schedule: { ...resumed, next_due_at: [at] }, effects: [] };
        if ('Skip' in schedule.policies.missed_run) {
            return {
                schedule: { ...resumed, next_due_at: [], last_due_at: [at] },
                effects: [{
                    type: 'RecordFiring',
                    entry: { schedule_id: schedule.id, due_at: at, started_at: now, lateness_ns: now - at, outcome: { Skipped: { reason: { Paused: null }, runs: 1n } } }
                }]
            };
        }
        // Due "now" rather than at `at`: the run is late because of the pause, not missed.
        return { schedule: { ...resumed, next_due_at: [now] }, effects: [] };
    }
    return { schedule: { ...resumed, next_due_at: toOpt(firstDueAt(kind, now, schedule.created_at)) }, effects: [] };
}

/**
 * Whether `caller` may manage `schedule` (get, pause, resume, cancel): its owner, the wired
 * orchestrator, or an admin. The guard turns `false` into `Unauthorized`.
 *
 * @example
 * canManage(schedule, caller, { orchestrator, admins }) // true for the owner
 */
export function canManage(schedule: Schedule, caller: { toText(): string }, peers: { orchestrator: { toText(): string } | undefined; admins: readonly { toText(): string }[] }): boolean {
    const text = caller.toText();
    return schedule.owner.toText() === text || peers.orchestrator?.toText() === text || peers.admins.some((a) => a.toText() === text);
}
