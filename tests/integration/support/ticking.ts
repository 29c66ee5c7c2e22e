/**
 * The one poll loop of the integration tests: read something, and while it is not yet what
 * the test waits for, drive the localnet a step (advance its clock, run rounds). No real
 * sleeps: a step is `advanceTime` + `tick`, so the wait is bounded in rounds, not seconds.
 */
import type { PocketIc } from '@dfinity/pic';

/**
 * One step between two reads: `ticks` rounds (default 2), after advancing the clock by
 * `stepMs` when given; at most `maxRounds` steps (default 40).
 */
export type TickOptions = { stepMs?: number; ticks?: number; maxRounds?: number };

/**
 * Reads `read()` and steps the localnet until `done` holds for what was read, at most
 * `maxRounds` steps; returns the last value read, so the caller asserts on it (a wait that
 * ran out fails there, with the value it saw).
 *
 * @example
 * const agent = await tickUntil(pic, async () => okOf(await orchestrator.get_agent()).agent[0], (a) => a !== undefined, { maxRounds: 10 });
 */
export async function tickUntil<T>(pic: PocketIc, read: () => Promise<T>, done: (value: T) => boolean, options: TickOptions = {}): Promise<T> {
    const maxRounds = options.maxRounds ?? 40;
    let last = await read();
    for (let i = 0; i < maxRounds && !done(last); i++) {
        if (options.stepMs !== undefined) await pic.advanceTime(options.stepMs);
        await pic.tick(options.ticks ?? 2);
        last = await read();
    }
    return last;
}
