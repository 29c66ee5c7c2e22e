import type { NodeError } from './execution';
import { msToNs } from './limits';
import type { ErrorMatcher, RecoveryPolicy, RetryPolicy } from './recovery';

/** The answer of {@link nextRetryAt}: when the next attempt is due, or no attempt is left. */
export type RetryDecision = { kind: 'RetryAt'; attempt: number; delayMs: number; dueAt: bigint } | { kind: 'Exhausted'; attempts: number };

/**
 * Backoff delay before attempt `attempt` (2 = first retry): `initialDelayMs * factor^(attempt-2)`
 * capped at `maxDelayMs`. With jitter, a deterministic "equal jitter" in [delay/2, delay]
 * derived from `seed`, so replaying the same message after an upgrade gives the same time
 * (no randomness in pure code; the adapter passes e.g. a hash of the attempt key).
 */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, seed = 0): number {
    const exponent = Math.max(0, attempt - 2);
    // Computed in floating point then capped: factor^exponent can overflow to Infinity, which min() absorbs.
    const raw = policy.initialDelayMs * Math.pow(policy.backoffFactor, exponent);
    const capped = Math.floor(Math.min(raw, policy.maxDelayMs));
    if (!policy.jitter || capped === 0) return capped;
    const half = Math.floor(capped / 2);
    return half + (mix32(seed, attempt) % (capped - half + 1));
}

/**
 * When the attempt after a failed attempt `failedAttempt` is due.
 *
 * @example
 * const p = { maxRetries: 2, initialDelayMs: 1000, backoffFactor: 2, maxDelayMs: 10_000, jitter: false };
 * nextRetryAt(p, 1, 0n); // { kind: 'RetryAt', attempt: 2, delayMs: 1000, dueAt: 1_000_000_000n }
 * nextRetryAt(p, 3, 0n); // { kind: 'Exhausted', attempts: 3 }
 */
export function nextRetryAt(policy: RetryPolicy, failedAttempt: number, now: bigint, seed = 0): RetryDecision {
    if (failedAttempt >= policy.maxRetries + 1) return { kind: 'Exhausted', attempts: failedAttempt };
    const attempt = failedAttempt + 1;
    const delayMs = backoffDelayMs(policy, attempt, seed);
    return { kind: 'RetryAt', attempt, delayMs, dueAt: now + msToNs(delayMs) };
}

/** A stable 32-bit seed from text (FNV-1a), e.g. from `${executionId}/${nodeId}`. */
export function seedFromText(text: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h;
}

function mix32(seed: number, attempt: number): number {
    let h = (seed ^ Math.imul(attempt, 0x9e3779b1)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    return (h ^ (h >>> 16)) >>> 0;
}


/**
 * Whether an error belongs to the class a matcher names.
 *
 * @example
 * errorMatches({ kind: 'ErrCase', case: 'TemporarilyUnavailable' }, { kind: 'ReplyErr', message: 'Err', case: 'Err', detail: 'TemporarilyUnavailable' }); // true
 */
export function errorMatches(m: ErrorMatcher, e: NodeError): boolean {
    switch (m.kind) {
        case 'Kind':
            return e.kind === m.errorKind;
        case 'RejectCode':
            return e.rejectCode === m.code;
        case 'ErrCase':
            return e.kind === 'ReplyErr' && (e.case === m.case || e.detail === m.case);
    }
}

/**
 * The retry policy for one failed attempt: the first of `retryOn` whose errors match, else
 * the node's `retry` (as Step Functions tries its `Retry` entries in order).
 *
 * @example
 * retryPolicyFor({ ...recovery, retryOn: [{ errors: [{ kind: 'Kind', errorKind: 'TimedOut' }], retry: NO_RETRY }] }, { kind: 'TimedOut', message: '' }); // NO_RETRY
 */
export function retryPolicyFor(recovery: RecoveryPolicy, e: NodeError): RetryPolicy {
    return recovery.retryOn?.find((r) => r.errors.some((m) => errorMatches(m, e)))?.retry ?? recovery.retry;
}
