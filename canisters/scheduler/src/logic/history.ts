import type { FiringEntry, FiringOutcome } from '../../../../shared/scheduling/firing';

/** Firing history entries kept per schedule (the ring's capacity). */
export const FIRING_HISTORY_CAP = 50;

/**
 * Records a firing in a schedule's bounded history (oldest dropped first). An entry with
 * the same due time replaces the earlier one, so recording twice after a retry is harmless.
 *
 * @example
 * recordFiring(ring, entry, 50) // ring of at most 50 entries, newest last
 */
export function recordFiring(ring: readonly FiringEntry[], entry: FiringEntry, cap: number = FIRING_HISTORY_CAP): FiringEntry[] {
    const index = ring.findIndex((e) => e.due_at === entry.due_at);
    if (index >= 0) return ring.map((e, i) => (i === index ? entry : e));
    const next = [...ring, entry];
    return next.length > cap ? next.slice(next.length - cap) : next;
}

/**
 * Changes the outcome of the entry for `dueAt`; unchanged if it already left the ring.
 *
 * @example
 * updateFiringOutcome(ring, 100n, { Started: { execution_id: 'e1' } })
 */
export function updateFiringOutcome(ring: readonly FiringEntry[], dueAt: bigint, outcome: FiringOutcome): FiringEntry[] {
    return ring.map((e) => (e.due_at === dueAt ? { ...e, outcome } : e));
}
