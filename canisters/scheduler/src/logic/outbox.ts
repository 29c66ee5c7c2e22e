import type { ApiError } from '../../../../shared/common/errors';
import type { Result } from '../../../../shared/common/result';
import { toOpt } from '../../../../shared/common/codec';
import type { FiringOutcome } from '../../../../shared/scheduling/firing';
import type { OutboxEntry, StartScheduledExecutionRequest } from '../../../../shared/scheduling/outbox';
import { backoffDelay, isRetryableReject, type RetryPolicy } from '../../../common/outbox/retry-policy';

/** Re-exported: the backoff of the one outbox `RetryPolicy` (`canisters/common/outbox`). */
export { backoffDelay };
import type { Schedule } from '../../../../shared/scheduling/schedule';
import type { WorkflowTarget } from '../../../../shared/scheduling/target';
import { hours, seconds } from './time';

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
export function startRequestOf(entry: OutboxEntry): StartScheduledExecutionRequest {
    return {
        idempotency_key: entry.key,
        schedule_id: entry.schedule_id,
        workflow_id: entry.workflow_id,
        owner: entry.owner,
        due_at: entry.due_at,
        attempt: entry.attempts,
        // Entries stored before schema v3 have no input: their runs start with `null`, as before.
        input: entry.input ?? []
    };
}

/**
 * A new outbox entry for the run of `schedule` due at `dueAt`, recorded as attempt 1 because
 * the caller sends it right away. `next_attempt_at` is the fallback if no answer ever comes
 * (it cannot, across an upgrade of this canister, since a stopping canister waits for replies).
 *
 * @example
 * const entry = newOutboxEntry(schedule, due, now); // then PutOutbox(entry), StartExecution(startRequestOf(entry))
 */
export function newOutboxEntry(schedule: Schedule, dueAt: bigint, now: bigint, policy: RetryPolicy = DEFAULT_RETRY_POLICY): OutboxEntry {
    return {
        key: idempotencyKey(schedule.id, dueAt),
        schedule_id: schedule.id,
        workflow_id: schedule.workflow_id,
        owner: schedule.owner,
        due_at: dueAt,
        enqueued_at: now,
        attempts: 1,
        next_attempt_at: now + backoffDelay(policy, 1),
        last_error: [],
        input: [schedule.input]
    };
}

/**
 * What came back from `start_scheduled_execution`: a reply (the method's own Result) or a
 * reject of the call (peer stopped, upgrading, trapped, queue full; see the IC reject codes).
 */
export type StartOutcome =
    | { kind: 'Replied'; result: Result<{ execution_id: string }, ApiError> | { Held: WorkflowTarget } }
    | { kind: 'Rejected'; reject_code: number; message: string };

/** What to do with an outbox entry after an outcome. `held`: the workflow state the orchestrator answered instead of starting. */
export type StartDecision =
    | { kind: 'Settled'; outcome: FiringOutcome; held?: WorkflowTarget }
    | { kind: 'Retry'; entry: OutboxEntry };

/**
 * Decides what an outcome means for an outbox entry: settled (started, refused for good,
 * skipped because of emergency mode, or given up) or retry at `entry.next_attempt_at`.
 * `Unavailable` from the orchestrator is retried like a reject.
 *
 * @example
 * applyStartOutcome(entry, { kind: 'Rejected', reject_code: 5, message: 'stopped' }, now)
 * // { kind: 'Retry', entry: { ...entry, next_attempt_at: now + 1 s, last_error: ['reject 5: stopped'] } }
 */
export function applyStartOutcome(entry: OutboxEntry, outcome: StartOutcome, now: bigint, policy: RetryPolicy = DEFAULT_RETRY_POLICY): StartDecision {
    let retryable: string;
    let failure: { reject_code: number; message: string };
    if (outcome.kind === 'Replied') {
        const result = outcome.result;
        if ('Held' in result) return { kind: 'Settled', outcome: { Skipped: { reason: { WorkflowHeld: null }, runs: 1n } }, held: result.Held };
        if ('Ok' in result) return { kind: 'Settled', outcome: { Started: { execution_id: result.Ok.execution_id } } };
        const error = result.Err;
        if ('EmergencyMode' in error) return { kind: 'Settled', outcome: { Skipped: { reason: { EmergencyMode: null }, runs: 1n } } };
        if (!('Unavailable' in error)) {
            return { kind: 'Settled', outcome: { Failed: { attempts: entry.attempts, failure: { Refused: { error } } } } };
        }
        retryable = `unavailable: ${error.Unavailable.message}`;
        failure = { reject_code: 0, message: retryable };
    } else {
        failure = { reject_code: outcome.reject_code, message: outcome.message };
        if (!isRetryableReject(outcome.reject_code)) {
            return { kind: 'Settled', outcome: { Failed: { attempts: entry.attempts, failure: { Unreachable: failure } } } };
        }
        retryable = `reject ${outcome.reject_code}: ${outcome.message}`;
    }
    const outOfAttempts = policy.max_attempts > 0 && entry.attempts >= policy.max_attempts;
    const tooOld = policy.give_up_after_ns > 0n && now - entry.enqueued_at >= policy.give_up_after_ns;
    if (outOfAttempts || tooOld) {
        return { kind: 'Settled', outcome: { Failed: { attempts: entry.attempts, failure: { Unreachable: failure } } } };
    }
    return { kind: 'Retry', entry: { ...entry, next_attempt_at: now + backoffDelay(policy, entry.attempts), last_error: toOpt(retryable) } };
}

/**
 * Takes an entry whose retry time has come: counts the attempt and moves the fallback time
 * forward, before the call is sent (commit, then await).
 *
 * @example
 * const { entry: next, request } = beginRetry(entry, now); // PutOutbox(next), StartExecution(request)
 */
export function beginRetry(entry: OutboxEntry, now: bigint, policy: RetryPolicy = DEFAULT_RETRY_POLICY): { entry: OutboxEntry; request: StartScheduledExecutionRequest } {
    const attempts = entry.attempts + 1;
    const next = { ...entry, attempts, next_attempt_at: now + backoffDelay(policy, attempts) };
    return { entry: next, request: startRequestOf(next) };
}

/** Whether an entry is due for another attempt. */
export function isRetryDue(entry: OutboxEntry, now: bigint): boolean {
    return entry.next_attempt_at <= now;
}
