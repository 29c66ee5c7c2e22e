/**
 * The bookkeeping of one durable-outbox entry and the pure decisions made on it: when it is
 * taken, what an outcome means, when it is dead-lettered. Every outbox embeds a `Delivery`
 * in its stored entries (JSON in a StableBTreeMap: fields absent from records written by an
 * earlier release read as their defaults, see {@link deliveryFrom}).
 *
 * Why `taken_at`: an entry is taken (this record written and committed) in one message and
 * handled in another (`outbox.ts`). If the handling traps, the IC rolls back only that
 * message, so the entry is found still taken the next time: that counts as a trap, and after
 * `max_traps` of them the entry is dead-lettered instead of being handled again. A poison
 * entry therefore costs a bounded number of messages and never blocks the entries behind it.
 */
import type { DeadLetterReason } from '../../../shared/common/dead-letter';
import { backoffDelay, isRetryableReject, type CallFailure, type RetryPolicy } from './retry-policy';

export type Delivery = {
    /** Handlings begun (calls made, for entries that call a peer). */
    attempts: number;
    /** When the entry may be taken next. */
    next_at: bigint;
    /** When the entry was enqueued (for `give_up_after_ns`). */
    first_at: bigint;
    /** Set when taken, cleared when its outcome is recorded. */
    taken_at?: bigint;
    /** Consecutive handlings that recorded no outcome. */
    traps: number;
    /** The last retryable failure, shown in the dead letter. */
    last_error?: string;
};

export type { DeadLetterReason };

/**
 * What came of one handling. A `Done` may carry `value`: what the canister applies (the
 * runner's `onDone`) only if this handling is the one that records the entry's outcome. So
 * may a failure whose answer is news all the same (a balance read that found the agent still
 * short: recorded, and read again later).
 */
export type HandleOutcome<V = undefined> = { kind: 'Done'; value?: V } | HandleFailure<V>;
export type HandleFailure<V = never> = { kind: 'Failed'; retryable: boolean; reason: string; value?: V };

/** A handling that ended in a call failure: retryable by the one reject rule. */
export function failedCall(failure: CallFailure): HandleFailure {
    return { kind: 'Failed', retryable: isRetryableReject(failure.reject_code), reason: `reject ${failure.reject_code}: ${failure.message}` };
}

/** A new entry's bookkeeping, due at `dueAt`. */
export function newDelivery(now: bigint, dueAt: bigint = now): Delivery {
    return { attempts: 0, next_at: dueAt, first_at: now, traps: 0 };
}

/** The bookkeeping of a stored entry, defaults for what an earlier release did not write. */
export function deliveryFrom(d: Partial<Delivery> & { next_at: bigint }, fallbackFirstAt: bigint): Delivery {
    return { attempts: d.attempts ?? 0, next_at: d.next_at, first_at: d.first_at ?? fallbackFirstAt, taken_at: d.taken_at, traps: d.traps ?? 0, last_error: d.last_error };
}

export type TakeDecision = { kind: 'Handle'; delivery: Delivery } | { kind: 'DeadLetter'; reason: DeadLetterReason };

/**
 * Takes a due entry for handling: counts the attempt and pushes `next_at` out by
 * `resendAfterNs` (if no outcome is ever recorded, it is taken again then). An entry still
 * taken from before trapped that time; at `max_traps` it is dead-lettered.
 *
 * @example
 * take({ attempts: 2, next_at: 0n, first_at: 0n, taken_at: 5n, traps: 2, }, 10n, { ...policy, max_traps: 3 }, 60n)
 * // { kind: 'DeadLetter', reason: { kind: 'Trapped', handlings: 3 } }
 */
export function take(d: Delivery, now: bigint, policy: RetryPolicy, resendAfterNs: bigint): TakeDecision {
    const traps = d.taken_at === undefined ? d.traps : d.traps + 1;
    if (traps >= Math.max(1, policy.max_traps)) return { kind: 'DeadLetter', reason: { kind: 'Trapped', handlings: traps } };
    return { kind: 'Handle', delivery: { ...d, attempts: d.attempts + 1, traps, taken_at: now, next_at: now + resendAfterNs } };
}

export type SettleDecision = { kind: 'Done' } | { kind: 'Retry'; delivery: Delivery } | { kind: 'DeadLetter'; reason: DeadLetterReason };

/**
 * What an outcome means for an entry: done; a failure that will not change by retrying is
 * refused for good; a retryable one is retried with the policy's backoff until it runs out of
 * attempts or time, then given up. Refused and given-up entries are dead-lettered (visible).
 *
 * @example
 * settle(d, { kind: 'Failed', retryable: true, reason: 'reject 5: stopped' }, now, policy)
 * // { kind: 'Retry', delivery: { ...d, taken_at: undefined, traps: 0, next_at: now + backoffDelay(policy, d.attempts), last_error: 'reject 5: stopped' } }
 */
export function settle(d: Delivery, outcome: HandleOutcome<unknown>, now: bigint, policy: RetryPolicy): SettleDecision {
    if (outcome.kind === 'Done') return { kind: 'Done' };
    if (!outcome.retryable) return { kind: 'DeadLetter', reason: { kind: 'Refused', error: outcome.reason } };
    const outOfAttempts = policy.max_attempts > 0 && d.attempts >= policy.max_attempts;
    const tooOld = policy.give_up_after_ns > 0n && now - d.first_at >= policy.give_up_after_ns;
    if (outOfAttempts || tooOld) return { kind: 'DeadLetter', reason: { kind: 'GaveUp', attempts: d.attempts, last_error: outcome.reason } };
    return { kind: 'Retry', delivery: { ...d, taken_at: undefined, traps: 0, last_error: outcome.reason, next_at: now + backoffDelay(policy, Math.max(1, d.attempts)) } };
}
