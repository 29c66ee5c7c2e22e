import type { Principal } from '@dfinity/principal';
import type { EmergencyState } from '../../../../shared/monitoring/emergency';
import { deliveryFrom, newDelivery, type Delivery } from '../../../common/outbox/delivery';
import type { RetryPolicy } from '../../../common/outbox/retry-policy';
import type { DeadLetterSink, OutboxStore, StoredValue } from '../../../common/outbox/runner';

/**
 * A pending push of the emergency state to one peer's `set_emergency_mode`, an entry of the
 * monitor's durable outbox (`canisters/common/outbox`). One entry per peer: a newer state
 * replaces an undelivered older one (only the latest decision matters; a handling of the
 * older one still in flight records nothing, see `runner.ts`).
 *
 * Stored shape: `delivery` is the whole bookkeeping (the one source of truth). Entries stored
 * before the shared outbox have none, only `attempts` and `next_attempt_at`: those are read
 * ({@link deliveryOfPush}) and never written again (the release before this one read
 * `delivery` first, so it loads what this one writes).
 */
export type PropagationEntry = { target: Principal; state: EmergencyState; delivery?: Delivery } & LegacyPushFields;
/** The bookkeeping of entries stored before the shared outbox (read only). */
type LegacyPushFields = { attempts?: number; next_attempt_at?: bigint };

/** Retry pushes from 1 s up to 1 min apart, forever: peers also converge through report_health acks. */
export const PROPAGATION_RETRY: RetryPolicy = { initial_delay_ns: 1_000_000_000n, factor: 2, max_delay_ns: 60_000_000_000n, max_attempts: 0, give_up_after_ns: 0n, max_traps: 3 };
/** Pushes taken per drain (three peers: all of them). */
export const PROPAGATION_BATCH = 10;
/** A push with no recorded outcome is sent again after 2 min (a stopping peer answers within that). */
export const PROPAGATION_RESEND_AFTER_NS = 120_000_000_000n;

/**
 * Queues a push of `state` to each target, replacing what was pending for it, due now.
 *
 * @example
 * enqueuePropagation(entries, [orchestrator, scheduler, executor], state, now)
 */
export function enqueuePropagation(entries: readonly PropagationEntry[], targets: readonly Principal[], state: EmergencyState, now: bigint): PropagationEntry[] {
    const others = entries.filter((e) => !targets.some((t) => t.toText() === e.target.toText()));
    return [...others, ...targets.map((target) => ({ target, state, delivery: newDelivery(now) }))];
}

/** The bookkeeping of a push, from the fields of an earlier release where it has none. */
export function deliveryOfPush(e: PropagationEntry): Delivery {
    const nextAt = e.next_attempt_at ?? 0n;
    return e.delivery ?? deliveryFrom({ attempts: e.attempts, next_at: nextAt }, nextAt);
}

/** What a dead-lettered push is called in `list_dead_letters`. */
export function describePush(e: PropagationEntry): string {
    return `set_emergency_mode ${Object.keys(e.state.mode)[0] ?? ''}@${e.state.changed_at} to ${e.target.toText()}`;
}

/**
 * The monitor's pending pushes (one stable cell: at most one per peer) as the outbox toolkit
 * drives them. Values are replaced, never changed in place.
 */
export function propagationStore(cell: StoredValue<PropagationEntry[]>, deadLetters: DeadLetterSink): OutboxStore<PropagationEntry> {
    const idOf = (e: PropagationEntry): string => e.target.toText();
    const without = (id: string): PropagationEntry[] => cell.get().filter((e) => idOf(e) !== id);
    return {
        due: (now, limit) =>
            cell
                .get()
                .filter((e) => deliveryOfPush(e).next_at <= now)
                .sort((a, b) => (deliveryOfPush(a).next_at < deliveryOfPush(b).next_at ? -1 : 1))
                .slice(0, limit),
        get: (id) => cell.get().find((e) => idOf(e) === id),
        put: (entry) => cell.set([...without(idOf(entry)), entry]),
        complete: (entry) => cell.set(without(idOf(entry))),
        deadLetter: (entry, reason, now) => {
            const first = deliveryOfPush(entry).first_at;
            deadLetters.add(`${first.toString().padStart(20, '0')}:${idOf(entry)}`, describePush(entry), reason, first, now);
            cell.set(without(idOf(entry)));
        },
        nextAt: () => cell.get().reduce<bigint | undefined>((min, e) => (min === undefined || deliveryOfPush(e).next_at < min ? deliveryOfPush(e).next_at : min), undefined),
        idOf,
        deliveryOf: deliveryOfPush,
        withDelivery: (entry, delivery) => ({ target: entry.target, state: entry.state, delivery })
    };
}
