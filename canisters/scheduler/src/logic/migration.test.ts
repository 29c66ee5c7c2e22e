import type { FiringEntry } from '../../../../shared/scheduling/firing';
import { asStored, isCurrent, upgradeScheduleRecord, type ScheduleV1, type ScheduleV2 } from './migration';
import { makeSchedule } from './test-fixtures';

const schedule = () => makeSchedule({ Interval: { every_seconds: 60n, start_at: [], end_at: [] } }, { created_at: 0n, next_due_at: 60n });

const entry = (due: bigint, started: bigint): FiringEntry => ({ schedule_id: 's1', due_at: due, started_at: started, lateness_ns: started - due, outcome: { Started: { execution_id: `e${due}` } } });

function v2(): ScheduleV2 {
    const { input: _i, hold: _h, workflow_changed_at: _w, condition: _c, ...rest } = { ...schedule(), last_fired_at: [5n] as [bigint] };
    return { ...rest, schema_version: 2 };
}

function v1(): ScheduleV1 {
    const { last_fired_at: _dropped, ...rest } = v2();
    return { ...rest, schema_version: 1 };
}

const V3_DEFAULTS = { input: 'null', hold: [], workflow_changed_at: 0n, condition: [] };

describe('Scheduler > schema migration v1/v2 → v3', () => {
    it('gives a v1 record the start time of its newest firing', () => {
        const upgraded = upgradeScheduleRecord(v1(), [entry(10n, 12n), entry(20n, 25n)]);
        expect(upgraded.last_fired_at).toEqual([25n]);
        expect(upgraded.schema_version).toBe(1);
        expect(asStored(upgraded).schema_version).toBe(3);
    });

    it('gives a v1 record that never fired no last_fired_at, keeping every other field', () => {
        const old = v1();
        expect(upgradeScheduleRecord(old, [])).toEqual({ ...old, last_fired_at: [], ...V3_DEFAULTS });
    });

    it('gives a v2 record input null, no hold and no workflow notice, keeping last_fired_at', () => {
        const old = v2();
        expect(isCurrent(old)).toBe(false);
        expect(upgradeScheduleRecord(old, [entry(10n, 99n)])).toEqual({ ...old, ...V3_DEFAULTS });
    });

    it('gives a v3 trigger stored before `underfunded` existed no underfunded status', () => {
        const { underfunded: _u, read_quota: _q, ...olderState } = { armed: true, last_value: [], last_read_at: [], last_run_at: [], reads: 4n, read_failures: 0n, last_error: [], underfunded: [], read_quota: [] };
        const older = { ...schedule(), last_fired_at: [7n] as [bigint], condition: [olderState] } as unknown as ScheduleV2;
        expect(isCurrent(older)).toBe(false);
        expect(upgradeScheduleRecord(older, []).condition).toEqual([{ ...olderState, underfunded: [], read_quota: [] }]);
    });

    it('leaves current records alone', () => {
        const current = { ...schedule(), last_fired_at: [7n] as [bigint] };
        expect(isCurrent(current)).toBe(true);
        expect(isCurrent(v1())).toBe(false);
        expect(upgradeScheduleRecord(current, [entry(10n, 99n)])).toBe(current);
    });
});
