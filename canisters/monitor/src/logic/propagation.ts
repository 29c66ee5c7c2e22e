import type { Principal } from '@dfinity/principal';
import type { EmergencyState } from '../../../../shared/monitoring/emergency';
import { backoffDelay, isRetryableReject, type RetryPolicy } from '../../../common/outbox/retry-policy';

/**
 * A pending push of the emergency state to one peer's `set_emergency_mode`. One entry per
 * peer: a newer state replaces an undelivered older one (only the latest decision matters).
 */
export type PropagationEntry = { target: Principal; state: EmergencyState; attempts: number; next_attempt_at: bigint };

/** Retry pushes from 1 s up to 1 min apart, forever: peers also converge through report_health acks. */
export const PROPAGATION_RETRY: RetryPolicy = { initial_delay_ns: 1_000_000_000n, factor: 2, max_delay_ns: 60_000_000_000n, max_attempts: 0, give_up_after_ns: 0n, max_traps: 3 };

/**
 * Queues a push of `state` to each target, replacing what was pending for it, due now.
 *
 * @example
 * enqueuePropagation(entries, [orchestrator, scheduler, executor], state, now)
 */
export function enqueuePropagation(entries: readonly PropagationEntry[], targets: readonly Principal[], state: EmergencyState, now: bigint): PropagationEntry[] {
    const others = entries.filter((e) => !targets.some((t) => t.toText() === e.target.toText()));
    return [...others, ...targets.map((target) => ({ target, state, attempts: 0, next_attempt_at: now }))];
}

/** Entries whose attempt is due, each counted as sent (next attempt moved out by the backoff). */
export function takeDuePropagations(entries: readonly PropagationEntry[], now: bigint): { entries: PropagationEntry[]; send: PropagationEntry[] } {
    const send: PropagationEntry[] = [];
    const next = entries.map((e) => {
        if (e.next_attempt_at > now) return e;
        const sent = { ...e, attempts: e.attempts + 1, next_attempt_at: now + backoffDelay(PROPAGATION_RETRY, e.attempts + 1) };
        send.push(sent);
        return sent;
    });
    return { entries: next, send };
}

/** What came of one push. */
export type PushOutcome = { kind: 'Delivered' } | { kind: 'Refused'; error_tag: string } | { kind: 'Rejected'; reject_code: number };

/**
 * Folds a push outcome in: delivered or refused for good, the entry goes (if it still carries
 * the pushed state: a newer state queued meanwhile stays); unavailable, it waits for its next attempt.
 *
 * @example
 * settlePropagation(entries, entry, { kind: 'Rejected', reject_code: 5 }) // kept, retried at entry.next_attempt_at
 */
export function settlePropagation(entries: readonly PropagationEntry[], pushed: PropagationEntry, outcome: PushOutcome): { entries: PropagationEntry[]; dropped_for_good: boolean } {
    const retry = outcome.kind === 'Rejected' && isRetryableReject(outcome.reject_code);
    if (retry) return { entries: [...entries], dropped_for_good: false };
    const same = (e: PropagationEntry): boolean => e.target.toText() === pushed.target.toText() && e.state.changed_at === pushed.state.changed_at;
    return { entries: entries.filter((e) => !same(e)), dropped_for_good: outcome.kind !== 'Delivered' };
}

/** When the next push is due, if any. */
export function earliestPropagation(entries: readonly PropagationEntry[]): bigint | undefined {
    return entries.reduce<bigint | undefined>((min, e) => (min === undefined || e.next_attempt_at < min ? e.next_attempt_at : min), undefined);
}
