import type { FiringEntry } from '../../../../shared/scheduling/firing';
import { asStored, isCurrent, upgradeScheduleRecord, type ScheduleV1 } from './migration';
import { makeSchedule } from './test-fixtures';

const schedule = () => makeSchedule({ Interval: { every_seconds: 60n, start_at: [], end_at: [] } }, { created_at: 0n, next_due_at: 60n });

const entry = (due: bigint, started: bigint): FiringEntry => ({ schedule_id: 's1', due_at: due, started_at: started, lateness_ns: started - due, outcome: { Started: { execution_id: `e${due}` } } });

function v1(): ScheduleV1 {
    const { last_fired_at: _dropped, ...rest } = schedule();
    return { ...rest, schema_version: 1 };
}

describe('Scheduler > schema migration v1 → v2', () => {
    it('gives a v1 record the start time of its newest firing', () => {
        const upgraded = upgradeScheduleRecord(v1(), [entry(10n, 12n), entry(20n, 25n)]);
        expect(upgraded.last_fired_at).toEqual([25n]);
        expect(upgraded.schema_version).toBe(1);
        expect(asStored(upgraded).schema_version).toBe(2);
    });

    it('gives a v1 record that never fired no last_fired_at, keeping every other field', () => {
        const old = v1();
        expect(upgradeScheduleRecord(old, [])).toEqual({ ...old, last_fired_at: [] });
    });

    it('leaves current records alone', () => {
        const current = { ...schedule(), last_fired_at: [7n] as [bigint] };
        expect(isCurrent(current)).toBe(true);
        expect(isCurrent(v1())).toBe(false);
        expect(upgradeScheduleRecord(current, [entry(10n, 99n)])).toBe(current);
    });
});
