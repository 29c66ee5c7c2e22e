/**
 * The condition-read quota: reads one owner's condition triggers may make per clock hour
 * (UTC). Each read costs DeFlow the scheduler → executor → agent hops (the agent pays the
 * target), so a quota bounds what one owner's triggers take of the shared canisters, whatever
 * their agent holds. Pure: the scheduler stores one usage record per owner (state.ts).
 */

/** Reads per clock hour by default: one trigger reading at the fastest interval (10 s) all hour. */
export const DEFAULT_CONDITION_READS_PER_HOUR = 360;
/** The most admins may set (`set_schedule_quota`): 100 triggers at the fastest interval. */
export const MAX_CONDITION_READS_PER_HOUR = 36_000;

const HOUR_NS = 3_600_000_000_000n;

/** What one owner's triggers read: `reads` in the clock hour starting at `windowStart`, and reads refused in total. */
export type ReadUsage = { windowStart: bigint; reads: number; refused: bigint };

export const EMPTY_READ_USAGE: ReadUsage = { windowStart: 0n, reads: 0, refused: 0n };

/** The usage with its window moved to the clock hour of `now` (a new hour starts at 0). */
export function readUsageAt(u: ReadUsage, now: bigint): ReadUsage {
    const start = now - (now % HOUR_NS);
    return u.windowStart === start ? u : { ...u, windowStart: start, reads: 0 };
}

/**
 * Whether one more read at `now` is over `max` per hour: then the refusal, with `until`, the
 * start of the next clock hour (when reads resume); else `undefined`.
 *
 * @example
 * readQuotaRefusal({ windowStart: 0n, reads: 2, refused: 0n }, 10n, 2); // { max: 2, until: 3_600_000_000_000n }
 */
export function readQuotaRefusal(u: ReadUsage, now: bigint, max: number): { max: number; until: bigint } | undefined {
    const c = readUsageAt(u, now);
    return c.reads < max ? undefined : { max, until: c.windowStart + HOUR_NS };
}

/** One read sent at `now`. */
export function chargeRead(u: ReadUsage, now: bigint): ReadUsage {
    const c = readUsageAt(u, now);
    return { ...c, reads: c.reads + 1 };
}

/** One read refused at `now` (over quota): counted so the owner sees it. */
export function countRefusedRead(u: ReadUsage, now: bigint): ReadUsage {
    const c = readUsageAt(u, now);
    return { ...c, refused: c.refused + 1n };
}
