/**
 * The ONE re-armable timer of DeFlow's canisters: "wake me by t", armed for the earliest time
 * anything asks for. Its only state is this heap record: timers do not survive an upgrade, so
 * `post_upgrade` re-arms from what stable state says is due.
 *
 * Azle 0.33's `clearTimer` traps (rquickjs BorrowMutError: dropping a pending callback
 * re-enters the JS context), so a timer is never cleared. Each armed timer carries a
 * generation instead; a superseded one does nothing when it fires, and a timer is only
 * replaced by an EARLIER one.
 */
import { setTimer } from 'azle';

import { NS_PER_SECOND } from './retry-policy';

/**
 * Whole seconds (what Azle's `setTimer` takes) from `now` until `at`, rounded DOWN, never
 * negative: a timer may fire up to a second early, and every callback re-plans from what is
 * due (under a second becomes 0 s: the next round), so work is late by at most one round
 * rather than by up to a second.
 *
 * @example
 * timerDelaySeconds(1_500_000_000n, 0n) // 1
 */
export function timerDelaySeconds(at: bigint, now: bigint): number {
    const ns = at > now ? at - now : 0n;
    return Number(ns / NS_PER_SECOND);
}

/**
 * @example
 * const wake = new ReArmableTimer(() => drain()); // drain() ends by re-arming for what is left
 * wake.armAt(nextDueAt, time());
 */
export class ReArmableTimer {
    private armed: { at: bigint; generation: number } | undefined;
    private generation = 0;

    constructor(private readonly callback: () => Promise<void> | void) {}

    /** When the live timer is due (ns), if one is armed. */
    get armedAt(): bigint | undefined {
        return this.armed?.at;
    }

    /** Arms for `at` unless an earlier (or equal) timer is armed. Call context: any update, timer, init or post_upgrade. */
    armAt(at: bigint, now: bigint): void {
        if (this.armed !== undefined && this.armed.at <= at) return;
        const generation = ++this.generation;
        setTimer(timerDelaySeconds(at, now), async () => {
            if (this.armed?.generation !== generation) return;
            this.armed = undefined;
            await this.callback();
        });
        this.armed = { at, generation };
    }

    /** Forgets the live timer: it does nothing when it fires. */
    disarm(): void {
        this.generation += 1;
        this.armed = undefined;
    }
}
