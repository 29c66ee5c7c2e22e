/**
 * The durable outbox every DeFlow canister uses ({@link OutboxRunner}, bound to Azle). Each
 * entry is handled in its own timer message: Azle timers run through ic-cdk-timers, which
 * executes every timer as a separate self-call, so a trap rolls back that entry's handling only.
 */
import { setTimer } from 'azle';

import { OutboxRunner, type DurableOutboxOptions, type OutboxStore } from './runner';
import { ReArmableTimer } from './timer';

export type { DurableOutboxOptions, OutboxStore };

/**
 * @example
 * const outbox = new DurableOutbox({ store, handle: deliver, policyOf: () => OUTBOX_RETRY, batch: 20, resendAfterNs: 120n * NS_PER_SECOND, now: time });
 * state.enqueue(message); outbox.arm();
 */
export class DurableOutbox<E, V = undefined> extends OutboxRunner<E, V> {
    constructor(options: DurableOutboxOptions<E, V>) {
        const wake = new ReArmableTimer(() => this.drain());
        super(options, {
            spawn: (work) => {
                setTimer(0, work);
            },
            wakeAt: (at, now) => wake.armAt(at, now)
        });
    }
}
