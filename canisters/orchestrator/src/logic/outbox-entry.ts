/**
 * An orchestrator outbox entry as stored, and its bookkeeping. `delivery` is the whole
 * bookkeeping of the shared outbox (the one source of truth; the due index is keyed at
 * `delivery.next_at`). Entries of the first release have no `delivery`, only `tries` and
 * `nextAt`: those are read ({@link outboxDeliveryOf}; they were indexed at `nextAt`, which is
 * that `next_at`) and never written again. Pure: `state.ts` keeps the entries in stable memory.
 */
import { deliveryFrom, newDelivery, type Delivery } from '../../../common/outbox/delivery';
import type { OutboxMessage } from './outbox';

export type StoredOutboxEntry = { schema_version: 1; id: string; message: OutboxMessage; createdAt: bigint; delivery?: Delivery } & LegacyOutboxFields;
/** The bookkeeping of entries stored by the first release (read only). */
type LegacyOutboxFields = { tries?: number; nextAt?: bigint };

/**
 * A new entry, first due at `dueAt`.
 *
 * @example
 * newOutboxEntry('0000000000000007', message, now) // { ..., delivery: { attempts: 0, next_at: now, ... } }
 */
export function newOutboxEntry(id: string, message: OutboxMessage, now: bigint, dueAt: bigint = now): StoredOutboxEntry {
    return { schema_version: 1, id, message, createdAt: now, delivery: newDelivery(now, dueAt) };
}

/** The bookkeeping of an entry, from the fields of the first release where it has none. */
export function outboxDeliveryOf(e: StoredOutboxEntry): Delivery {
    return deliveryFrom(e.delivery ?? { attempts: e.tries, next_at: e.nextAt ?? e.createdAt }, e.createdAt);
}

/** The entry with `delivery` as its bookkeeping and no fields of the first release. */
export function withOutboxDelivery(e: StoredOutboxEntry, delivery: Delivery): StoredOutboxEntry {
    return { schema_version: 1, id: e.id, message: e.message, createdAt: e.createdAt, delivery };
}
