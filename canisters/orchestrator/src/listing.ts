/**
 * Newest-first paging over a map kept in key order (execution ids `ex-NNNNNNNNNN` sort in
 * creation order). Pure: the map is read through `read(start, count)` (Azle's
 * `StableBTreeMap.items(start, count)`), so the walk is unit tested over an array.
 */

/** The first batch read from the end; each further batch doubles, so a sparse filter costs O(n log n) reads, not O(n²). */
export const FIRST_BATCH = 100;

const EXECUTION_ID = /^ex-(\d+)$/;

/**
 * Where the backward walk starts for entries before `before`: ids are allocated in sequence, so
 * at most `seq(before) - 1` entries precede it and they sit at indices below that. Without a
 * cursor (or for one that is not an execution id) the walk starts at the end.
 *
 * @example
 * newestFirstEnd('ex-0000000005', 1000) // 4
 */
export function newestFirstEnd(before: string | undefined, len: number): number {
    const match = before === undefined ? null : EXECUTION_ID.exec(before);
    if (match === null) return len;
    return Math.max(0, Math.min(len, Number(match[1]) - 1));
}

/**
 * Entries with key < `before` (all without a cursor), newest first, that `keep` accepts: at
 * most `limit + 1`, so the caller knows whether another page follows.
 *
 * @example
 * scanNewestFirst((s, n) => entries.slice(s, s + n), entries.length, undefined, 20, () => true)
 */
export function scanNewestFirst<V>(
    read: (start: number, count: number) => [string, V][],
    len: number,
    before: string | undefined,
    limit: number,
    keep: (value: V) => boolean
): [string, V][] {
    const out: [string, V][] = [];
    let end = newestFirstEnd(before, len);
    for (let batch = FIRST_BATCH; end > 0 && out.length <= limit; batch *= 2) {
        const start = Math.max(0, end - batch);
        const entries = read(start, end - start);
        for (let i = entries.length - 1; i >= 0 && out.length <= limit; i--) {
            const entry = entries[i]!;
            if ((before === undefined || entry[0] < before) && keep(entry[1])) out.push(entry);
        }
        end = start;
    }
    return out;
}
