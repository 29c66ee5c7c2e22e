import { DEFAULT_OWNER_QUOTAS, EMPTY_USAGE, MAX_HISTORY_PRUNED_PER_FINISH, MAX_OWNER_QUOTAS, chargeNotification, historyToPrune, countQuota, countRefusedNotification, encodeOwnerQuotas, invalidQuotaLimit, notificationsLeft, quotaRefusal, versionsToPrune } from './quotas';

const HOUR = 3_600_000_000_000n;
const T = 1_000n * HOUR + 5n;
const limits = { ...DEFAULT_OWNER_QUOTAS, notificationsPerHour: 2 };

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
        expect(encodeOwnerQuotas(u, 1001n * HOUR, limits, 7)).toEqual({ limits: { notifications_per_hour: 2, workflows: 100, versions_per_workflow: 20, concurrent_executions: 50, stored_executions: 1_000 }, usage: { notifications_this_hour: 0, notifications_refused: 2n, workflows: 0, concurrent_executions: 0, stored_executions: 7 } });
    });

    it('has a default', () => {
        expect(notificationsLeft(EMPTY_USAGE, T, DEFAULT_OWNER_QUOTAS)).toBe(DEFAULT_OWNER_QUOTAS.notificationsPerHour);
    });
});

describe('Quotas > counted quotas', () => {
    it('refuses one more at the limit and counts down without going below zero', () => {
        let u = EMPTY_USAGE;
        for (let i = 0; i < 2; i++) u = countQuota(u, 'workflows', 1);
        const two = { ...DEFAULT_OWNER_QUOTAS, workflows: 2, concurrentExecutions: 1 };
        expect(quotaRefusal('workflows', u, two)).toEqual({ limit: 'workflows', max: 2n });
        expect(quotaRefusal('workflows', countQuota(u, 'workflows', -1), two)).toBeUndefined();
        expect(quotaRefusal('concurrent_executions', u, two)).toBeUndefined();
        expect(quotaRefusal('concurrent_executions', countQuota(u, 'concurrent_executions', 1), two)).toEqual({ limit: 'concurrent_executions', max: 1n });
        expect(countQuota(EMPTY_USAGE, 'concurrent_executions', -1).activeExecutions).toBe(0);
    });

    it('prunes versions older than the newest kept, except those an unfinished execution runs', () => {
        expect(versionsToPrune(25, 20, new Set([2]), () => true)).toEqual([1, 3, 4, 5]);
        expect(versionsToPrune(25, 20, new Set(), (v) => v > 4)).toEqual([5]);
        expect(versionsToPrune(20, 20, new Set(), () => true)).toEqual([]);
    });

    it('takes limits from 1 (0 notifications) up to the caps', () => {
        expect(invalidQuotaLimit(DEFAULT_OWNER_QUOTAS)).toBeUndefined();
        expect(invalidQuotaLimit(MAX_OWNER_QUOTAS)).toBeUndefined();
        expect(invalidQuotaLimit({ ...DEFAULT_OWNER_QUOTAS, notificationsPerHour: 0 })).toBeUndefined();
        expect(invalidQuotaLimit({ ...DEFAULT_OWNER_QUOTAS, workflows: 0 })?.field).toBe('limits.workflows');
        expect(invalidQuotaLimit({ ...DEFAULT_OWNER_QUOTAS, concurrentExecutions: MAX_OWNER_QUOTAS.concurrentExecutions + 1 })?.field).toBe('limits.concurrent_executions');
    });
});

describe('Quotas > stored history', () => {
    it('prunes what exceeds the quota, at most a bounded batch per finish', () => {
        expect(historyToPrune(1_000, 1_000)).toBe(0);
        expect(historyToPrune(1_001, 1_000)).toBe(1);
        expect(historyToPrune(3, 10)).toBe(0);
        expect(historyToPrune(500, 100)).toBe(MAX_HISTORY_PRUNED_PER_FINISH);
        expect(invalidQuotaLimit({ ...DEFAULT_OWNER_QUOTAS, storedExecutions: 0 })?.field).toBe('limits.stored_executions');
    });
});
