import type { ApiError } from '../../../../shared/common/errors';
import type { Result } from '../../../../shared/common/result';
import type { FiringOutcome } from '../../../../shared/scheduling/firing';
import type { StartScheduledExecutionRequest } from '../../../../shared/scheduling/outbox';
import type { DeadLetterReason } from '../../../../shared/common/dead-letter';
import { failedCall, newDelivery, type HandleOutcome } from '../../../common/outbox/delivery';
import type { CallOutcome } from '../../../common/outbox/retry-policy';
import type { RetryPolicy } from '../../../common/outbox/retry-policy';
import { deliveryOfStart, describeDeadLetter, type StoredStart } from './start-outbox';
import type { Schedule } from '../../../../shared/scheduling/schedule';
import type { WorkflowTarget } from '../../../../shared/scheduling/target';
import { hours, seconds } from './time';

/** Starts taken per outbox drain (each then sent in a message of its own). */
export const START_BATCH = 50;
/** A start with no recorded outcome is sent again after 2 min (its key makes the resend harmless). */
export const START_RESEND_AFTER_NS = seconds(120);

/**
 * Default retry policy for starts: 1 s, doubling, at most 1 min apart, for up to 24 h. An
 * orchestrator upgrade takes seconds to minutes; a day covers a stuck upgrade someone fixes.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
    initial_delay_ns: seconds(1),
    factor: 2,
    max_delay_ns: seconds(60),
    max_attempts: 0,
    give_up_after_ns: hours(24),
    max_traps: 3
};

/**
 * Idempotency key of the run of `scheduleId` due at `dueAt`: the same due time always maps
 * to the same key, so a retried start can never create a second execution.
 *
 * @example
 * idempotencyKey('s1', 100n) // 's1:100'
 */
export function idempotencyKey(scheduleId: string, dueAt: bigint): string {
    return `${scheduleId}:${dueAt.toString()}`;
}

/** The request an outbox entry sends. */
export function startRequestOf(entry: StoredStart): StartScheduledExecutionRequest {
    return {
        idempotency_key: entry.key,
        schedule_id: entry.schedule_id,
        workflow_id: entry.workflow_id,
        owner: entry.owner,
        due_at: entry.due_at,
        attempt: deliveryOfStart(entry).attempts,
        // Entries stored before schema v3 have no input: their runs start with `null`, as before.
        input: entry.input ?? []
    };
}

/**
 * A new outbox entry for the run of `schedule` due at `dueAt`, due now: the scheduler's outbox
 * (the shared durable outbox, `start-outbox.ts`) sends it in a message of its own, counting
 * each attempt and retrying by the {@link DEFAULT_RETRY_POLICY}.
 *
 * @example
 * const entry = newOutboxEntry(schedule, due, now); // then PutOutbox(entry)
 */
export function newOutboxEntry(schedule: Schedule, dueAt: bigint, now: bigint): StoredStart {
    return {
        key: idempotencyKey(schedule.id, dueAt),
        schedule_id: schedule.id,
        workflow_id: schedule.workflow_id,
        owner: schedule.owner,
        due_at: dueAt,
        enqueued_at: now,
        input: [schedule.input],
        delivery: newDelivery(now)
    };
}

/** The reply of `start_scheduled_execution`: the method's own Result, or `Held` (the workflow is paused or deleted). */
export type StartReply = Result<{ execution_id: string }, ApiError> | { Held: WorkflowTarget };

/** What a reply means for a start. `held`: the workflow state the orchestrator answered instead of starting. */
export type StartDecision = { kind: 'Settled'; outcome: FiringOutcome; held?: WorkflowTarget } | { kind: 'Unavailable'; reason: string };

/**
 * Judges the orchestrator's reply: settled (started, refused for good, or skipped because of
 * emergency mode or a held workflow), or `Unavailable`, which the outbox retries like a
 * retryable reject. Rejects never get here: the one reject rule judges them (`failedCall`).
 *
 * @example
 * judgeStartReply(entry, { Err: { Unavailable: { message: 'upgrading' } } }) // { kind: 'Unavailable', reason: 'unavailable: upgrading' }
 */
export function judgeStartReply(entry: StoredStart, reply: StartReply): StartDecision {
    if ('Held' in reply) return { kind: 'Settled', outcome: { Skipped: { reason: { WorkflowHeld: null }, runs: 1n } }, held: reply.Held };
    if ('Ok' in reply) return { kind: 'Settled', outcome: { Started: { execution_id: reply.Ok.execution_id } } };
    const error = reply.Err;
    if ('EmergencyMode' in error) return { kind: 'Settled', outcome: { Skipped: { reason: { EmergencyMode: null }, runs: 1n } } };
    if ('Unavailable' in error) return { kind: 'Unavailable', reason: `unavailable: ${error.Unavailable.message}` };
    return { kind: 'Settled', outcome: { Failed: { attempts: deliveryOfStart(entry).attempts, failure: { Refused: { error } } } } };
}

/**
 * What one sent start came to: done, with the firing's outcome for a final answer, or failed
 * (retryable by the one reject rule, `Unavailable` retryable too).
 *
 * @example
 * startHandling(entry, { kind: 'Rejected', reject_code: 5, message: 'stopped' }) // { kind: 'Failed', retryable: true, reason: 'reject 5: stopped' }
 */
export function startHandling(entry: StoredStart, r: CallOutcome<StartReply>): HandleOutcome<StartSettlement> {
    if (r.kind === 'Rejected') return failedCall(r);
    const decision = judgeStartReply(entry, r.value);
    if (decision.kind === 'Unavailable') return { kind: 'Failed', retryable: true, reason: decision.reason };
    return { kind: 'Done', value: { outcome: decision.outcome, held: decision.held } };
}

/** A final answer to a start: the firing's outcome and, if the workflow is held, which one (applied by the outbox's `onDone`). */
export type StartSettlement = { outcome: FiringOutcome; held?: WorkflowTarget };

/**
 * The firing outcome of a start the outbox dead-lettered (a reject retrying cannot change, out
 * of time, or trapping every time). It was never answered, so it counts as unreachable; the
 * reject code is 0 (no single reject: the message and `list_dead_letters` say why).
 */
export function deadLetteredOutcome(entry: StoredStart, reason: DeadLetterReason): FiringOutcome {
    return { Failed: { attempts: deliveryOfStart(entry).attempts, failure: { Unreachable: { reject_code: 0, message: describeDeadLetter(reason) } } } };
}
