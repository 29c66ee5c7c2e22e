import { EMPTY_READ_USAGE, chargeRead, countRefusedRead, readQuotaRefusal, readUsageAt } from './read-quota';

const HOUR = 3_600_000_000_000n;
const T = 1000n * HOUR + 5n;

describe('Scheduler > condition-read quota', () => {
    it('refuses the read past the hourly quota until the next clock hour, then counts afresh', () => {
        let u = EMPTY_READ_USAGE;
        for (let i = 0; i < 2; i++) {
            expect(readQuotaRefusal(u, T, 2)).toBeUndefined();
            u = chargeRead(u, T);
        }
        expect(readQuotaRefusal(u, T, 2)).toEqual({ max: 2, until: 1001n * HOUR });
        u = countRefusedRead(u, T);
        expect(u).toEqual({ windowStart: 1000n * HOUR, reads: 2, refused: 1n });
        expect(readQuotaRefusal(u, 1001n * HOUR, 2)).toBeUndefined();
        expect(readUsageAt(u, 1001n * HOUR)).toEqual({ windowStart: 1001n * HOUR, reads: 0, refused: 1n });
    });
});
