/**
 * The ONE retry policy of every DeFlow outbox (orchestrator, scheduler, executor reports,
 * monitor propagation), as data, and the one rule for which rejects are worth retrying.
 * Pure: no Azle import, unit-tested in `retry-policy.test.ts`.
 */

/**
 * How an outbox entry is retried (all durations in IC nanoseconds). The delay before attempt
 * n+1 is `min(initial_delay_ns * factor^(n-1), max_delay_ns)`. An entry is given up (and
 * dead-lettered) after `max_attempts` calls (0: no limit) or once it is older than
 * `give_up_after_ns` (0: never), and after `max_traps` handlings that recorded no outcome
 * (its handling trapped: see `delivery.ts`).
 *
 * @example
 * const p: RetryPolicy = { initial_delay_ns: 1_000_000_000n, factor: 2, max_delay_ns: 60_000_000_000n, max_attempts: 0, give_up_after_ns: 86_400_000_000_000n, max_traps: 3 };
 */
export type RetryPolicy = {
    initial_delay_ns: bigint;
    factor: number;
    max_delay_ns: bigint;
    max_attempts: number;
    give_up_after_ns: bigint;
    max_traps: number;
};

export const NS_PER_SECOND = 1_000_000_000n;

/**
 * Delay before the next attempt once `attempts` calls were made (attempts ≥ 1):
 * `min(initial * factor^(attempts-1), max)`.
 *
 * @example
 * backoffDelay({ ...policy, initial_delay_ns: 1_000_000_000n, factor: 2, max_delay_ns: 60_000_000_000n }, 3) // 4 s
 */
export function backoffDelay(policy: RetryPolicy, attempts: number): bigint {
    let delay = policy.initial_delay_ns;
    const factor = BigInt(Math.max(1, Math.floor(policy.factor)));
    for (let i = 1; i < attempts && delay < policy.max_delay_ns; i += 1) delay *= factor;
    return delay < policy.max_delay_ns ? delay : policy.max_delay_ns;
}

/**
 * IC reject codes that mean "the peer cannot take it right now, the same request may succeed
 * later": SYS_TRANSIENT (2: queue full, out of cycles momentarily), CANISTER_ERROR (5: the
 * peer is stopped, stopping, upgrading or trapped) and SYS_UNKNOWN (6: the outcome is unknown,
 * e.g. a best-effort call timed out). Every DeFlow receiver is idempotent on its key, so a
 * repeated request never repeats its effect. SYS_FATAL (1), DESTINATION_INVALID (3) and
 * CANISTER_REJECT (4) will not change by retrying: the entry is given up, visibly.
 * Codes: dfinity/ic `rs/types/error_types/src/lib.rs` (`RejectCode`).
 */
export const RETRYABLE_REJECT_CODES: readonly number[] = [2, 5, 6];

/** The ONE call-error type: a failed inter-canister call (IC reject codes 1..6) as data. */
export type CallFailure = { reject_code: number; message: string };

/** The outcome of one call: the decoded reply, or the failure. */
export type CallOutcome<T> = { kind: 'Replied'; value: T } | ({ kind: 'Rejected' } & CallFailure);

/** True for rejects an outbox retries with backoff. */
export function isRetryableReject(code: number): boolean {
    return RETRYABLE_REJECT_CODES.includes(code);
}
