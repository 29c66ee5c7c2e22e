import type { SystemMode } from '../../../../shared/monitoring/emergency';
import type { FiringEntry } from '../../../../shared/scheduling/firing';
import type { OverlapPolicy, Schedule, ScheduleKind } from '../../../../shared/scheduling/schedule';
import type { SchedulerEffect } from './effects';
import { describeEffect } from './effects';
import { fireDueSchedule, onExecutionFinished, onStartSettled, type FiringContext } from './fire';
import { deadLetteredOutcome } from './outbox';
import { recordFiring, updateFiringOutcome } from './history';
import { makeSchedule } from './test-fixtures';
import { isoNs, minutes, seconds } from './time';

const T0 = isoNs('2025-03-10T12:00:00Z');
const normal: SystemMode = { Normal: null };
const everyMinute: ScheduleKind = { Interval: { every_seconds: 60n, start_at: [T0], end_at: [] } };
const ctx = (now: bigint, mode: SystemMode = normal): FiringContext => ({ now, mode });
const types = (effects: SchedulerEffect[]): string[] => effects.map((e) => e.type);
const outcomes = (effects: SchedulerEffect[]): string[] =>
    effects.flatMap((e) => (e.type === 'RecordFiring' ? [`${Object.keys(e.entry.outcome)[0]}@${(e.entry.due_at - T0) / seconds(1)}`] : []));

function withOverlap(overlap: OverlapPolicy): Schedule {
    return makeSchedule(everyMinute, { created_at: T0, next_due_at: T0 }, { missed_run: { RunOnce: null }, overlap });
}

describe('Scheduler > firing', () => {
    it('a due schedule starts a run: history, then the outbox entry (the outbox sends it); next due moves on', () => {
        const step = fireDueSchedule(withOverlap({ Skip: null }), ctx(T0 + seconds(1)));
        expect(types(step.effects)).toEqual(['RecordFiring', 'PutOutbox']);
        expect(step.schedule.next_due_at).toEqual([T0 + minutes(1)]);
        expect(step.schedule.last_due_at).toEqual([T0]);
        expect(step.schedule.in_flight).toEqual([`s1:${T0}`]);
        const record = step.effects[0];
        expect(record?.type === 'RecordFiring' && record.entry.lateness_ns).toBe(seconds(1));
        expect(step.effects.map(describeEffect)).toEqual([`firing s1@${T0}`, `outbox put s1:${T0}`]);
    });

    it('not yet due, paused or ended: unchanged, no effects', () => {
        const s = withOverlap({ Skip: null });
        expect(fireDueSchedule(s, ctx(T0 - 1n))).toEqual({ schedule: s, effects: [] });
        expect(fireDueSchedule({ ...s, paused: true }, ctx(T0))).toEqual({ schedule: { ...s, paused: true }, effects: [] });
        expect(fireDueSchedule({ ...s, next_due_at: [] }, ctx(T0)).effects).toEqual([]);
    });

    it('emergency mode records skipped firings and keeps the schedule moving', () => {
        const step = fireDueSchedule(withOverlap({ Allow: null }), ctx(T0, { Emergency: null }));
        expect(outcomes(step.effects)).toEqual(['Skipped@0']);
        expect(step.schedule.next_due_at).toEqual([T0 + minutes(1)]);
        expect(step.schedule.in_flight).toEqual([]);
    });

    it('safe mode still sends starts: the orchestrator knows which workflows are critical', () => {
        expect(types(fireDueSchedule(withOverlap({ Allow: null }), ctx(T0, { Safe: null })).effects)).toContain('PutOutbox');
    });

    describe('overlap', () => {
        const running = (overlap: OverlapPolicy): Schedule => ({ ...withOverlap(overlap), in_flight: ['s1:0'] });
        it.each<[OverlapPolicy, string[], bigint[]]>([
            [{ Skip: null }, ['Skipped@0'], []],
            [{ BufferOne: null }, [], [T0]],
            [{ Allow: null }, ['Pending@0'], []]
        ])('%j while a run is in flight', (overlap, recorded, buffered) => {
            const step = fireDueSchedule(running(overlap), ctx(T0));
            expect(outcomes(step.effects)).toEqual(recorded);
            expect(step.schedule.buffered_due_at).toEqual(buffered);
        });

        it('BufferOne keeps only the newest held-back run and starts it when the running one finishes', () => {
            let s = running({ BufferOne: null });
            s = fireDueSchedule(s, ctx(T0)).schedule;
            const second = fireDueSchedule(s, ctx(T0 + minutes(1)));
            expect(outcomes(second.effects)).toEqual(['Skipped@0']);
            s = second.schedule;
            expect(s.buffered_due_at).toEqual([T0 + minutes(1)]);
            const finished = onExecutionFinished(s, { schedule_id: 's1', idempotency_key: 's1:0', execution_id: 'e0', finished_at: T0 + minutes(1) + seconds(5) }, ctx(T0 + minutes(1) + seconds(5)));
            expect(outcomes(finished.effects)).toEqual(['Pending@60']);
            expect(finished.schedule.buffered_due_at).toEqual([]);
            expect(finished.schedule.in_flight).toEqual([`s1:${T0 + minutes(1)}`]);
            // A repeated report changes nothing.
            expect(onExecutionFinished(finished.schedule, { schedule_id: 's1', idempotency_key: 's1:0', execution_id: 'e0', finished_at: 0n }, ctx(T0 + minutes(2))).effects).toEqual([]);
        });
    });

    it('after an outage applies the missed-run policy (RunAll cap 2 with Allow)', () => {
        const s = makeSchedule(everyMinute, { created_at: T0, next_due_at: T0 }, { missed_run: { RunAll: { cap: 2 } }, overlap: { Allow: null } });
        const step = fireDueSchedule(s, ctx(T0 + minutes(10) + seconds(3)));
        expect(outcomes(step.effects)).toEqual(['Skipped@0', 'Pending@480', 'Pending@540', 'Pending@600']);
        const summary = step.effects[0];
        expect(summary?.type === 'RecordFiring' && summary.entry.outcome).toEqual({ Skipped: { reason: { MissedRunPolicy: null }, runs: 8n } });
        expect(step.schedule.next_due_at).toEqual([T0 + minutes(11)]);
    });

    describe('start outcomes', () => {
        const fired = fireDueSchedule(withOverlap({ Skip: null }), ctx(T0));
        const put = fired.effects.find((e) => e.type === 'PutOutbox');
        if (put?.type !== 'PutOutbox') throw new Error('expected PutOutbox');
        const entry = put.entry;

        it('started: history updated, slot stays taken', () => {
            const r = onStartSettled(fired.schedule, entry, { Started: { execution_id: 'e1' } }, undefined, ctx(T0 + 1n));
            expect(r.effects).toEqual([{ type: 'UpdateFiring', schedule_id: 's1', due_at: T0, outcome: { Started: { execution_id: 'e1' } } }]);
            expect(r.schedule?.in_flight).toEqual([entry.key]);
        });

        it('refused for good: the slot is freed', () => {
            const r = onStartSettled(fired.schedule, entry, { Failed: { attempts: 1, failure: { Refused: { error: { NotFound: { entity: 'workflow', id: 'wf-1' } } } } } }, undefined, ctx(T0 + 1n));
            expect(r.schedule?.in_flight).toEqual([]);
            expect(types(r.effects)).toEqual(['UpdateFiring']);
        });

        it('dead-lettered by the outbox: the firing fails, the slot is freed', () => {
            const r = onStartSettled(fired.schedule, entry, deadLetteredOutcome(entry, { kind: 'Trapped', handlings: 3 }), undefined, ctx(T0 + 1n));
            expect(r.schedule?.in_flight).toEqual([]);
            expect(r.effects).toEqual([{ type: 'UpdateFiring', schedule_id: 's1', due_at: T0, outcome: { Failed: { attempts: 0, failure: { Unreachable: { reject_code: 0, message: 'dead-lettered: its handling trapped 3 times' } } } } }]);
        });

        it('schedule cancelled meanwhile: only the history is settled', () => {
            const r = onStartSettled(undefined, entry, { Started: { execution_id: 'e1' } }, undefined, ctx(T0 + 1n));
            expect(r.schedule).toBeUndefined();
            expect(types(r.effects)).toEqual(['UpdateFiring']);
        });
    });
});

describe('Scheduler > firing history', () => {
    const entry = (due: bigint): FiringEntry => ({ schedule_id: 's1', due_at: due, started_at: due, lateness_ns: 0n, outcome: { Pending: { idempotency_key: `s1:${due}` } } });

    it('keeps the last N, oldest dropped first', () => {
        let ring: FiringEntry[] = [];
        for (let i = 0n; i < 7n; i += 1n) ring = recordFiring(ring, entry(i), 5);
        expect(ring.map((e) => e.due_at)).toEqual([2n, 3n, 4n, 5n, 6n]);
    });

    it('recording the same due time twice replaces it; outcomes update in place', () => {
        let ring = recordFiring([], entry(1n), 5);
        ring = recordFiring(ring, { ...entry(1n), lateness_ns: 9n }, 5);
        expect(ring).toHaveLength(1);
        ring = updateFiringOutcome(ring, 1n, { Started: { execution_id: 'e1' } });
        expect(ring[0]?.outcome).toEqual({ Started: { execution_id: 'e1' } });
        expect(updateFiringOutcome(ring, 99n, { Started: { execution_id: 'x' } })).toEqual(ring);
    });
});
