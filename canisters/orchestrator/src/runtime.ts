/**
 * The orchestrator's IC adapter: the only module that reads the clock and the caller
 * (`time()`, `msgCaller()`); the outbox (`outbox.ts`) is the only one that calls peers, and
 * `timers.ts` arms the timers. The engine asks for wake-ups through {@link wakeOutbox} and
 * {@link wakeDeadlines}, which `timers.ts` binds once at module load: so the engine never
 * imports the outbox or the passes it wakes, and those can import the engine (no import cycle).
 */
import { msgCaller, time, type Principal } from 'azle';

/** The time of this message (IC nanoseconds). */
export function now(): bigint {
    return time();
}

/** The principal that sent this message. */
export function caller(): Principal {
    return msgCaller();
}

/** The wake-ups the engine asks for. */
export type Wakeups = {
    /** Wake the outbox at its next due entry (at once if one is due). */
    outbox(): void;
    /** Wake the timeout check by `at`. */
    deadlines(at: bigint, now: bigint): void;
};

let wakeups: Wakeups | undefined;

/** Binds the wake-ups (`timers.ts`, at module load). */
export function bindWakeups(w: Wakeups): void {
    wakeups = w;
}

export function wakeOutbox(): void {
    bound().outbox();
}

export function wakeDeadlines(at: bigint, current: bigint): void {
    bound().deadlines(at, current);
}

function bound(): Wakeups {
    // A broken invariant, not bad input: index.ts loads timers.ts, which binds them.
    if (wakeups === undefined) throw new Error('orchestrator wake-ups are not bound (timers.ts binds them at module load)');
    return wakeups;
}
