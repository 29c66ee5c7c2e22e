import { c, type Infer } from '../common/codec';
import { ConditionStateCodec, ConditionTriggerCodec } from './condition';

/**
 * Bumped when the stored shape of `Schedule` changes; records carry the version they were
 * written with. v2 added `last_fired_at`; the scheduler still reads v1 records (upgrading each
 * as it reads it, and all of them in timer-driven batches after an upgrade).
 */
export const SCHEDULE_SCHEMA_VERSION = 3;

/**
 * When a schedule is due. All times are IC time: nanoseconds since the Unix epoch (nat64).
 *
 * - `Once`: a single run at `at`.
 * - `Interval`: every `every_seconds` on a fixed grid anchored at `start_at` (default: creation
 *   time + one interval), never after `end_at`. The grid never drifts with lateness.
 * - `Cron`: 5 fields (minute hour day-of-month month day-of-week), 6 fields (seconds first) or
 *   an alias such as `@daily`; always evaluated in UTC.
 * - `EveryHeartbeat`: every round the canister gets. Costly (cycles on every round); opt-in.
 * - `Condition`: a read every `every_seconds` (grid anchored at creation); a run starts when a
 *   condition on the reply holds, once per crossing (see {@link ConditionTriggerCodec}).
 *
 * @example
 * const k: ScheduleKind = { Cron: { expression: '0 9 * * 1-5' } };
 */
export const ScheduleKindCodec = c.variant({
    Once: c.record({ at: c.nat64 }),
    Interval: c.record({ every_seconds: c.nat64, start_at: c.opt(c.nat64), end_at: c.opt(c.nat64) }),
    Cron: c.record({ expression: c.text }),
    EveryHeartbeat: c.null,
    Condition: ConditionTriggerCodec
});
export type ScheduleKind = Infer<typeof ScheduleKindCodec>;

/**
 * What to do with due times that passed while the scheduler could not fire (downtime,
 * upgrade, pause of the subnet): skip them, run once for all of them, or run each of them
 * up to `cap` (the most recent ones).
 *
 * @example
 * const p: MissedRunPolicy = { RunAll: { cap: 10 } };
 */
export const MissedRunPolicyCodec = c.variant({
    Skip: c.null,
    RunOnce: c.null,
    RunAll: c.record({ cap: c.nat32 })
});
export type MissedRunPolicy = Infer<typeof MissedRunPolicyCodec>;

/**
 * What to do when a run falls due while an earlier run of the same schedule is still
 * executing: skip it, keep (only) the latest one and start it when the running one ends, or
 * start it anyway.
 *
 * @example
 * const o: OverlapPolicy = { BufferOne: null };
 */
export const OverlapPolicyCodec = c.tags(['Skip', 'BufferOne', 'Allow'] as const);
export type OverlapPolicy = Infer<typeof OverlapPolicyCodec>;

/** @example const p: SchedulePolicies = { missed_run: { RunOnce: null }, overlap: { Skip: null } }; */
export const SchedulePoliciesCodec = c.record({ missed_run: MissedRunPolicyCodec, overlap: OverlapPolicyCodec });
export type SchedulePolicies = Infer<typeof SchedulePoliciesCodec>;

/** Policies a schedule gets when its request names none: catch up once, never overlap. */
export const DEFAULT_POLICIES: SchedulePolicies = { missed_run: { RunOnce: null }, overlap: { Skip: null } };

/**
 * Why a schedule does not fire although its owner did not pause it: it follows its workflow.
 *
 * - `WorkflowPaused`: the workflow is paused; the schedule resumes when the workflow does.
 * - `WorkflowDeleted`: the workflow was deleted; the schedule stays, visibly, until cancelled.
 * - `InputRejected`: the workflow's latest version reads an input path the schedule's input
 *   lacks (`field` such as `input.threshold_e8s`); it fires again once a version accepts it.
 *
 * @example
 * const h: ScheduleHold = { WorkflowPaused: null };
 */
export const ScheduleHoldCodec = c.variant({
    WorkflowPaused: c.null,
    WorkflowDeleted: c.null,
    InputRejected: c.record({ field: c.text, message: c.text })
});
export type ScheduleHold = Infer<typeof ScheduleHoldCodec>;

/** Input of the runs a schedule starts when its request names none. */
export const DEFAULT_SCHEDULE_INPUT = 'null';

/**
 * A stored schedule, also the API view.
 *
 * - `input` (v3): JSON text every run it starts gets as its execution input.
 * - `paused`: its owner paused it. `hold` (v3): it follows its workflow (see {@link ScheduleHoldCodec});
 *   either one keeps it from firing.
 * - `workflow_changed_at` (v3): `changed_at` of the newest workflow notice applied (0 = none).
 * - `condition` (v3): what a `Condition` trigger has seen (`[]` for time-based kinds).
 * - `next_due_at`: the next due time, `[]` while paused or held, or once the schedule has ended.
 * - `last_due_at`: the latest due time already handled (fired or skipped).
 * - `in_flight`: idempotency keys (`schedule_id:due_at`) of runs that were started (or are
 *   waiting in the outbox) and have not been reported finished; drives the overlap policy.
 * - `buffered_due_at`: a due time held back by `BufferOne`, started when `in_flight` empties.
 * - `last_fired_at` (schema v2): IC time the scheduler last acted on one of the schedule's due
 *   times (started, skipped or failed it), `[]` if never; it tells "late" from "stuck" without
 *   reading the firing history. v1 records get it from the newest entry of their history.
 * - `schema_version`: the stored shape the record is in (1 until the post-upgrade migration
 *   or a write rewrites it as 2).
 *
 * @example
 * schedule.next_due_at.length === 0 && !schedule.paused // the schedule has ended
 */
export const ScheduleCodec = c.record({
    id: c.text,
    workflow_id: c.text,
    owner: c.principal,
    kind: ScheduleKindCodec,
    policies: SchedulePoliciesCodec,
    paused: c.bool,
    next_due_at: c.opt(c.nat64),
    last_due_at: c.opt(c.nat64),
    in_flight: c.vec(c.text),
    buffered_due_at: c.opt(c.nat64),
    created_at: c.nat64,
    updated_at: c.nat64,
    last_fired_at: c.opt(c.nat64),
    schema_version: c.nat32,
    input: c.text,
    hold: c.opt(ScheduleHoldCodec),
    workflow_changed_at: c.nat64,
    condition: c.opt(ConditionStateCodec)
});
export type Schedule = Infer<typeof ScheduleCodec>;

/**
 * Argument of `schedule_workflow_execution`. `owner` is honoured only when the caller is the
 * wired orchestrator (creating a schedule on a user's behalf); otherwise the caller owns it.
 * `input` is the JSON text its runs get (default `null`); it must have every path the
 * workflow reads (checked with the orchestrator before the schedule exists).
 *
 * @example
 * const req: ScheduleRequest = { workflow_id: 'wf-1', kind: { EveryHeartbeat: null }, policies: [], owner: [], input: [] };
 */
export const ScheduleRequestCodec = c.record({
    workflow_id: c.text,
    kind: ScheduleKindCodec,
    policies: c.opt(SchedulePoliciesCodec),
    owner: c.opt(c.principal),
    input: c.opt(c.text)
});
export type ScheduleRequest = Infer<typeof ScheduleRequestCodec>;
