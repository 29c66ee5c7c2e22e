import { DEFAULT_OWNER_QUOTAS, EMPTY_USAGE, chargeNotification, countRefusedNotification, encodeOwnerQuotas, notificationsLeft } from './quotas';

const HOUR = 3_600_000_000_000n;
const T = 1_000n * HOUR + 5n;
const limits = { notificationsPerHour: 2 };

describe('Quotas > notifications per hour', () => {
    it('counts down within a clock hour and refills at the next one', () => {
        let u = EMPTY_USAGE;
        expect(notificationsLeft(u, T, limits)).toBe(2);
        u = chargeNotification(chargeNotification(u, T), T + 1n);
        expect(notificationsLeft(u, T + 2n, limits)).toBe(0);
        expect(notificationsLeft(u, 1001n * HOUR, limits)).toBe(2);
        expect(notificationsLeft(chargeNotification(u, 1001n * HOUR), 1001n * HOUR + 1n, limits)).toBe(1);
    });

    it('never answers below zero, and counts refusals across hours', () => {
        let u = EMPTY_USAGE;
        for (let i = 0; i < 3; i++) u = chargeNotification(u, T);
        expect(notificationsLeft(u, T, limits)).toBe(0);
        u = countRefusedNotification(countRefusedNotification(u));
        expect(encodeOwnerQuotas(u, 1001n * HOUR, limits)).toEqual({ limits: { notifications_per_hour: 2 }, usage: { notifications_this_hour: 0, notifications_refused: 2n } });
    });

    it('has a default', () => {
        expect(notificationsLeft(EMPTY_USAGE, T, DEFAULT_OWNER_QUOTAS)).toBe(DEFAULT_OWNER_QUOTAS.notificationsPerHour);
    });
});
