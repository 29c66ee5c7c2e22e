/**
 * The durable outbox every DeFlow canister uses: commit, then call, then record. An entry is
 * written to stable memory in the message that decides it; this runner takes due entries
 * (bookkeeping only: the draining message does no entry's work, so no entry can trap it) and
 * handles EACH entry in its own timer message (Azle timers run through ic-cdk-timers, which
 * executes every timer as a separate self-call: a trap rolls back that entry's handling only).
 * The outcome is recorded with the one {@link RetryPolicy}; entries refused, given up or
 * trapping `max_traps` times are moved to the canister's dead-letter store, never dropped.
 */
import { setTimer } from 'azle';

import { assertNever } from '../../../shared/common/result';
import { settle, take, type DeadLetterReason, type Delivery, type HandleOutcome } from './delivery';
import type { RetryPolicy } from './retry-policy';
import { ReArmableTimer } from './timer';

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

export type DurableOutboxOptions<E> = {
    store: OutboxStore<E>;
    /** Performs one entry (a call, or local work) and says what came of it. */
    handle: (entry: E) => Promise<HandleOutcome> | HandleOutcome;
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

/**
 * @example
 * const outbox = new DurableOutbox({ store, handle: deliver, policyOf: () => OUTBOX_RETRY, batch: 20, resendAfterNs: 120n * NS_PER_SECOND, now: time });
 * state.enqueue(message); outbox.arm();
 */
export class DurableOutbox<E> {
    private readonly wake = new ReArmableTimer(() => this.drain());

    constructor(private readonly o: DurableOutboxOptions<E>) {}

    /** Wakes the drain at the next due entry. Call context: any update or timer. */
    arm(): void {
        const at = this.o.store.nextAt();
        if (at !== undefined) this.wake.armAt(at, this.o.now());
    }

    /** Drains at once (post_upgrade: what is due is found by the drain, not by scanning here). */
    armNow(): void {
        const now = this.o.now();
        this.wake.armAt(now, now);
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
            setTimer(0, () => this.handleOne(id, now));
        }
        this.arm();
    }

    /** Call context: timer (its own message). Does nothing if the entry was settled or re-taken meanwhile. */
    private async handleOne(id: string, takenAt: bigint): Promise<void> {
        const { store } = this.o;
        const taken = store.get(id);
        if (taken === undefined || store.deliveryOf(taken).taken_at !== takenAt) return;
        const outcome = await this.o.handle(taken);
        const current = store.get(id);
        if (current === undefined) return;
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
        this.arm();
    }

    private deadLetter(entry: E, reason: DeadLetterReason, now: bigint): void {
        this.o.store.deadLetter(entry, reason, now);
        const hook = this.o.onDeadLetter;
        if (hook !== undefined) setTimer(0, () => hook(entry, reason));
    }
}
