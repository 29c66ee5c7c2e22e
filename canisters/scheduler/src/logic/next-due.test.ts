import type { ScheduleKind } from '../../../../shared/scheduling/schedule';
import { dueTimesBetween, firstDueAt, nextDueAfter } from './next-due';
import { isoNs, minutes, nsIso, seconds } from './time';

const T0 = isoNs('2025-03-10T12:00:00Z');
const interval = (every: bigint, start?: bigint, end?: bigint): ScheduleKind => ({
    Interval: { every_seconds: every, start_at: start === undefined ? [] : [start], end_at: end === undefined ? [] : [end] }
});
const iso = (t: bigint | undefined): string => (t === undefined ? 'none' : nsIso(t));

describe('Scheduler > next due', () => {
    describe('firstDueAt', () => {
        it.each<[string, ScheduleKind, bigint, string]>([
            ['once in the future', { Once: { at: T0 + minutes(5) } }, T0, '2025-03-10T12:05:00.000Z'],
            ['once slightly in the past fires at once', { Once: { at: T0 - seconds(1) } }, T0, '2025-03-10T11:59:59.000Z'],
            ['interval without start: one interval after creation', interval(60n), T0, '2025-03-10T12:01:00.000Z'],
            ['interval with future start', interval(60n, T0 + minutes(10)), T0, '2025-03-10T12:10:00.000Z'],
            ['interval with past start: next grid point', interval(60n, T0 - seconds(90)), T0, '2025-03-10T12:00:30.000Z'],
            ['interval on a grid point', interval(60n, T0 - minutes(2)), T0, '2025-03-10T12:00:00.000Z'],
            ['interval ended before its first point', interval(60n, T0 + minutes(10), T0 + minutes(5)), T0, 'none'],
            ['cron at now counts', { Cron: { expression: '0 12 * * *' } }, T0, '2025-03-10T12:00:00.000Z'],
            ['cron later today', { Cron: { expression: '30 12 * * *' } }, T0, '2025-03-10T12:30:00.000Z'],
            ['every heartbeat: now', { EveryHeartbeat: null }, T0, '2025-03-10T12:00:00.000Z']
        ])('%s', (_name, kind, now, expected) => {
            expect(iso(firstDueAt(kind, now, now))).toBe(expected);
        });
    });

    describe('nextDueAfter', () => {
        const created = T0;
        it.each<[string, ScheduleKind, bigint, string]>([
            ['once: before', { Once: { at: T0 + minutes(1) } }, T0, '2025-03-10T12:01:00.000Z'],
            ['once: at (strictly after)', { Once: { at: T0 + minutes(1) } }, T0 + minutes(1), 'none'],
            ['interval: from a grid point', interval(300n, T0), T0, '2025-03-10T12:05:00.000Z'],
            ['interval: late, keeps the grid (no drift)', interval(300n, T0), T0 + seconds(7), '2025-03-10T12:05:00.000Z'],
            ['interval: past end', interval(300n, T0, T0 + minutes(9)), T0 + minutes(5), 'none'],
            ['interval: last point equals end', interval(300n, T0, T0 + minutes(10)), T0 + minutes(5), '2025-03-10T12:10:00.000Z'],
            ['cron */5', { Cron: { expression: '*/5 * * * *' } }, T0 + seconds(1), '2025-03-10T12:05:00.000Z'],
            ['cron weekdays 9:00 from Friday evening', { Cron: { expression: '0 9 * * 1-5' } }, isoNs('2025-03-14T18:00:00Z'), '2025-03-17T09:00:00.000Z'],
            ['cron first of month', { Cron: { expression: '0 0 1 * *' } }, T0, '2025-04-01T00:00:00.000Z'],
            ['cron @daily', { Cron: { expression: '@daily' } }, T0, '2025-03-11T00:00:00.000Z'],
            ['cron 6 fields with seconds', { Cron: { expression: '15,45 * * * * *' } }, T0, '2025-03-10T12:00:15.000Z'],
            ['cron leap day', { Cron: { expression: '0 0 29 2 *' } }, T0, '2028-02-29T00:00:00.000Z'],
            ['every heartbeat: the next round', { EveryHeartbeat: null }, T0, '2025-03-10T12:00:00.000Z']
        ])('%s', (_name, kind, after, expected) => {
            expect(iso(nextDueAfter(kind, after, created))).toBe(expected);
        });

        it('every heartbeat is due one nanosecond later', () => {
            expect(nextDueAfter({ EveryHeartbeat: null }, T0, T0)).toBe(T0 + 1n);
        });
    });

    describe('dueTimesBetween', () => {
        it('interval: newest first and total, arithmetic (no iteration per run)', () => {
            const w = dueTimesBetween(interval(1n, T0), T0, T0 + seconds(86_400 * 365), T0, 2);
            expect(w.total).toBe(86_400n * 365n + 1n);
            expect(w.newest).toEqual([T0 + seconds(86_400 * 365), T0 + seconds(86_400 * 365 - 1)]);
        });
        it('interval: clipped at end_at', () => {
            const w = dueTimesBetween(interval(60n, T0, T0 + minutes(3)), T0, T0 + minutes(10), T0, 10);
            expect(w.total).toBe(4n);
            expect(w.newest[0]).toBe(T0 + minutes(3));
        });
        it('cron: newest first, counted', () => {
            const w = dueTimesBetween({ Cron: { expression: '0 * * * *' } }, T0, T0 + minutes(150), T0, 2);
            expect(w.newest.map(nsIso)).toEqual(['2025-03-10T14:00:00.000Z', '2025-03-10T13:00:00.000Z']);
            expect(w.total).toBe(3n);
        });
        it('once and heartbeat: a single due time', () => {
            expect(dueTimesBetween({ Once: { at: T0 } }, T0, T0 + minutes(5), T0, 5)).toEqual({ newest: [T0], total: 1n });
            expect(dueTimesBetween({ EveryHeartbeat: null }, T0, T0 + minutes(5), T0, 5)).toEqual({ newest: [T0], total: 1n });
        });
        it('empty when the window is reversed', () => {
            expect(dueTimesBetween(interval(60n, T0), T0, T0 - 1n, T0, 5)).toEqual({ newest: [], total: 0n });
        });
    });
});
