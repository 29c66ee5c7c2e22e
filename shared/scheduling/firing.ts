import { ApiErrorCodec } from '../common/errors';
import { c, type Infer } from '../common/codec';

/**
 * Why a due time did not start an execution.
 *
 * - `Overlap`: the overlap policy held it back (an earlier run was still executing).
 * - `Paused`: the schedule was paused when the time passed (recorded when a paused `Once` is resumed late).
 * - `EmergencyMode`: emergency mode was on, or the orchestrator refused because of safe/emergency mode.
 * - `MissedRunPolicy`: it fell due while the scheduler could not fire and the policy dropped it.
 * - `Backpressure`: too many runs of this schedule already in flight.
 * - `WorkflowHeld`: the orchestrator answered that the workflow is paused or deleted; the
 *   schedule is held with it (not a failure).
 *
 * @example
 * const r: SkipReason = { MissedRunPolicy: null };
 */
export const SkipReasonCodec = c.tags(['Overlap', 'Paused', 'EmergencyMode', 'MissedRunPolicy', 'Backpressure', 'WorkflowHeld'] as const);
export type SkipReason = Infer<typeof SkipReasonCodec>;

/**
 * Why a start request failed for good: the orchestrator answered with an error that retrying
 * cannot fix (`Refused`), or it stayed unreachable until the retry policy gave up.
 *
 * @example
 * const f: StartFailure = { Unreachable: { reject_code: 5, message: 'canister stopped' } };
 */
export const StartFailureCodec = c.variant({
    Refused: c.record({ error: ApiErrorCodec }),
    Unreachable: c.record({ reject_code: c.nat32, message: c.text })
});
export type StartFailure = Infer<typeof StartFailureCodec>;

/**
 * What became of one due time. `Pending` while the start request waits in the outbox;
 * replaced by `Started` or `Failed` once the orchestrator answers.
 * `runs` in `Skipped` is the number of due times the entry stands for (one entry summarises a
 * batch of missed runs; counts saturate at `MISSED_RUN_COUNT_LIMIT` for cron schedules).
 *
 * @example
 * const o: FiringOutcome = { Started: { execution_id: 'exec-42' } };
 */
export const FiringOutcomeCodec = c.variant({
    Pending: c.record({ idempotency_key: c.text }),
    Started: c.record({ execution_id: c.text }),
    Skipped: c.record({ reason: SkipReasonCodec, runs: c.nat64 }),
    Failed: c.record({ attempts: c.nat32, failure: StartFailureCodec })
});
export type FiringOutcome = Infer<typeof FiringOutcomeCodec>;

/**
 * One line of a schedule's firing history (a bounded ring of the last entries).
 * `started_at` is when the scheduler acted on the due time; `lateness_ns = started_at - due_at`.
 *
 * @example
 * const e: FiringEntry = { schedule_id: 's1', due_at: 10n, started_at: 12n, lateness_ns: 2n, outcome: { Pending: { idempotency_key: 's1:10' } } };
 */
export const FiringEntryCodec = c.record({
    schedule_id: c.text,
    due_at: c.nat64,
    started_at: c.nat64,
    lateness_ns: c.nat64,
    outcome: FiringOutcomeCodec
});
export type FiringEntry = Infer<typeof FiringEntryCodec>;
