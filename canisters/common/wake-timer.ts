/**
 * One timer per purpose, armed for the earliest time something is due. Timers do not survive
 * an upgrade, so their only state is this heap handle: after `post_upgrade` the canister
 * re-arms from what its stable state says is due next.
 */
import { setTimer } from 'azle';

/** Seconds (as Azle's `setTimer` wants them) from IC nanoseconds `now` until `at`, never negative. */
export function secondsUntil(at: bigint, now: bigint): number {
    const ns = at > now ? at - now : 0n;
    // Round up so a timer never fires just before its due time and finds nothing to do.
    return Number((ns + 999_999_999n) / 1_000_000_000n);
}

/**
 * A re-armable timer. `armAt` keeps the earlier of the armed and requested times, so many
 * callers can ask for "wake me by t" and the callback runs once, at the earliest.
 *
 * @example
 * const wake = new WakeTimer(() => onWake());
 * wake.armAt(nextDueAt, time());
 */
export class WakeTimer {
    private armed: { at: bigint; generation: number } | undefined;
    private generation = 0;

    constructor(private readonly callback: () => Promise<void> | void) {}

    armAt(at: bigint, now: bigint): void {
        if (this.armed !== undefined && this.armed.at <= at) return;
        // Never clearTimer: Azle 0.33 traps with rquickjs BorrowMutError when a pending
        // callback is dropped. A superseded (later) timer finds its generation stale and does nothing.
        const generation = ++this.generation;
        setTimer(secondsUntil(at, now), async () => {
            if (this.armed?.generation !== generation) return;
            this.armed = undefined;
            await this.callback();
        });
        this.armed = { at, generation };
    }
}
