/**
 * Schedules follow their workflow: held while it is paused, deleted, or reads an input the
 * schedule does not carry; released when it is active again and accepts the input. The
 * orchestrator sends the workflow's state (a `WorkflowTarget`) when the workflow changes and
 * when it answers a start with `Held`; both land here.
 */
import { toOpt } from '../../../../shared/common/codec';
import type { Schedule, ScheduleHold } from '../../../../shared/scheduling/schedule';
import type { WorkflowTarget } from '../../../../shared/scheduling/target';
import { assertNever } from '../../../../shared/common/result';
import { checkInputAgainst } from '../../../../shared/workflow/input';
import type { ScheduleStep } from './fire';
import { isSuspended, suspend, unsuspend } from './lifecycle';

/**
 * The hold a workflow's state puts on a schedule carrying `input`, `undefined` for none.
 *
 * @example
 * holdFor({ workflow_id: 'wf-1', state: { Paused: null }, required_input: [], changed_at: 1n }, 'null') // { WorkflowPaused: null }
 */
export function holdFor(target: WorkflowTarget, input: string): ScheduleHold | undefined {
    const state = target.state;
    if ('Deleted' in state) return { WorkflowDeleted: null };
    if ('Paused' in state) return { WorkflowPaused: null };
    if ('Active' in state) {
        const mismatch = checkInputAgainst(target.required_input, input);
        return mismatch === undefined ? undefined : { InputRejected: mismatch };
    }
    return assertNever(state, 'workflow state');
}

function sameHold(a: ScheduleHold | undefined, b: ScheduleHold | undefined): boolean {
    return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Applies a workflow's state to one of its schedules. A notice older than the newest one
 * applied (`changed_at`) changes nothing, so notices may arrive in any order. A new hold
 * suspends the schedule (out of the due index); lifting the last hold of a schedule its owner
 * did not pause recomputes its next due time from `now` (time held is not "missed").
 *
 * @example
 * applyWorkflowTarget(schedule, { ...target, state: { Paused: null } }, now).schedule.hold // [{ WorkflowPaused: null }]
 */
export function applyWorkflowTarget(schedule: Schedule, target: WorkflowTarget, now: bigint): ScheduleStep {
    if (target.workflow_id !== schedule.workflow_id || target.changed_at < schedule.workflow_changed_at) return { schedule, effects: [] };
    const before = schedule.hold[0];
    const after = holdFor(target, schedule.input);
    const next: Schedule = { ...schedule, hold: toOpt(after), workflow_changed_at: target.changed_at };
    if (sameHold(before, after)) return { schedule: next, effects: [] };
    if (after !== undefined && !isSuspended(schedule)) return suspend(next, now);
    if (after === undefined && !schedule.paused) return unsuspend(next, now);
    return { schedule: { ...next, updated_at: now }, effects: [] };
}
