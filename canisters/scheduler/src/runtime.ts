/**
 * The scheduler's effects adapter: the only module that calls `time()`, `msgCaller()`,
 * `call()`, `setTimer()`. It applies the effects the pure logic returns, in
 * order, keeps the ONE global timer armed for the earliest due schedule, and runs the
 * scheduler's durable outbox of start requests (`canisters/common/outbox`: each start sent in a
 * message of its own, retried by the one policy, dead-lettered when refused, given up or
 * trapping), feeding each answer back to the logic (see ReArmableTimer for why timers are
 * never cleared).
 */
import { msgCaller, setTimer, time, type Principal } from 'azle';

import { assertNever, err } from '../../../shared/common/result';
import type { DeadLetterReason } from '../../../shared/common/dead-letter';
import { StartScheduledExecutionMethod, type StartScheduledExecutionResult } from '../../../shared/scheduling/outbox';
import type { Schedule } from '../../../shared/scheduling/schedule';
import type { FiringOutcome } from '../../../shared/scheduling/firing';
import { apiError, type ApiError } from '../../../shared/common/errors';
import type { Result } from '../../../shared/common/result';
import { CheckScheduleTargetMethod, type WorkflowTarget, type WorkflowTargetResult } from '../../../shared/scheduling/target';
import { callTyped, type CallOutcome } from '../../common/outbox/calls';
import type { HandleOutcome } from '../../common/outbox/delivery';
import { DurableOutbox } from '../../common/outbox/outbox';
import { ReadThroughAgentMethod, type AgentReadOutcome, type AgentReadRequest } from '../../../shared/scheduling/agent-read';
import { decodeReplyToJson } from '../../../shared/workflow/candid-json';
import { parseCandidTypes } from '../../../shared/workflow/candid-text';
import { onConditionRead, onReadNotSent, onReadQuotaExceeded, onUnderfundedRead, type ConditionReply } from './logic/condition';
import { chargeRead, countRefusedRead, readQuotaRefusal } from './logic/read-quota';
import { ReArmableTimer } from '../../common/outbox/timer';
import { planTimer } from './logic/due-index';
import type { SchedulerEffect } from './logic/effects';
import { fireDueSchedule, offerRun, onStartSettled, type FiringContext } from './logic/fire';
import { MIGRATION_BATCH } from './logic/migration';
import { DEFAULT_RETRY_POLICY, deadLetteredOutcome, startHandling, START_BATCH, START_RESEND_AFTER_NS, startRequestOf, type StartSettlement } from './logic/outbox';
import type { StoredStart } from './logic/start-outbox';
import * as state from './state';
import { indexRebuild } from './index-rebuild';

/** Schedules handled per timer callback; the rest fire in the next round (bounded instructions per message). */
export const FIRE_BATCH = 50;

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

/**
 * Whether this message stored a new start. The message then drains the outbox itself once its
 * writes are done ({@link takeNewStarts}): the drain only takes entries (bookkeeping, no
 * entry's work) and spawns one message per start, so a start is sent in the next round, as
 * soon as a wake-up would have sent it, without a round spent waking the drain.
 */
let startsWaiting = false;

function takeNewStarts(): void {
    if (!startsWaiting) return;
    startsWaiting = false;
    starts.drain();
    // A backstop only: drain re-arms the wake-up for whatever it left (nothing, normally).
}

/** Condition reads to make once every write of a message is done (starts go through the outbox). */
type Outgoing = { reads: ReadRequest[] };
type ReadRequest = Extract<SchedulerEffect, { type: 'ReadCondition' }>;

function merge(into: Outgoing, more: Outgoing): Outgoing {
    into.reads.push(...more.reads);
    return into;
}

/** Applies effects in order and returns the reads to make once every write is done. */
function applyEffects(effects: readonly SchedulerEffect[]): Outgoing {
    const reads: ReadRequest[] = [];
    const at = time();
    for (const effect of effects) {
        switch (effect.type) {
            case 'PutOutbox':
                state.startOutbox.put(effect.entry);
                startsWaiting = true;
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
    return { reads };
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
        if (!state.migrateSchedules(MIGRATION_BATCH, indexRebuild.done)) startMigration();
    });
}

/** Re-plans the global timer from the due index (outbox retries wake the outbox's own timer). */
export function replan(): void {
    applyEffects(planTimer(state.earliestDue(), time(), timer.armedAt));
    takeNewStarts();
}

/** After an upgrade: the outbox drains what is due (timers do not survive an upgrade). Call context: post_upgrade. */
export function resumeStarts(): void {
    starts.armNow();
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
    if (r.kind === 'Rejected') return err(apiError.unavailable(`orchestrator did not answer (reject ${r.reject_code}): ${r.message}`));
    return r.value;
}

/**
 * Stores schedules changed by a workflow notice, applies their effects and re-plans once.
 *
 * Call context: update.
 */
export function commitAll(steps: readonly { before: Schedule; after: Schedule; effects: readonly SchedulerEffect[] }[]): void {
    const out: Outgoing = { reads: [] };
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
    if (out.reads.length === 0) return;
    send(out).catch((error: unknown) => {
        // Not a call failure (those are data): a bug. A read waits for its next due time. Say why it stalled.
        console.log(`scheduler: sending calls failed: ${error instanceof Error ? error.message : String(error)}`);
    });
}

async function send(out: Outgoing): Promise<void> {
    await Promise.all(out.reads.map(readCondition));
}

/**
 * Has a condition trigger's read made by the owner's agent (the executor's
 * `read_through_agent`: the agent sends the call, 0 cycles attached, and pays for it; the
 * reply is bounded by the IC's message size), decodes it with the trigger's reply types and
 * feeds it to the logic, which may start a run. An agent under the run minimum is not asked
 * to read: the trigger records `underfunded` and checks again later; one being upgraded is
 * not read from: the trigger reads again soon, counting nothing. Past the owner's
 * condition-read quota nothing is sent: the trigger records `read_quota` and reads again the
 * next clock hour. A schedule cancelled meanwhile is left alone.
 *
 * Call context: timer (after the firing batch committed).
 */
async function readCondition(effect: ReadRequest): Promise<void> {
    const schedule = state.getSchedule(effect.schedule_id);
    if (schedule === undefined) return;
    const owner = schedule.owner;
    // Over the owner's condition-read quota: no read is sent (not even the hop to the executor) until the next hour.
    const overQuota = readQuotaRefusal(state.conditionReadUsageOf(owner.toText()), time(), state.conditionReadQuotaOf(owner.toText()));
    if (overQuota !== undefined) {
        state.updateConditionReadUsage(owner.toText(), (u) => countRefusedRead(u, time()));
        state.saveSchedule(onReadQuotaExceeded(schedule, overQuota.max, overQuota.until, time()).schedule, schedule);
        replan();
        return;
    }
    state.updateConditionReadUsage(owner.toText(), (u) => chargeRead(u, time()));
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
    if (r.kind === 'Replied' && 'Err' in r.value && 'Unavailable' in r.value.Err) {
        // The owner's agent is being upgraded: the read was not sent (as a call node's call waits for it).
        state.saveSchedule(onReadNotSent(before, time()).schedule, before);
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

/**
 * Sends one start request (its own message, by the outbox) and says what came of it; a final
 * answer's settlement is applied by {@link onStartDone}, only if this send still holds the
 * entry. `Unavailable` and retryable rejects are retried by the outbox; the key makes a
 * repeated request start nothing new.
 *
 * Call context: timer.
 */
async function sendStart(entry: StoredStart): Promise<HandleOutcome<StartSettlement>> {
    const r = await callTyped<StartScheduledExecutionResult>(state.deployment.peer('orchestrator'), 'start_scheduled_execution', StartScheduledExecutionMethod, [startRequestOf(entry)]);
    return startHandling(entry, r);
}

/** A start answered for good: the firing's outcome, the overlap slot, a held workflow (the message that records it). */
function onStartDone(entry: StoredStart, settled: StartSettlement | undefined): void {
    if (settled !== undefined) settleStart(entry, settled.outcome, settled.held);
}

/** A start the outbox dead-lettered: its firing fails, its slot is freed (its own message). */
function onStartDeadLettered(entry: StoredStart, reason: DeadLetterReason): void {
    settleStart(entry, deadLetteredOutcome(entry, reason), undefined);
}

function settleStart(entry: StoredStart, outcome: FiringOutcome, held: WorkflowTarget | undefined): void {
    const before = state.getSchedule(entry.schedule_id);
    const step = onStartSettled(before, entry, outcome, held, firingContext());
    if (step.schedule !== undefined) state.saveSchedule(step.schedule, before);
    launch(applyEffects(step.effects));
    replan();
}

/** The scheduler's outbox of start requests. Call context of its passes: timer. */
const starts = new DurableOutbox<StoredStart, StartSettlement>({
    store: state.startOutbox,
    handle: sendStart,
    onDone: onStartDone,
    onDeadLetter: onStartDeadLettered,
    policyOf: () => DEFAULT_RETRY_POLICY,
    batch: START_BATCH,
    resendAfterNs: START_RESEND_AFTER_NS,
    now: () => time()
});

/**
 * The global timer's callback: fires a bounded batch of due schedules (each applying its
 * missed-run and overlap policy and the mode in force; the outbox sends the starts), re-arms
 * for the earliest remaining work, then awaits the condition reads.
 *
 * Call context: timer.
 */
async function onTimer(): Promise<void> {
    const ctx = firingContext();
    const out: Outgoing = { reads: [] };
    for (const schedule of state.dueSchedules(ctx.now, FIRE_BATCH)) {
        const step = fireDueSchedule(schedule, ctx);
        state.saveSchedule(step.schedule, schedule);
        merge(out, applyEffects(step.effects));
    }
    replan();
    await send(out);
}
