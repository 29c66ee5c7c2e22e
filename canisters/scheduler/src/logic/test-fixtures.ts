import { Principal } from '@dfinity/principal';
import { DEFAULT_POLICIES, SCHEDULE_SCHEMA_VERSION, type Schedule, type ScheduleKind, type SchedulePolicies } from '../../../../shared/scheduling/schedule';

/** Test helpers only (not imported by production code). */
export const OWNER = Principal.fromText('2vxsx-fae');
export const ORCHESTRATOR = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');

export function makeSchedule(kind: ScheduleKind, at: { created_at: bigint; next_due_at: bigint | undefined }, policies: SchedulePolicies = DEFAULT_POLICIES, id = 's1'): Schedule {
    return {
        id,
        workflow_id: 'wf-1',
        owner: OWNER,
        kind,
        policies,
        paused: false,
        next_due_at: at.next_due_at === undefined ? [] : [at.next_due_at],
        last_due_at: [],
        in_flight: [],
        buffered_due_at: [],
        created_at: at.created_at,
        updated_at: at.created_at,
        last_fired_at: [],
        schema_version: SCHEDULE_SCHEMA_VERSION,
        input: 'null',
        hold: [],
        workflow_changed_at: 0n,
        condition: []
    };
}
