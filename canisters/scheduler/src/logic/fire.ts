import { assertNever } from '../../../../shared/common/result';
import { fromOpt, toOpt } from '../../../../shared/common/codec';
import type { FiringOutcome, SkipReason } from '../../../../shared/scheduling/firing';
import type { OutboxEntry } from '../../../../shared/scheduling/outbox';
import type { WorkflowTarget } from '../../../../shared/scheduling/target';
import type { Schedule } from '../../../../shared/scheduling/schedule';
import type { ExecutionFinished } from '../../../../shared/scheduling/service';
import type { SystemMode } from '../../../../shared/monitoring/emergency';
import type { SchedulerEffect } from './effects';
import { DEFAULT_GRACE_NS, planMissedRuns } from './missed-runs';
import { nextDueAfter } from './next-due';
import { newOutboxEntry } from './outbox';
import { applyWorkflowTarget } from './hold';
import { isSuspended } from './lifecycle';
import { decideOverlap, MAX_IN_FLIGHT_PER_SCHEDULE } from './overlap';

/** Inputs every firing decision needs besides the schedule. Optional fields have defaults. */
export type FiringContext = {
    now: bigint;
    mode: SystemMode;
    grace_ns?: bigint;
    max_in_flight?: number;
};

/** A schedule's new state plus the effects to apply, in order. */
export type ScheduleStep = { schedule: Schedule; effects: SchedulerEffect[] };

function firing(schedule: Schedule, dueAt: bigint, now: bigint, outcome: FiringOutcome): SchedulerEffect {
    const lateness_ns = now > dueAt ? now - dueAt : 0n;
    return { type: 'RecordFiring', entry: { schedule_id: schedule.id, due_at: dueAt, started_at: now, lateness_ns, outcome } };
}

function skipped(reason: SkipReason, runs = 1n): FiringOutcome {
    return { Skipped: { reason, runs } };
}

/** Starts the run due at `dueAt`: in flight, on record in the history and in the outbox, which sends it. */
function startRun(schedule: Schedule, dueAt: bigint, ctx: FiringContext): ScheduleStep {
    const entry = newOutboxEntry(schedule, dueAt, ctx.now);
    const next = { ...schedule, in_flight: [...schedule.in_flight, entry.key] };
    return {
        schedule: next,
        effects: [firing(schedule, dueAt, ctx.now, { Pending: { idempotency_key: entry.key } }), { type: 'PutOutbox', entry }]
    };
}

/** Offers one due time to the emergency switch and the overlap policy. */
export function offerRun(schedule: Schedule, dueAt: bigint, ctx: FiringContext): ScheduleStep {
    if ('Emergency' in ctx.mode) return { schedule, effects: [firing(schedule, dueAt, ctx.now, skipped({ EmergencyMode: null }))] };
    const decision = decideOverlap(schedule.policies.overlap, schedule.in_flight.length, fromOpt(schedule.buffered_due_at), ctx.max_in_flight ?? MAX_IN_FLIGHT_PER_SCHEDULE);
    switch (decision.kind) {
        case 'Start':
            return startRun(schedule, dueAt, ctx);
        case 'Buffer': {
            // Only the newest held-back run is kept; the one it replaces is recorded as skipped now.
            const effects = decision.replaces === undefined ? [] : [firing(schedule, decision.replaces, ctx.now, skipped({ Overlap: null }))];
            return { schedule: { ...schedule, buffered_due_at: [dueAt] }, effects };
        }
        case 'Skip':
            return { schedule, effects: [firing(schedule, dueAt, ctx.now, skipped(decision.reason === 'Overlap' ? { Overlap: null } : { Backpressure: null }))] };
        default:
            return assertNever(decision, 'overlap decision');
    }
}

/**
 * Handles a schedule whose `next_due_at` has come (timer callback or post_upgrade catch-up):
 * applies the missed-run policy to every due time up to `now`, offers each one to fire to the
 * emergency switch and the overlap policy, and moves `next_due_at` past `now`. A schedule
 * that is paused, held with its workflow, ended or not yet due comes back unchanged with no effects.
 *
 * @example
 * const { schedule: next, effects } = fireDueSchedule(schedule, { now, mode: { Normal: null } });
 * // effects: PutOutbox, RecordFiring(Pending), StartExecution; next.next_due_at moved on
 */
export function fireDueSchedule(schedule: Schedule, ctx: FiringContext): ScheduleStep {
    const due = fromOpt(schedule.next_due_at);
    if (isSuspended(schedule) || due === undefined || due > ctx.now) return { schedule, effects: [] };
    if ('Condition' in schedule.kind) {
        // A trigger reads now, once however late; the run (if any) is decided on the reply.
        const next: Schedule = { ...schedule, next_due_at: toOpt(nextDueAfter(schedule.kind, ctx.now, schedule.created_at)), updated_at: ctx.now };
        return { schedule: next, effects: [{ type: 'ReadCondition', schedule_id: schedule.id, due_at: due, read: schedule.kind.Condition.read }] };
    }
    const plan = planMissedRuns(schedule.kind, schedule.policies.missed_run, due, ctx.now, schedule.created_at, ctx.grace_ns ?? DEFAULT_GRACE_NS);
    let current: Schedule = { ...schedule, next_due_at: toOpt(plan.next_due_at), last_due_at: [plan.last_due_at], updated_at: ctx.now };
    const effects: SchedulerEffect[] = [];
    if (plan.skipped !== undefined) effects.push(firing(current, plan.skipped.earliest, ctx.now, skipped({ MissedRunPolicy: null }, plan.skipped.runs)));
    for (const dueAt of plan.fire) {
        const step = offerRun(current, dueAt, ctx);
        current = step.schedule;
        effects.push(...step.effects);
    }
    return { schedule: current, effects };
}

/** Frees an in-flight slot and, if `BufferOne` held a run back, offers it now. */
function release(schedule: Schedule, key: string, ctx: FiringContext): ScheduleStep {
    if (!schedule.in_flight.includes(key)) return { schedule, effects: [] };
    const freed: Schedule = { ...schedule, in_flight: schedule.in_flight.filter((k) => k !== key), updated_at: ctx.now };
    const buffered = fromOpt(freed.buffered_due_at);
    if (buffered === undefined || isSuspended(freed)) return { schedule: freed, effects: [] };
    return offerRun({ ...freed, buffered_due_at: [] }, buffered, ctx);
}

function joinSteps(first: ScheduleStep, second: ScheduleStep): ScheduleStep {
    return { schedule: second.schedule, effects: [...first.effects, ...second.effects] };
}

/**
 * The orchestrator reports that a run started by this schedule finished. Idempotent: a
 * repeated or unknown report changes nothing.
 *
 * @example
 * onExecutionFinished(schedule, { schedule_id, idempotency_key: 's1:100', execution_id: 'e1', finished_at }, { now, mode })
 */
export function onExecutionFinished(schedule: Schedule, report: ExecutionFinished, ctx: FiringContext): ScheduleStep {
    return release(schedule, report.idempotency_key, ctx);
}

/**
 * A start request was answered for good (`judgeStartReply`) or dead-lettered by the outbox
 * (`deadLetteredOutcome`): the history entry gets its final outcome and, if no execution
 * started, the overlap slot is freed. The outbox itself removes the entry. `schedule` is
 * `undefined` when it was cancelled meanwhile.
 *
 * @example
 * onStartSettled(schedule, entry, { Started: { execution_id: 'e1' } }, undefined, ctx)
 */
export function onStartSettled(schedule: Schedule | undefined, entry: OutboxEntry, outcome: FiringOutcome, held: WorkflowTarget | undefined, ctx: FiringContext): { schedule: Schedule | undefined; effects: SchedulerEffect[] } {
    const effects: SchedulerEffect[] = [{ type: 'UpdateFiring', schedule_id: entry.schedule_id, due_at: entry.due_at, outcome }];
    if (schedule === undefined || 'Started' in outcome) return { schedule, effects };
    const step = release(schedule, entry.key, ctx);
    // The workflow is paused or deleted: the schedule follows it (the notice may still be on its way).
    const followed = held === undefined ? step : joinSteps(step, applyWorkflowTarget(step.schedule, held, ctx.now));
    return { schedule: followed.schedule, effects: [...effects, ...followed.effects] };
}
