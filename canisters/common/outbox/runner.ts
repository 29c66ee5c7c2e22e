/**
 * The durable outbox's runner, free of Azle so it is unit-tested as it runs in a canister
 * (`runner.test.ts` models the IC's rollback of a trapped message): commit, then call, then
 * record. The draining message only takes due entries (bookkeeping: it does no entry's work,
 * so no entry can trap it) and spawns ONE message per entry; a trap rolls back that entry's
 * handling only. Outcomes are recorded with the one {@link RetryPolicy}; entries refused,
 * given up or trapping `max_traps` times go to the canister's dead-letter store, never dropped.
 * `outbox.ts` binds it to Azle's timers ({@link DurableOutbox}).
 */
import { assertNever } from '../../../shared/common/result';
import { settle, take, type DeadLetterReason, type Delivery, type HandleOutcome } from './delivery';
import type { RetryPolicy } from './retry-policy';

/** Where a canister keeps its outbox entries `E` (its `state.ts` implements this). */
export interface OutboxStore<E> {
    /** Entries whose `next_at` has come, oldest first, at most `limit`. */
    due(now: bigint, limit: number): E[];
    get(id: string): E | undefined;
    put(entry: E): void;
    /** The entry was delivered: remove it (or mark it delivered where its record stays). */
    complete(entry: E, now: bigint): void;
    /** Removes the entry from the outbox and keeps it, with its reason, where the API shows it. */
    deadLetter(entry: E, reason: DeadLetterReason, now: bigint): void;
    /** The earliest `next_at`, if any entry is left. */
    nextAt(): bigint | undefined;
    idOf(entry: E): string;
    deliveryOf(entry: E): Delivery;
    withDelivery(entry: E, delivery: Delivery): E;
}

/** Where dead letters go (`dead-letters.ts`'s `DeadLetterStore` in a canister). */
export interface DeadLetterSink {
    add(id: string, what: string, reason: DeadLetterReason, enqueuedAt: bigint, now: bigint): void;
}

/** One value in stable memory (`StableCell` in a canister). */
export interface StoredValue<T> {
    get(): T;
    set(value: T): void;
}

export type DurableOutboxOptions<E, V = undefined> = {
    store: OutboxStore<E>;
    /**
     * Performs one entry (a call, or local work) and says what came of it. It changes no state
     * that depends on the outcome: a slow handling may have been overtaken (re-taken,
     * dead-lettered); what an answer changes goes in the outcome's `value`, for `onDone`.
     */
    handle: (entry: E) => Promise<HandleOutcome<V>> | HandleOutcome<V>;
    /**
     * Applies a handling's value (every `Done`'s, a failure's when it has one), in the message
     * that records its outcome, only if that handling still held the entry.
     */
    onDone?: (entry: E, value: V | undefined) => void;
    /** Runs after an entry was dead-lettered, in its own message (e.g. fail the node that waits for it). */
    onDeadLetter?: (entry: E, reason: DeadLetterReason) => void;
    /** The retry policy of an entry (one {@link RetryPolicy} type; a canister may use one value per kind of entry). */
    policyOf: (entry: E) => RetryPolicy;
    /** Entries taken per drain, so one message's work stays bounded. */
    batch: number;
    /** A taken entry with no recorded outcome is taken again after this long (ns). */
    resendAfterNs: bigint;
    now: () => bigint;
};

/** How the runner reaches the IC: a message of its own per call, and a wake-up at a time. */
export type OutboxScheduling = {
    /** Runs `work` in a message of its own (a trap there rolls back only that message). */
    spawn: (work: () => Promise<void> | void) => void;
    /** Arms the drain for `at` (the earliest asked for wins). */
    wakeAt: (at: bigint, now: bigint) => void;
};

export class OutboxRunner<E, V = undefined> {
    constructor(
        private readonly o: DurableOutboxOptions<E, V>,
        private readonly ic: OutboxScheduling
    ) {}

    /** Wakes the drain at the next due entry. Call context: any update or timer. */
    arm(): void {
        const at = this.o.store.nextAt();
        if (at !== undefined) this.ic.wakeAt(at, this.o.now());
    }

    /** Drains at once (post_upgrade: what is due is found by the drain, not by scanning here). */
    armNow(): void {
        const now = this.o.now();
        this.ic.wakeAt(now, now);
    }

    /** Call context: timer. Takes a bounded batch of due entries and starts one message per entry. */
    drain(): void {
        const now = this.o.now();
        const { store } = this.o;
        for (const entry of store.due(now, this.o.batch)) {
            const decision = take(store.deliveryOf(entry), now, this.o.policyOf(entry), this.o.resendAfterNs);
            if (decision.kind === 'DeadLetter') {
                this.deadLetter(entry, decision.reason, now);
                continue;
            }
            store.put(store.withDelivery(entry, decision.delivery));
            const id = store.idOf(entry);
            this.ic.spawn(() => this.handleOne(id, now));
        }
        this.arm();
    }

    /**
     * Call context: its own message. Does nothing if the entry was settled, replaced (a newer
     * entry under the same id) or re-taken meanwhile, before or after the handling: only the
     * handling that took the entry records its outcome.
     */
    private async handleOne(id: string, takenAt: bigint): Promise<void> {
        const { store } = this.o;
        const stillTaken = (e: E | undefined): e is E => e !== undefined && store.deliveryOf(e).taken_at === takenAt;
        const taken = store.get(id);
        if (!stillTaken(taken)) return;
        const outcome = await this.o.handle(taken);
        const current = store.get(id);
        if (!stillTaken(current)) return;
        const now = this.o.now();
        const decision = settle(store.deliveryOf(current), outcome, now, this.o.policyOf(current));
        switch (decision.kind) {
            case 'Done':
                store.complete(current, now);
                break;
            case 'Retry':
                store.put(store.withDelivery(current, decision.delivery));
                break;
            case 'DeadLetter':
                this.deadLetter(current, decision.reason, now);
                break;
            default:
                assertNever(decision, 'settle decision');
        }
        if (outcome.kind === 'Done' || outcome.value !== undefined) this.o.onDone?.(current, outcome.value);
        this.arm();
    }

    private deadLetter(entry: E, reason: DeadLetterReason, now: bigint): void {
        this.o.store.deadLetter(entry, reason, now);
        const hook = this.o.onDeadLetter;
        if (hook !== undefined) this.ic.spawn(() => hook(entry, reason));
    }
}
