/**
 * The scheduler's start requests as entries of the shared durable outbox
 * (`canisters/common/outbox`): the store the toolkit drives, over the scheduler's outbox map
 * and its retry index (both in stable memory; pure here, so the store is unit-tested on the
 * IC model in `start-outbox.test.ts`).
 *
 * Stored shape: entries keep the fields of {@link OutboxEntry} (`attempts`, `next_attempt_at`,
 * `last_error`, in step with the toolkit's `delivery`), so the retry index keys stay
 * `dueIndexKey(next_attempt_at, key)` and an entry written by a release before the shared
 * outbox, which has no `delivery`, is read from those fields ({@link deliveryOfStart}).
 */
import type { DeadLetterReason } from '../../../../shared/common/dead-letter';
import { toOpt } from '../../../../shared/common/codec';
import type { OutboxEntry } from '../../../../shared/scheduling/outbox';
import { deliveryFrom, type Delivery } from '../../../common/outbox/delivery';
import type { DeadLetterSink, OutboxStore } from '../../../common/outbox/runner';
import { dueIndexKey, parseDueIndexKey, takeDue } from './due-index';

/** An outbox entry as stored: the contract's fields and the toolkit's bookkeeping. */
export type StoredStart = OutboxEntry & { delivery?: Delivery };

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
    return e.delivery ?? deliveryFrom({ attempts: e.attempts, next_at: e.next_attempt_at, last_error: e.last_error[0] }, e.enqueued_at);
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
 * starts.put(entry); // stored and indexed at entry.next_attempt_at
 */
export function startOutboxStore(outbox: KeyedValues<Stored<StoredStart>>, retryIndex: OrderedKeys, deadLetters: DeadLetterSink): OutboxStore<StoredStart> {
    const get = (key: string): StoredStart | undefined => outbox.get(key)?.value;
    const remove = (key: string): void => {
        const before = get(key);
        if (before === undefined) return;
        retryIndex.remove(dueIndexKey(before.next_attempt_at, key));
        outbox.remove(key);
    };
    return {
        due: (now, limit) => takeDue(retryIndex.keys(0, limit), now, limit).flatMap((key) => get(key) ?? []),
        get,
        put: (entry) => {
            const before = get(entry.key);
            if (before !== undefined) retryIndex.remove(dueIndexKey(before.next_attempt_at, entry.key));
            outbox.insert(entry.key, stored(entry));
            retryIndex.insert(dueIndexKey(entry.next_attempt_at, entry.key), null);
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
        withDelivery: (e, d) => ({ ...e, delivery: d, attempts: d.attempts, next_attempt_at: d.next_at, last_error: toOpt(d.last_error) })
    };
}
