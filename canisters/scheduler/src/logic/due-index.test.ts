import { dueIndexDelta, dueIndexKey, parseDueIndexKey, planTimer, takeDue } from './due-index';
import { makeSchedule } from './test-fixtures';
import { isoNs, seconds } from './time';

const NOW = isoNs('2025-03-10T12:00:00Z');

describe('Scheduler > due index', () => {
    it('keys sort by due time (then id), across digit counts', () => {
        const keys = [dueIndexKey(NOW, 'b'), dueIndexKey(5n, 'z'), dueIndexKey(NOW, 'a'), dueIndexKey((1n << 64n) - 1n, 'm'), dueIndexKey(NOW + 1n, 'a')];
        expect([...keys].sort().map((k) => parseDueIndexKey(k))).toEqual([
            { due_at: 5n, schedule_id: 'z' },
            { due_at: NOW, schedule_id: 'a' },
            { due_at: NOW, schedule_id: 'b' },
            { due_at: NOW + 1n, schedule_id: 'a' },
            { due_at: (1n << 64n) - 1n, schedule_id: 'm' }
        ]);
    });

    it('ids may contain the separator', () => {
        expect(parseDueIndexKey(dueIndexKey(7n, 'a|b'))).toEqual({ due_at: 7n, schedule_id: 'a|b' });
    });

    it('takes due schedules in order, bounded per batch', () => {
        const sorted = [dueIndexKey(NOW - 2n, 's3'), dueIndexKey(NOW - 1n, 's1'), dueIndexKey(NOW, 's2'), dueIndexKey(NOW + 1n, 's4')];
        expect(takeDue(sorted, NOW, 10)).toEqual(['s3', 's1', 's2']);
        expect(takeDue(sorted, NOW, 2)).toEqual(['s3', 's1']);
        expect(takeDue(sorted, NOW - 3n, 10)).toEqual([]);
    });

    it('tracks index changes; paused and ended schedules leave the index', () => {
        const s = makeSchedule({ Once: { at: NOW } }, { created_at: NOW, next_due_at: NOW });
        expect(dueIndexDelta(undefined, s)).toEqual({ remove: undefined, insert: dueIndexKey(NOW, 's1') });
        expect(dueIndexDelta(s, s)).toEqual({ remove: undefined, insert: undefined });
        expect(dueIndexDelta(s, { ...s, paused: true })).toEqual({ remove: dueIndexKey(NOW, 's1'), insert: undefined });
        expect(dueIndexDelta(s, { ...s, next_due_at: [] })).toEqual({ remove: dueIndexKey(NOW, 's1'), insert: undefined });
        expect(dueIndexDelta(s, { ...s, next_due_at: [NOW + 5n] })).toEqual({ remove: dueIndexKey(NOW, 's1'), insert: dueIndexKey(NOW + 5n, 's1') });
        expect(dueIndexDelta(s, undefined).remove).toBe(dueIndexKey(NOW, 's1'));
    });

    describe('one global timer', () => {
        it.each<[string, bigint | undefined, bigint | undefined, unknown[]]>([
            ['earliest schedule', NOW + seconds(5), undefined, [{ type: 'ArmTimer', at: NOW + seconds(5), delay_ns: seconds(5) }]],
            ['already armed for that time', NOW + seconds(5), NOW + seconds(5), []],
            ['an earlier schedule re-arms', NOW + seconds(2), NOW + seconds(5), [{ type: 'ArmTimer', at: NOW + seconds(2), delay_ns: seconds(2) }]],
            ['overdue after an upgrade: fire next round', NOW - seconds(600), undefined, [{ type: 'ArmTimer', at: NOW - seconds(600), delay_ns: 0n }]],
            ['nothing left, was armed', undefined, NOW, [{ type: 'CancelTimer' }]],
            ['nothing left, not armed', undefined, undefined, []]
        ])('%s', (_name, due, armed, expected) => {
            expect(planTimer(due, NOW, armed)).toEqual(expected);
        });
    });
});
