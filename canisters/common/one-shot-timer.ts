/**
 * A single re-armable timer for canisters that plan "wake me at the earliest of these
 * times" (the scheduler's due index, the monitor's propagation outbox).
 *
 * Azle 0.33's `clearTimer` panics (rquickjs BorrowMutError: dropping a pending callback
 * re-enters the JS context), so a timer is never cleared. Instead each armed timer carries a
 * generation; a superseded one does nothing when it fires, and a timer is only replaced by
 * an EARLIER one (the pending earlier timer re-plans when it fires anyway). The record lives
 * in the heap on purpose: an upgrade drops IC timers, and `postUpgrade` re-arms from stable state.
 */
import { setTimer } from 'azle';

const NS_PER_SECOND = 1_000_000_000n;

export class OneShotTimer {
    private at: bigint | undefined = undefined;
    private generation = 0;
    private readonly callback: () => void | Promise<void>;

    constructor(callback: () => void | Promise<void>) {
        this.callback = callback;
    }

    /** When the live timer fires (ns), if one is armed. */
    get armedAt(): bigint | undefined {
        return this.at;
    }

    /**
     * Arms for `at`, `delayNs` from now, unless an earlier timer is already armed. setTimer
     * takes whole seconds: the delay is rounded down and the callback, firing early, re-plans
     * for the rest (under a second becomes 0: the next round), so lateness stays within a round.
     *
     * Call context: any update, timer or init/postUpgrade.
     */
    arm(at: bigint, delayNs: bigint): void {
        if (this.at !== undefined && this.at <= at) return;
        this.generation += 1;
        this.at = at;
        const generation = this.generation;
        setTimer(Number(delayNs / NS_PER_SECOND), () => (generation === this.generation ? this.fire() : undefined));
    }

    /** Forgets the live timer (it will do nothing when it fires). */
    disarm(): void {
        this.generation += 1;
        this.at = undefined;
    }

    private fire(): void | Promise<void> {
        this.disarm();
        return this.callback();
    }
}
