/**
 * Condition triggers, pure: validation, evaluation of a read's reply, and what a read means
 * for the schedule (start a run, re-arm, or count a failure). The canister adapter makes the
 * read (`ReadCondition` effect) and feeds the decoded reply to {@link onConditionRead}.
 */
import { apiError, type ApiError } from '../../../../shared/common/errors';
import { err, ok, type Result } from '../../../../shared/common/result';
import { toOpt } from '../../../../shared/common/codec';
import { INITIAL_CONDITION_STATE, MAX_CONDITION_ARGS_BYTES, type ConditionOp, type ConditionState, type ConditionTrigger } from '../../../../shared/scheduling/condition';
import type { Schedule } from '../../../../shared/scheduling/schedule';
import { parseCandidTypes } from '../../../../shared/workflow/candid-text';
import { getPath, JsonPathSchema, parseJson, type JsonValue } from '../../../../shared/workflow/json';
import { WORKFLOW_LIMITS } from '../../../../shared/workflow/limits';
import type { FiringContext, ScheduleStep } from './fire';
import { NS_PER_SECOND } from './time';

/** Fewest seconds between two reads: each read costs the owner's agent a call, and DeFlow the hops to it. */
export const MIN_CONDITION_INTERVAL_SECONDS = 10n;
/** While the owner's agent is underfunded, its trigger checks again at most this often (each check costs DeFlow the hops, never a read). */
export const UNDERFUNDED_RECHECK_SECONDS = 300n;
/** While the owner's agent is being upgraded, its trigger reads again this soon (as a call node's call waits for its agent a few seconds). */
export const AGENT_UPGRADING_RECHECK_SECONDS = MIN_CONDITION_INTERVAL_SECONDS;
/** Longest interval and cool-down: a day (longer ones are typos for a price trigger). */
export const MAX_CONDITION_SECONDS = 86_400n;

/**
 * Checks a trigger's fields; the field path names the offender (`kind.Condition.path`, ...).
 *
 * @example
 * validateCondition({ ...trigger, every_seconds: 1n }) // Err InvalidInput { field: 'kind.Condition.every_seconds' }
 */
export function validateCondition(t: ConditionTrigger): Result<null, ApiError> {
    const field = (name: string) => `kind.Condition.${name}`;
    if (t.every_seconds < MIN_CONDITION_INTERVAL_SECONDS || t.every_seconds > MAX_CONDITION_SECONDS) {
        return err(apiError.invalidInput(field('every_seconds'), `must be in ${MIN_CONDITION_INTERVAL_SECONDS}..=${MAX_CONDITION_SECONDS}`));
    }
    if (t.cooldown_seconds > MAX_CONDITION_SECONDS) return err(apiError.invalidInput(field('cooldown_seconds'), `must be at most ${MAX_CONDITION_SECONDS}`));
    if (t.read.method.length === 0 || t.read.method.length > WORKFLOW_LIMITS.maxMethodChars) {
        return err(apiError.invalidInput(field('read.method'), `expected 1..${WORKFLOW_LIMITS.maxMethodChars} characters`));
    }
    if (t.read.args.length > MAX_CONDITION_ARGS_BYTES) return err(apiError.invalidInput(field('read.args'), `at most ${MAX_CONDITION_ARGS_BYTES} bytes`));
    const types = parseCandidTypes(t.read.reply_types);
    if (!types.ok) return err(apiError.invalidInput(field('read.reply_types'), types.message));
    if (!JsonPathSchema.safeParse(t.path).success) return err(apiError.invalidInput(field('path'), 'dot-separated keys or indices'));
    if (!parseJson(t.value).ok) return err(apiError.invalidInput(field('value'), 'must be valid JSON'));
    return ok(null);
}

type Comparable = { kind: 'int'; v: bigint } | { kind: 'number'; v: number } | { kind: 'text'; v: string } | { kind: 'other'; v: string };

/** Integers compare exactly (large Candid nats arrive as decimal strings), other numbers as floats. */
function comparable(j: JsonValue): Comparable {
    if (typeof j === 'number') return Number.isSafeInteger(j) ? { kind: 'int', v: BigInt(j) } : { kind: 'number', v: j };
    if (typeof j === 'string') return /^-?\d+$/.test(j) ? { kind: 'int', v: BigInt(j) } : { kind: 'text', v: j };
    return { kind: 'other', v: JSON.stringify(j) };
}

function order(a: Comparable, b: Comparable): number | undefined {
    if (a.kind === 'int' && b.kind === 'int') return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
    const numeric = (x: Comparable) => (x.kind === 'int' ? Number(x.v) : x.kind === 'number' ? x.v : undefined);
    const [na, nb] = [numeric(a), numeric(b)];
    if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
    if (a.kind === 'text' && b.kind === 'text') return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
    return undefined;
}

/**
 * Whether the condition holds for a decoded reply; an error when the path has no value or
 * the values cannot be ordered (a number against a record, say).
 *
 * @example
 * evaluateCondition({ ...trigger, path: 'price_e8s', op: { Lt: null }, value: '60000000' }, { price_e8s: 50000000 }) // { ok: true, holds: true, value: '50000000' }
 */
export function evaluateCondition(t: ConditionTrigger, reply: JsonValue): { ok: true; holds: boolean; value: string } | { ok: false; error: string } {
    const found = getPath(reply, t.path);
    if (!found.found) return { ok: false, error: `reply has no value at ${t.path === '' ? 'the root' : t.path}` };
    const constant = parseJson(t.value);
    if (!constant.ok) return { ok: false, error: 'invalid constant' };
    const value = JSON.stringify(found.value);
    const op: ConditionOp = t.op;
    if ('Eq' in op || 'Ne' in op) {
        const cmp = order(comparable(found.value), comparable(constant.value));
        const equal = cmp === undefined ? value === JSON.stringify(constant.value) : cmp === 0;
        return { ok: true, holds: 'Eq' in op ? equal : !equal, value };
    }
    const cmp = order(comparable(found.value), comparable(constant.value));
    if (cmp === undefined) return { ok: false, error: `cannot order ${value} and ${t.value}` };
    const holds = 'Lt' in op ? cmp < 0 : 'Le' in op ? cmp <= 0 : 'Gt' in op ? cmp > 0 : cmp >= 0;
    return { ok: true, holds, value };
}

/** What one read gave: the decoded reply, or why there is none. */
export type ConditionReply = { ok: true; value: JsonValue } | { ok: false; error: string };

/** The state of a schedule's trigger (a stored v3 record of a time-based kind has none). */
export function conditionStateOf(schedule: Schedule): ConditionState {
    return schedule.condition[0] ?? INITIAL_CONDITION_STATE;
}

/**
 * What a read due at `dueAt` means for its schedule. A true condition on an armed trigger
 * whose cool-down has passed offers a run (`start`, through the emergency switch and overlap
 * policy) and disarms the trigger; a false one re-arms it; a failed read is counted and
 * changes nothing else. A schedule paused or held meanwhile only records the read.
 *
 * @example
 * onConditionRead(schedule, due, { ok: true, value: { price_e8s: 1 } }, ctx, offerRun) // a run started, armed: false
 */
export function onConditionRead(schedule: Schedule, dueAt: bigint, reply: ConditionReply, ctx: FiringContext, start: (s: Schedule, dueAt: bigint, ctx: FiringContext) => ScheduleStep): ScheduleStep {
    if (!('Condition' in schedule.kind)) return { schedule, effects: [] };
    const trigger = schedule.kind.Condition;
    const before = conditionStateOf(schedule);
    // A read was made, so the agent was funded and the owner within their read quota: those statuses end here.
    const read: ConditionState = { ...before, reads: before.reads + 1n, last_read_at: [ctx.now], underfunded: [], read_quota: [] };
    const evaluated = reply.ok ? evaluateCondition(trigger, reply.value) : reply;
    if (!evaluated.ok) {
        return { schedule: { ...schedule, condition: [{ ...read, read_failures: read.read_failures + 1n, last_error: [evaluated.error] }], updated_at: ctx.now }, effects: [] };
    }
    const seen: ConditionState = { ...read, last_value: [evaluated.value], last_error: [] };
    if (!evaluated.holds) return { schedule: { ...schedule, condition: [{ ...seen, armed: true }], updated_at: ctx.now }, effects: [] };
    const lastRun = seen.last_run_at[0];
    const cooling = lastRun !== undefined && ctx.now < lastRun + trigger.cooldown_seconds * NS_PER_SECOND;
    const suspended = schedule.paused || schedule.hold.length > 0;
    if (!seen.armed || cooling || suspended) return { schedule: { ...schedule, condition: [seen], updated_at: ctx.now }, effects: [] };
    const fired: Schedule = { ...schedule, condition: [{ ...seen, armed: false, last_run_at: toOpt(ctx.now) }], last_due_at: [dueAt], updated_at: ctx.now };
    return start(fired, dueAt, ctx);
}

/**
 * The owner's triggers made their `max` reads of this clock hour, so no read was sent: the
 * trigger records it (visible on the schedule) and reads next at `until` (the next hour) or
 * its own next time, whichever is later. Reads, failures and the arming stay as they were.
 *
 * @example
 * onReadQuotaExceeded(schedule, 360, nextHour, now).schedule.condition[0]?.read_quota // [{ max: 360, until: nextHour }]
 */
export function onReadQuotaExceeded(schedule: Schedule, max: number, until: bigint, now: bigint): ScheduleStep {
    const before = conditionStateOf(schedule);
    const next = schedule.next_due_at[0];
    const next_due_at: [] | [bigint] = next === undefined ? [] : [next > until ? next : until];
    return { schedule: { ...schedule, condition: [{ ...before, read_quota: [{ max, until }] }], next_due_at, updated_at: now }, effects: [] };
}

/**
 * The owner's agent was being upgraded, so the executor did not send the read (its
 * `Unavailable`): as a call node's call waits unsent for its agent, the read is neither a read
 * nor a failed one; the trigger reads again after {@link AGENT_UPGRADING_RECHECK_SECONDS}, or
 * at its own next time if that is sooner, so an upgrade costs no interval of a slow trigger.
 *
 * @example
 * onReadNotSent(schedule, now).schedule.next_due_at // [now + 10 s] for a trigger of an hour
 */
export function onReadNotSent(schedule: Schedule, now: bigint): ScheduleStep {
    const soon = now + AGENT_UPGRADING_RECHECK_SECONDS * NS_PER_SECOND;
    const next = schedule.next_due_at[0];
    const next_due_at: [] | [bigint] = next === undefined ? [] : [next < soon ? next : soon];
    return { schedule: { ...schedule, next_due_at, updated_at: now }, effects: [] };
}

/**
 * The owner's agent held `balance`, under the run `minimum`, so no read was sent: the trigger
 * records it (visible on the schedule, `since` kept from the first such check) and checks
 * again after {@link UNDERFUNDED_RECHECK_SECONDS} or its own interval, whichever is longer.
 * Nothing else changes: reads, failures and the arming stay as they were.
 *
 * @example
 * onUnderfundedRead(schedule, 90_000_000_000n, 200_000_000_000n, now).schedule.condition[0]?.underfunded // [{ balance, minimum, since: now }]
 */
export function onUnderfundedRead(schedule: Schedule, balance: bigint, minimum: bigint, now: bigint): ScheduleStep {
    const before = conditionStateOf(schedule);
    const since = before.underfunded[0]?.since ?? now;
    const recheck = now + UNDERFUNDED_RECHECK_SECONDS * NS_PER_SECOND;
    const next = schedule.next_due_at[0];
    const next_due_at: [] | [bigint] = next === undefined ? [] : [next > recheck ? next : recheck];
    return { schedule: { ...schedule, condition: [{ ...before, underfunded: [{ balance, minimum, since }] }], next_due_at, updated_at: now }, effects: [] };
}
