/**
 * Keys of an ordered time index: `${at padded to 20 digits}|${id}`. Stable maps order keys by
 * their bytes, and 20 digits hold every nat64, so the first key of such a map is always the
 * earliest entry: a timer pass reads from the front and stops at the first key not yet due,
 * whatever the map holds. Pure, so the ordering is unit tested without a canister.
 */

/** Digits of the largest nat64 (18446744073709551615). */
const TIME_DIGITS = 20;

/**
 * @example
 * timeKey(5n, 'ex-1') // '00000000000000000005|ex-1'
 */
export function timeKey(at: bigint, id: string): string {
    if (at < 0n) throw new Error(`invariant: a time index key needs a nat64 time, got ${at}`);
    return `${at.toString().padStart(TIME_DIGITS, '0')}|${id}`;
}

/** Inverse of {@link timeKey}. @example parseTimeKey('00000000000000000005|ex-1') // { at: 5n, id: 'ex-1' } */
export function parseTimeKey(key: string): { at: bigint; id: string } {
    const bar = key.indexOf('|');
    if (bar !== TIME_DIGITS) throw new Error(`invariant: ${JSON.stringify(key)} is not a time index key`);
    return { at: BigInt(key.slice(0, bar)), id: key.slice(bar + 1) };
}

/**
 * The ids due at `now` among keys read in order from the front, at most `max`; `more` says
 * whether a due key was left (the pass re-arms at once), `next` is the first time not yet due.
 *
 * @example
 * takeDueKeys(['…05|a', '…09|b'], 7n, 10) // { ids: ['a'], more: false, next: 9n }
 */
export function takeDueKeys(sortedKeys: readonly string[], now: bigint, max: number): { ids: string[]; more: boolean; next: bigint | undefined } {
    const ids: string[] = [];
    for (const key of sortedKeys) {
        const { at, id } = parseTimeKey(key);
        if (at > now) return { ids, more: false, next: at };
        if (ids.length === max) return { ids, more: true, next: at };
        ids.push(id);
    }
    return { ids, more: false, next: undefined };
}
