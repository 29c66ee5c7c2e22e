import { addToWindow, emptyWindow, pruneWindow, windowTotals } from './rolling-window';
import { SEC, T0 } from './test-fixtures';

const HOUR = 3600n * SEC;
const one = (failures: bigint, count: bigint, time: bigint) => ({ count, failures, time_ns: time });

describe('Monitor > rolling window', () => {
    it('sums within 24 h and averages execution time', () => {
        let w = emptyWindow();
        w = addToWindow(w, T0, one(1n, 4n, 8n * SEC));
        w = addToWindow(w, T0 + HOUR, one(0n, 6n, 12n * SEC));
        expect(windowTotals(w, T0 + HOUR)).toEqual({ count: 10n, failures: 1n, time_ns: 20n * SEC, average_time_ns: 2n * SEC });
    });

    it('prunes what left the window', () => {
        let w = emptyWindow();
        w = addToWindow(w, T0, one(5n, 5n, 5n));
        w = addToWindow(w, T0 + 23n * HOUR, one(1n, 1n, 1n));
        expect(windowTotals(w, T0 + 24n * HOUR).failures).toBe(6n);
        expect(windowTotals(w, T0 + 25n * HOUR).failures).toBe(1n);
        expect(pruneWindow(w, T0 + 48n * HOUR).buckets).toEqual([]);
        expect(windowTotals(emptyWindow(), T0).average_time_ns).toBeUndefined();
    });

    it('storage stays bounded: a week of samples every minute keeps at most 97 buckets', () => {
        let w = emptyWindow();
        for (let t = T0; t < T0 + 7n * 24n * HOUR; t += 60n * SEC) w = addToWindow(w, t, one(0n, 1n, SEC));
        expect(w.buckets.length).toBeLessThanOrEqual(97);
        expect(windowTotals(w, T0 + 7n * 24n * HOUR - 60n * SEC).count).toBeGreaterThanOrEqual(1425n);
    });
});
