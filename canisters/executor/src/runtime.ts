/**
 * The executor's IC adapter for the message context: the only module that reads the clock and
 * the caller (`time()`, `msgCaller()`). Calls go out through `runner.ts` and `agents.ts` with
 * the toolkit's `callTyped`/`callRaw`, and timers through the toolkit's `ReArmableTimer`.
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
