import { parseTimeKey, takeDueKeys, timeKey } from './time-key';

describe('time index keys', () => {
    it('sort like their times, whatever the number of digits', () => {
        const times = [10n, 9n, 18_446_744_073_709_551_615n, 0n, 1_000_000_000_000_000_000n];
        const keys = times.map((t, i) => timeKey(t, `id${i}`)).sort();
        expect(keys.map((k) => parseTimeKey(k).at)).toEqual([0n, 9n, 10n, 1_000_000_000_000_000_000n, 18_446_744_073_709_551_615n]);
    });

    it('round-trip ids that contain the separator', () => {
        expect(parseTimeKey(timeKey(7n, 'a|b'))).toEqual({ at: 7n, id: 'a|b' });
    });

    it('refuse a negative time and a key that is not one', () => {
        expect(() => timeKey(-1n, 'x')).toThrow('nat64');
        expect(() => parseTimeKey('12|x')).toThrow('not a time index key');
    });

    it('take the due ids in order and stop at the first one not yet due', () => {
        const keys = [timeKey(5n, 'a'), timeKey(7n, 'b'), timeKey(9n, 'c')];
        expect(takeDueKeys(keys, 7n, 10)).toEqual({ ids: ['a', 'b'], more: false, next: 9n });
        expect(takeDueKeys(keys, 100n, 10)).toEqual({ ids: ['a', 'b', 'c'], more: false, next: undefined });
    });

    it('say when due ids are left beyond the batch', () => {
        const keys = [timeKey(5n, 'a'), timeKey(6n, 'b'), timeKey(9n, 'c')];
        expect(takeDueKeys(keys, 7n, 1)).toEqual({ ids: ['a'], more: true, next: 6n });
    });
});
