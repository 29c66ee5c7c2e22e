/**
 * The scheduler's effects adapter: the only module that calls `time()`, `msgCaller()`,
 * `call()`, `setTimer()`. It applies the effects the pure logic returns, in
 * order (stable writes before the start request they protect), keeps the ONE global timer
 * armed for the earliest due schedule or outbox retry, and sends start requests to the
 * orchestrator, feeding each answer back to the logic (see ReArmableTimer for why timers are
 * never cleared).
 */
import { call, msgCaller, setTimer, time, type Principal } from 'azle';

import { assertNever } from '../../../shared/common/result';
import { candidOf } from '../../../shared/common/codec';
import { StartScheduledExecutionMethod, type StartScheduledExecutionRequest, type StartScheduledExecutionResult } from '../../../shared/scheduling/outbox';
import type { Schedule } from '../../../shared/scheduling/schedule';
import { apiError, type ApiError } from '../../../shared/common/errors';
import type { Result } from '../../../shared/common/result';
import { CheckScheduleTargetMethod, type WorkflowTarget, type WorkflowTargetResult } from '../../../shared/scheduling/target';
import { callFailureOf, callTyped, type CallOutcome } from '../../common/outbox/calls';
import { ReadThroughAgentMethod, type AgentReadOutcome, type AgentReadRequest } from '../../../shared/scheduling/agent-read';
import { decodeReplyToJson } from '../../../shared/workflow/candid-json';
import { parseCandidTypes } from '../../../shared/workflow/candid-text';
import { onConditionRead, onUnderfundedRead, type ConditionReply } from './logic/condition';
import { ReArmableTimer } from '../../common/outbox/timer';
import { planTimer } from './logic/due-index';
import type { SchedulerEffect } from './logic/effects';
import { fireDueSchedule, offerRun, onStartOutcome, retryDueStarts, type FiringContext } from './logic/fire';
import { MIGRATION_BATCH } from './logic/migration';
import type { StartOutcome } from './logic/outbox';
import * as state from './state';

/** Schedules handled per timer callback; the rest fire in the next round (bounded instructions per message). */
export const FIRE_BATCH = 50;
/** Outbox retries sent per timer callback. */
export const RETRY_BATCH = 50;

/** The ONE global timer (heap: an upgrade drops it, `postUpgrade` re-arms from stable state). */
const timer = new ReArmableTimer(() => onTimer());

/** Current IC time (ns). */
export function now(): bigint {
    return time();
}

/** The caller of the current message. */
export function caller(): Principal {
    return msgCaller();
}

/** What every firing decision needs: the time and the mode in force. */
export function firingContext(): FiringContext {
    return { now: time(), mode: state.emergency.current.mode };
}

/** Calls to make once every write of a message is done: start requests and condition reads. */
type Outgoing = { starts: StartScheduledExecutionRequest[]; reads: ReadRequest[] };
type ReadRequest = Extract<SchedulerEffect, { type: 'ReadCondition' }>;

function merge(into: Outgoing, more: Outgoing): Outgoing {
    into.starts.push(...more.starts);
    into.reads.push(...more.reads);
    return into;
}

/** Applies effects in order and returns the calls to make once every write is done. */
function applyEffects(effects: readonly SchedulerEffect[]): Outgoing {
    const starts: StartScheduledExecutionRequest[] = [];
    const reads: ReadRequest[] = [];
    const at = time();
    for (const effect of effects) {
        switch (effect.type) {
            case 'PutOutbox':
                state.putOutbox(effect.entry);
                break;
            case 'DeleteOutbox':
                state.deleteOutbox(effect.key);
                break;
            case 'StartExecution':
                starts.push(effect.request);
                break;
            case 'ReadCondition':
                reads.push(effect);
                break;
            case 'RecordFiring':
                state.putFiring(effect.entry);
                break;
            case 'UpdateFiring':
                state.setFiringOutcome(effect.schedule_id, effect.due_at, effect.outcome);
                state.countSettledStart('Failed' in effect.outcome, at > effect.due_at ? at - effect.due_at : 0n);
                break;
            case 'ArmTimer':
                timer.armAt(effect.at, time());
                break;
            case 'CancelTimer':
                timer.disarm();
                break;
            default:
                assertNever(effect, 'scheduler effect');
        }
    }
    return { starts, reads };
}

/**
 * Rewrites stored schedules in the current schema, {@link MIGRATION_BATCH} per timer callback,
 * until every record is current: an upgrade's own cost stays independent of how many
 * schedules exist, and reads in between upgrade v1 records as they go. A one-shot timer per
 * batch (never cleared); an upgrade mid-way resumes from the stored cursor.
 *
 * Call context: post_upgrade (arms), then timer.
 */
export function startMigration(): void {
    setTimer(0, () => {
        if (!state.migrateSchedules(MIGRATION_BATCH)) startMigration();
    });
}

/** Re-plans the global timer from the due index and the retry index (reads one key of each). */
export function replan(): void {
    applyEffects(planTimer(state.earliestDue(), state.earliestRetry(), time(), timer.armedAt));
}

/**
 * Stores a schedule's new state, applies its effects, re-plans the timer and sends the start
 * requests (not awaited: the caller's reply does not wait for the orchestrator).
 *
 * Call context: update.
 */
export function commit(schedule: Schedule | undefined, effects: readonly SchedulerEffect[], before?: Schedule): void {
    if (schedule !== undefined) state.saveSchedule(schedule, before);
    const out = applyEffects(effects);
    replan();
    launch(out);
}

/**
 * Asks the orchestrator whether `owner` may schedule `workflowId` (and have `readTarget` read
 * for a condition trigger), and in what state the workflow is: the schedule is created only
 * on its answer. A reject (orchestrator stopped,
 * upgrading) is `Unavailable`: nothing was created, the caller may try again.
 *
 * Call context: update (awaits an inter-canister query).
 */
export async function checkTarget(workflowId: string, owner: Principal, readTarget: Principal | undefined): Promise<Result<WorkflowTarget, ApiError>> {
    const request = { workflow_id: workflowId, owner, read_target: readTarget === undefined ? [] : [readTarget] };
    const r = await callTyped<WorkflowTargetResult>(state.deployment.peer('orchestrator'), 'check_schedule_target', CheckScheduleTargetMethod, [request]);
    if (r.kind === 'Rejected') return { Err: apiError.unavailable(`orchestrator did not answer (reject ${r.reject_code}): ${r.message}`) };
    return r.value;
}

/**
 * Stores schedules changed by a workflow notice, applies their effects and re-plans once.
 *
 * Call context: update.
 */
export function commitAll(steps: readonly { before: Schedule; after: Schedule; effects: readonly SchedulerEffect[] }[]): void {
    const out: Outgoing = { starts: [], reads: [] };
    for (const step of steps) {
        state.saveSchedule(step.after, step.before);
        merge(out, applyEffects(step.effects));
    }
    replan();
    launch(out);
}

/** Removes a schedule and re-plans. Start requests already in the outbox still go out (they were due). */
export function remove(schedule: Schedule): void {
    state.deleteSchedule(schedule);
    replan();
}

function launch(out: Outgoing): void {
    if (out.starts.length === 0 && out.reads.length === 0) return;
    send(out).catch((error: unknown) => {
        // Not a call failure (those are data): a bug. The outbox keeps a start; a read waits for its next due time. Say why it stalled.
        console.log(`scheduler: sending calls failed: ${error instanceof Error ? error.message : String(error)}`);
    });
}

async function send(out: Outgoing): Promise<void> {
    await Promise.all([...out.starts.map(sendStart), ...out.reads.map(readCondition)]);
}

/**
 * Has a condition trigger's read made by the owner's agent (the executor's
 * `read_through_agent`: the agent sends the call, 0 cycles attached, and pays for it; the
 * reply is bounded by the IC's message size), decodes it with the trigger's reply types and
 * feeds it to the logic, which may start a run. An agent under the run minimum is not asked
 * to read: the trigger records `underfunded` and checks again later. A schedule cancelled
 * meanwhile is left alone.
 *
 * Call context: timer (after the firing batch committed).
 */
async function readCondition(effect: ReadRequest): Promise<void> {
    const owner = state.getSchedule(effect.schedule_id)?.owner;
    if (owner === undefined) return;
    const request: AgentReadRequest = { owner, schedule_id: effect.schedule_id, read: effect.read };
    const r = await callTyped<Result<AgentReadOutcome, ApiError>>(state.deployment.peer('executor'), 'read_through_agent', ReadThroughAgentMethod, [request]);
    const before = state.getSchedule(effect.schedule_id);
    if (before === undefined) return;
    if (r.kind === 'Replied' && 'Ok' in r.value && 'Underfunded' in r.value.Ok) {
        const u = r.value.Ok.Underfunded;
        state.saveSchedule(onUnderfundedRead(before, u.balance, u.minimum, time()).schedule, before);
        replan();
        return;
    }
    const reply = conditionReplyOf(r, effect.read.reply_types);
    const step = onConditionRead(before, effect.due_at, reply, firingContext(), offerRun);
    state.saveSchedule(step.schedule, before);
    state.countConditionRead(!reply.ok);
    const out = applyEffects(step.effects);
    replan();
    await send(out);
}

/** What the executor's answer to a read means: the decoded reply, or why there is none. */
function conditionReplyOf(r: CallOutcome<Result<AgentReadOutcome, ApiError>>, replyTypes: string): ConditionReply {
    if (r.kind === 'Rejected') return { ok: false, error: `executor did not answer (reject ${r.reject_code}): ${r.message}` };
    if ('Err' in r.value) return { ok: false, error: `executor refused the read: ${Object.keys(r.value.Err)[0] ?? ''}` };
    const o = r.value.Ok;
    if ('Rejected' in o) return { ok: false, error: `reject ${o.Rejected.code}: ${o.Rejected.message}` };
    if ('Refused' in o) return { ok: false, error: `refused: ${o.Refused}` };
    if ('Underfunded' in o) return { ok: false, error: 'the owner\'s agent is underfunded' };
    const types = parseCandidTypes(replyTypes);
    if (!types.ok) return { ok: false, error: `reply types: ${types.message}` };
    const decoded = decodeReplyToJson(types.types, Uint8Array.from(o.Replied));
    return decoded.ok ? { ok: true, value: decoded.value } : { ok: false, error: `reply at ${decoded.path}: ${decoded.message}` };
}

async function sendStart(request: StartScheduledExecutionRequest): Promise<void> {
    let outcome: StartOutcome;
    try {
        const [paramIdlTypes, returnIdlType] = candidOf(StartScheduledExecutionMethod);
        const result = await call<[StartScheduledExecutionRequest], StartScheduledExecutionResult>(state.deployment.peer('orchestrator'), 'start_scheduled_execution', { paramIdlTypes, returnIdlType, args: [request] });
        outcome = { kind: 'Replied', result };
    } catch (error) {
        const failure = callFailureOf(error);
        outcome = { kind: 'Rejected', reject_code: failure.reject_code, message: failure.message };
    }
    await settleStart(request.idempotency_key, outcome);
}

/** Feeds an answer to the logic. An entry already settled (a duplicate answer) is ignored. */
async function settleStart(key: string, outcome: StartOutcome): Promise<void> {
    const entry = state.getOutbox(key);
    if (entry === undefined) return;
    const before = state.getSchedule(entry.schedule_id);
    const step = onStartOutcome(before, entry, outcome, firingContext());
    if (step.schedule !== undefined) state.saveSchedule(step.schedule, before);
    const out = applyEffects(step.effects);
    replan();
    await send(out);
}

/**
 * The global timer's callback: fires a bounded batch of due schedules (each applying its
 * missed-run and overlap policy and the mode in force), sends due outbox retries, re-arms
 * for the earliest remaining work, then awaits the start requests.
 *
 * Call context: timer.
 */
async function onTimer(): Promise<void> {
    const ctx = firingContext();
    const out: Outgoing = { starts: [], reads: [] };
    for (const schedule of state.dueSchedules(ctx.now, FIRE_BATCH)) {
        const step = fireDueSchedule(schedule, ctx);
        state.saveSchedule(step.schedule, schedule);
        merge(out, applyEffects(step.effects));
    }
    merge(out, applyEffects(retryDueStarts(state.dueRetries(ctx.now, RETRY_BATCH), ctx.now)));
    replan();
    await send(out);
}
