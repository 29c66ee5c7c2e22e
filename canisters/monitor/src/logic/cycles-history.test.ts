import { Principal } from '@dfinity/principal';

import { cyclesOf, emptyCyclesHistory, historyCapacity, recordCycles } from './cycles-history';

const MINUTE = 60_000_000_000n;
const a = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
const b = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai');

describe('cycles history', () => {
    it('keeps one point per bucket, the last report in it', () => {
        let h = emptyCyclesHistory();
        h = recordCycles(h, a, 0n, 10n);
        h = recordCycles(h, a, 5n * MINUTE, 9n);
        h = recordCycles(h, a, 16n * MINUTE, 8n);
        expect(cyclesOf(h, a, 16n * MINUTE)).toEqual([{ start: 0n, cycles: 9n }, { start: 15n * MINUTE, cycles: 8n }]);
    });

    it('keeps each canister apart', () => {
        let h = recordCycles(emptyCyclesHistory(), a, 0n, 10n);
        h = recordCycles(h, b, MINUTE, 20n);
        expect(cyclesOf(h, a, MINUTE)).toEqual([{ start: 0n, cycles: 10n }]);
        expect(cyclesOf(h, b, MINUTE)).toEqual([{ start: 0n, cycles: 20n }]);
    });

    it('stays bounded by the capacity over days of reports, dropping the oldest', () => {
        let h = emptyCyclesHistory();
        for (let i = 0n; i < 3n * 24n * 4n; i++) h = recordCycles(h, a, i * 15n * MINUTE, 1000n - i);
        const points = h.canisters[0]!.points;
        expect(points.length).toBeLessThanOrEqual(historyCapacity(h));
        expect(historyCapacity(h)).toBe(97);
        const last = 287n * 15n * MINUTE;
        expect(points[points.length - 1]).toEqual({ start: last, cycles: 1000n - 287n });
        expect(points[0]!.start).toBe(last - h.span_ns);
        expect(cyclesOf(h, a, last + h.span_ns + 15n * MINUTE)).toEqual([]);
    });

    it('ignores a report for a bucket before the last point', () => {
        const h = recordCycles(emptyCyclesHistory(), a, 20n * MINUTE, 5n);
        expect(recordCycles(h, a, MINUTE, 7n)).toBe(h);
    });
});
