/**
 * The scheduler's start requests as entries of the shared durable outbox
 * (`canisters/common/outbox`): the store the toolkit drives, over the scheduler's outbox map
 * and its retry index (both in stable memory; pure here, so the store is unit-tested on the
 * IC model in `start-outbox.test.ts`).
 *
 * Stored shape: an entry is the contract's fields ({@link OutboxEntry}) and `delivery`, the
 * whole bookkeeping (the one source of truth); the retry index key is
 * `dueIndexKey(delivery.next_at, key)`. Entries stored before the shared outbox have no
 * `delivery`, only `attempts`, `next_attempt_at` and `last_error`: those are read
 * ({@link deliveryOfStart}; they were indexed at `next_attempt_at`, which is that `next_at`)
 * and never written again.
 */
import type { DeadLetterReason } from '../../../../shared/common/dead-letter';
import type { OutboxEntry } from '../../../../shared/scheduling/outbox';
import { deliveryFrom, type Delivery } from '../../../common/outbox/delivery';
import type { DeadLetterSink, OutboxStore } from '../../../common/outbox/runner';
import { dueIndexKey, parseDueIndexKey, takeDue } from './due-index';

/** An outbox entry as stored: the contract's fields and the toolkit's bookkeeping. */
export type StoredStart = OutboxEntry & { delivery?: Delivery } & LegacyStartFields;
/** The bookkeeping of entries stored before the shared outbox (read only). */
type LegacyStartFields = { attempts?: number; next_attempt_at?: bigint; last_error?: [] | [string] };

/** The stable maps the store works on (StableBTreeMap in the canister). */
export interface KeyedValues<V> {
    get(key: string): V | undefined;
    insert(key: string, value: V): unknown;
    remove(key: string): unknown;
}
export interface OrderedKeys {
    keys(startIndex: number, length: number): string[];
    insert(key: string, value: null): unknown;
    remove(key: string): unknown;
}

/** Stored shape version of outbox entries (unchanged by `delivery`: it is optional). */
type Stored<T> = { schema_version: number; value: T };
const stored = (value: StoredStart): Stored<StoredStart> => ({ schema_version: 1, value });

/** The bookkeeping of a start, from the fields of an earlier release where it has none. */
export function deliveryOfStart(e: StoredStart): Delivery {
    return e.delivery ?? deliveryFrom({ attempts: e.attempts, next_at: e.next_attempt_at ?? e.enqueued_at, last_error: e.last_error?.[0] }, e.enqueued_at);
}

/** The entry with `delivery` as its bookkeeping and no fields of an earlier release. */
function withStartDelivery(e: StoredStart, delivery: Delivery): StoredStart {
    return { key: e.key, schedule_id: e.schedule_id, workflow_id: e.workflow_id, owner: e.owner, due_at: e.due_at, enqueued_at: e.enqueued_at, input: e.input, delivery };
}

/** What a dead-lettered start is called in `list_dead_letters`. */
export function describeStart(e: OutboxEntry): string {
    return `start ${e.workflow_id} for schedule ${e.schedule_id} due ${e.due_at} (${e.key})`;
}

/** One line for a dead letter's reason, as the firing history shows it. */
export function describeDeadLetter(reason: DeadLetterReason): string {
    switch (reason.kind) {
        case 'Trapped':
            return `dead-lettered: its handling trapped ${reason.handlings} times`;
        case 'GaveUp':
            return `dead-lettered: given up after ${reason.attempts} attempts (${reason.last_error})`;
        case 'Refused':
            return `dead-lettered: ${reason.error}`;
    }
}

/**
 * @example
 * const starts = startOutboxStore(outboxMap, retryIndex, deadLetters);
 * starts.put(entry); // stored and indexed at entry.delivery.next_at
 */
export function startOutboxStore(outbox: KeyedValues<Stored<StoredStart>>, retryIndex: OrderedKeys, deadLetters: DeadLetterSink): OutboxStore<StoredStart> {
    const get = (key: string): StoredStart | undefined => outbox.get(key)?.value;
    const remove = (key: string): void => {
        const before = get(key);
        if (before === undefined) return;
        retryIndex.remove(dueIndexKey(deliveryOfStart(before).next_at, key));
        outbox.remove(key);
    };
    return {
        due: (now, limit) => takeDue(retryIndex.keys(0, limit), now, limit).flatMap((key) => get(key) ?? []),
        get,
        put: (entry) => {
            const before = get(entry.key);
            if (before !== undefined) retryIndex.remove(dueIndexKey(deliveryOfStart(before).next_at, entry.key));
            outbox.insert(entry.key, stored(entry));
            retryIndex.insert(dueIndexKey(deliveryOfStart(entry).next_at, entry.key), null);
        },
        complete: (entry) => remove(entry.key),
        deadLetter: (entry, reason, now) => {
            deadLetters.add(`${entry.enqueued_at.toString().padStart(20, '0')}:${entry.key}`, describeStart(entry), reason, entry.enqueued_at, now);
            remove(entry.key);
        },
        nextAt: () => {
            const [first] = retryIndex.keys(0, 1);
            return first === undefined ? undefined : parseDueIndexKey(first).due_at;
        },
        idOf: (e) => e.key,
        deliveryOf: deliveryOfStart,
        withDelivery: withStartDelivery
    };
}
