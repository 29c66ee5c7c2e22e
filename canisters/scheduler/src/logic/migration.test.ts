import type { FiringEntry } from '../../../../shared/scheduling/firing';
import { GroupPages, PAGE_IDS } from '../../../common/indexes/group-pages';
import { memoryStore, type CountingGroupStore } from '../../../common/indexes/memory-group-store';
import { asStored, isCurrent, migrationBatch, upgradeScheduleRecord, type ScheduleV1, type ScheduleV2 } from './migration';
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

describe('Scheduler > migration batches over the listing group of every schedule', () => {
    const sid = (n: number): string => `sch-${n.toString().padStart(12, '0')}`;
    const filled = (count: number): { groups: GroupPages; store: CountingGroupStore } => {
        const store = memoryStore();
        const groups = new GroupPages(store);
        groups.addMany(Array.from({ length: count }, (_, i): [string, string] => ['all', sid(i + 1)]));
        return { groups, store };
    };

    it('visits every schedule once in id order, including one created and one deleted between batches', () => {
        const { groups } = filled(250);
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let batches = 1; ; batches++) {
            const { ids, done } = migrationBatch(groups, 'all', cursor, 100);
            seen.push(...ids);
            cursor = ids[ids.length - 1];
            if (batches === 1) {
                groups.add('all', sid(251));
                groups.remove('all', cursor!);
            }
            if (done) break;
            expect(batches).toBeLessThan(5);
        }
        expect(seen).toEqual(Array.from({ length: 251 }, (_, i) => sid(i + 1)));
        expect(migrationBatch(groups, 'all', sid(251), 100)).toEqual({ ids: [], done: true });
    });

    it('says done on a batch that takes the last schedules, and on a store without any', () => {
        const { groups } = filled(200);
        expect(migrationBatch(groups, 'all', sid(100), 100)).toEqual({ ids: Array.from({ length: 100 }, (_, i) => sid(101 + i)), done: true });
        expect(migrationBatch(groups, 'all', sid(99), 100).done).toBe(false);
        expect(migrationBatch(new GroupPages(memoryStore()), 'all', undefined, 100)).toEqual({ ids: [], done: true });
    });

    it('reads O(log pages) pages to seek its cursor, however far into 10,000 schedules it is', () => {
        const { groups, store } = filled(10_000);
        const pages = Math.ceil(10_000 / PAGE_IDS);
        // The seek's probes plus the pages the batch spans (100 ids over at most 5 pages).
        const bound = Math.ceil(Math.log2(pages)) + Math.ceil(100 / PAGE_IDS) + 2;
        for (const at of [100, 5_000, 9_800]) {
            store.reads = 0;
            const { ids } = migrationBatch(groups, 'all', sid(at), 100);
            expect(ids[0]).toBe(sid(at + 1));
            expect(store.reads).toBeLessThanOrEqual(bound);
        }
    });
});
