import { FIRST_BATCH, newestFirstEnd, scanNewestFirst } from './listing';

const id = (n: number): string => `ex-${String(n).padStart(10, '0')}`;

/** Entries ex-1..ex-n with value n, minus the deleted sequence numbers, and a reader that counts what it read. */
function store(n: number, deleted: ReadonlySet<number> = new Set()) {
    const entries: [string, number][] = [];
    for (let i = 1; i <= n; i++) if (!deleted.has(i)) entries.push([id(i), i]);
    const reads: { start: number; count: number }[] = [];
    const read = (start: number, count: number): [string, number][] => {
        reads.push({ start, count });
        return entries.slice(start, start + count);
    };
    return { entries, read, reads };
}

describe('Orchestrator > newest-first listing', () => {
    it('starts the walk just below a cursor, never past the end', () => {
        expect(newestFirstEnd(undefined, 50)).toBe(50);
        expect(newestFirstEnd(id(5), 50)).toBe(4);
        expect(newestFirstEnd(id(500), 50)).toBe(50);
        expect(newestFirstEnd(id(1), 50)).toBe(0);
        expect(newestFirstEnd('wf-7', 50)).toBe(50);
    });

    it('answers the newest entries first, limit + 1 of them', () => {
        const s = store(30);
        expect(scanNewestFirst(s.read, s.entries.length, undefined, 3, () => true).map(([, v]) => v)).toEqual([30, 29, 28, 27]);
    });

    it('pages with the last id of a page as the cursor, with nothing skipped or repeated, across deletions', () => {
        const deleted = new Set([3, 4, 17, 250, 251]);
        const s = store(400, deleted);
        const seen: number[] = [];
        let cursor: string | undefined;
        for (;;) {
            const found = scanNewestFirst(s.read, s.entries.length, cursor, 7, (v) => v % 2 === 0);
            const page = found.slice(0, 7);
            seen.push(...page.map(([, v]) => v));
            if (found.length <= 7) break;
            cursor = page[page.length - 1]![0];
        }
        const expected = s.entries.map(([, v]) => v).filter((v) => v % 2 === 0).reverse();
        expect(seen).toEqual(expected);
    });

    it('reads only below the cursor, and in growing batches when the filter is sparse', () => {
        const s = store(1000);
        scanNewestFirst(s.read, s.entries.length, id(200), 5, () => true);
        expect(s.reads).toEqual([{ start: 199 - FIRST_BATCH, count: FIRST_BATCH }]);
        const sparse = store(1000);
        expect(scanNewestFirst(sparse.read, sparse.entries.length, undefined, 5, (v) => v === 1).map(([, v]) => v)).toEqual([1]);
        expect(sparse.reads.map((r) => r.count)).toEqual([100, 200, 400, 300]);
    });
});
