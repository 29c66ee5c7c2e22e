import type { MissedRunPolicy, ScheduleKind } from '../../../../shared/scheduling/schedule';
import { planMissedRuns } from './missed-runs';
import { isoNs, minutes, seconds } from './time';

const T0 = isoNs('2025-03-10T12:00:00Z');
const everyMinute: ScheduleKind = { Interval: { every_seconds: 60n, start_at: [T0], end_at: [] } };
const rel = (ts: bigint[]): number[] => ts.map((t) => Number((t - T0) / seconds(1)));

describe('Scheduler > missed runs', () => {
    // Scheduler was down from T0 to T0 + 10 min + 5 s: due times T0, T0+1m, ..., T0+10m (11 in all).
    const late = T0 + minutes(10) + seconds(5);
    // Down until T0 + 14m45s with a 30 s grace: due times T0..T0+14m (15), the newest 45 s late: nothing is on time.
    const veryLate = T0 + minutes(14) + seconds(45);
    const grace = seconds(30);

    it.each<[string, MissedRunPolicy, bigint, number[], bigint | undefined]>([
        ['Skip, newest on time', { Skip: null }, late, [600], 10n],
        ['Skip, nothing on time', { Skip: null }, veryLate, [], 15n],
        ['RunOnce, newest on time', { RunOnce: null }, late, [600], 10n],
        ['RunOnce, nothing on time: the newest late one', { RunOnce: null }, veryLate, [840], 14n],
        ['RunAll cap 3, newest on time: 3 missed + on-time', { RunAll: { cap: 3 } }, late, [420, 480, 540, 600], 7n],
        ['RunAll cap 3, nothing on time', { RunAll: { cap: 3 } }, veryLate, [720, 780, 840], 12n],
        ['RunAll cap larger than the backlog', { RunAll: { cap: 50 } }, late, [0, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600], undefined]
    ])('%s', (_name, policy, now, fired, skippedRuns) => {
        const plan = planMissedRuns(everyMinute, policy, T0, now, T0, grace);
        expect(rel(plan.fire)).toEqual(fired);
        expect(plan.skipped?.runs).toEqual(skippedRuns);
        if (skippedRuns !== undefined) expect(plan.skipped?.earliest).toBe(T0);
        expect(plan.next_due_at).toBe(T0 + minutes(now === late ? 11 : 15));
    });

    it('normal operation: one due time, a little late, fires under every policy', () => {
        for (const policy of [{ Skip: null }, { RunOnce: null }, { RunAll: { cap: 5 } }] satisfies MissedRunPolicy[]) {
            const plan = planMissedRuns(everyMinute, policy, T0, T0 + seconds(2), T0);
            expect(rel(plan.fire)).toEqual([0]);
            expect(plan.skipped).toBeUndefined();
            expect(plan.last_due_at).toBe(T0);
        }
    });

    it('grace is configurable', () => {
        expect(planMissedRuns(everyMinute, { Skip: null }, T0, T0 + seconds(30), T0, seconds(10)).fire).toEqual([]);
        expect(planMissedRuns(everyMinute, { Skip: null }, T0, T0 + seconds(30), T0, seconds(30)).fire).toEqual([T0]);
    });

    it('once: late after an outage follows the policy and then ends', () => {
        const once: ScheduleKind = { Once: { at: T0 } };
        const now = T0 + minutes(30);
        expect(planMissedRuns(once, { Skip: null }, T0, now, T0)).toEqual({ fire: [], skipped: { earliest: T0, runs: 1n }, next_due_at: undefined, last_due_at: T0 });
        expect(planMissedRuns(once, { RunOnce: null }, T0, now, T0)).toEqual({ fire: [T0], skipped: undefined, next_due_at: undefined, last_due_at: T0 });
        expect(planMissedRuns(once, { RunAll: { cap: 2 } }, T0, now, T0).fire).toEqual([T0]);
    });

    it('cron: a day of a per-second schedule costs bounded work', () => {
        const kind: ScheduleKind = { Cron: { expression: '* * * * * *' } };
        const plan = planMissedRuns(kind, { RunAll: { cap: 2 } }, T0, T0 + minutes(24 * 60), T0);
        // two missed ones plus the on-time newest; counting saturates at MISSED_RUN_COUNT_LIMIT (1000)
        expect(rel(plan.fire)).toEqual([86_398, 86_399, 86_400]);
        expect(plan.skipped?.runs).toBe(997n);
    });

    it('cron: hourly schedule, 3 h down, RunAll cap 10 runs all missed hours', () => {
        const kind: ScheduleKind = { Cron: { expression: '0 * * * *' } };
        const plan = planMissedRuns(kind, { RunAll: { cap: 10 } }, T0, T0 + minutes(185), T0);
        expect(rel(plan.fire)).toEqual([0, 3600, 7200, 10800]);
        expect(plan.skipped).toBeUndefined();
        expect(plan.next_due_at).toBe(T0 + minutes(240));
    });
});
