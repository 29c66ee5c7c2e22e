/**
 * Stored schedule records across schema versions. v1 records (written by releases before
 * `last_fired_at`) and v2 records (before `input`, `hold`, `workflow_changed_at`) are read by
 * {@link upgradeScheduleRecord}: lazily whenever one is read, and all of them in bounded
 * batches driven by a timer after an upgrade (see `state.ts`).
 */
import { DEFAULT_SCHEDULE_INPUT, SCHEDULE_SCHEMA_VERSION, type Schedule } from '../../../../shared/scheduling/schedule';
import type { FiringEntry } from '../../../../shared/scheduling/firing';
import type { ConditionState } from '../../../../shared/scheduling/condition';
import type { GroupPages } from '../../../common/indexes/group-pages';

/** Fields schema v3 added. */
type V3Fields = 'input' | 'hold' | 'workflow_changed_at' | 'condition';

/** A schedule as schema v2 stored it: no input, no hold. */
export type ScheduleV2 = Omit<Schedule, V3Fields> & { input?: undefined; hold?: undefined; workflow_changed_at?: undefined; condition?: undefined };

/** A schedule as schema v1 stored it: no `last_fired_at` either. */
export type ScheduleV1 = Omit<ScheduleV2, 'last_fired_at'> & { last_fired_at?: undefined };

/** Any stored schedule record this release can read. */
export type StoredSchedule = Schedule | ScheduleV2 | ScheduleV1;

/** Records rewritten per migration timer callback: bounded instructions per message. */
export const MIGRATION_BATCH = 100;

/**
 * The schedule ids of the next migration batch: up to `max` after `cursor` (exclusive) in id
 * order, read from `group`, the listing group of every schedule (indexes.ts). Its pages are
 * found by binary search with exact gets, so a batch reads O(log pages + max / page size)
 * pages wherever its cursor is; a seek by position in the schedule map cannot do that (Azle's
 * `keys(start)` steps over `start` keys). `done` when no id follows the batch. The cursor
 * need not be stored any more: a schedule deleted between two batches is not in the way.
 */
export function migrationBatch(groups: GroupPages, group: string, cursor: string | undefined, max: number): { ids: string[]; done: boolean } {
    const { ids, more } = groups.list(group, 'OldestFirst', cursor, max, () => true, max);
    return { ids, done: !more };
}

/** True when the record is in the current format. */
export function isCurrent(record: StoredSchedule): record is Schedule {
    return (
        record.schema_version === SCHEDULE_SCHEMA_VERSION &&
        record.last_fired_at !== undefined &&
        record.input !== undefined &&
        record.hold !== undefined &&
        record.workflow_changed_at !== undefined &&
        record.condition !== undefined &&
        // v3 records of triggers written before `underfunded` or `read_quota` existed lack them.
        record.condition.every((c: Partial<Pick<ConditionState, 'underfunded' | 'read_quota'>>) => c.underfunded !== undefined && c.read_quota !== undefined)
    );
}

/**
 * The current-format view of a stored record. A v1 record's `last_fired_at` is when the
 * scheduler acted on the newest entry of its firing history (`history`, newest last), the
 * value v2 would have stored. An older record's runs started with input `null`, it held for
 * nothing and applied no workflow notice: v3 says exactly that. `schema_version` keeps saying what is stored, so a reader can
 * tell a record still waiting for the migration. Idempotent on current records.
 *
 * @example
 * upgradeScheduleRecord(v1, ring).last_fired_at // [ring[ring.length - 1].started_at] or []
 */
export function upgradeScheduleRecord(record: StoredSchedule, history: readonly FiringEntry[]): Schedule {
    if (isCurrent(record)) return record;
    const newest = history.reduce<bigint | undefined>((max, f) => (max === undefined || f.started_at > max ? f.started_at : max), undefined);
    const last_fired_at = record.last_fired_at ?? (newest === undefined ? [] : [newest]);
    return { ...record, last_fired_at, input: record.input ?? DEFAULT_SCHEDULE_INPUT, hold: record.hold ?? [], workflow_changed_at: record.workflow_changed_at ?? 0n, condition: withTriggerStatus(record.condition ?? []) };
}

/** A trigger state stored before `underfunded` or `read_quota` existed reads with neither. */
function withTriggerStatus(condition: Schedule['condition']): Schedule['condition'] {
    const [state] = condition;
    // The stored value may lack the fields the type says it has: read them as optional.
    const stored: Partial<Pick<ConditionState, 'underfunded' | 'read_quota'>> = state ?? {};
    return state === undefined ? [] : [{ ...state, underfunded: stored.underfunded ?? [], read_quota: stored.read_quota ?? [] }];
}

/** The record as the current release stores it. */
export function asStored(schedule: Schedule): Schedule {
    return { ...schedule, schema_version: SCHEDULE_SCHEMA_VERSION };
}
