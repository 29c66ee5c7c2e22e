import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { ApiErrorCodec } from '../common/errors';
import { WorkflowErrorWire } from '../workflow/errors';
import { c, NAT64_MAX, parseWith, tagOf, type Codec } from '../common/codec';
import { FiringEntryCodec, FiringOutcomeCodec, type FiringEntry } from './firing';
import { OutboxEntryCodec, StartScheduledExecutionRequestCodec } from './outbox';
import { roundTrip } from './round-trip';
import { MissedRunPolicyCodec, OverlapPolicyCodec, ScheduleCodec, ScheduleKindCodec, ScheduleRequestCodec, type Schedule } from './schedule';
import {
    ExecutionFinishedCodec,
    ListSchedulesRequestCodec,
    ScheduleDetailsResultCodec,
    SchedulePageResultCodec,
    SchedulerMethods,
    schedulerIdlFactory,
    ScheduleResultCodec
} from './service';
import { StartScheduledExecutionResultCodec } from './outbox';
import { WorkflowTargetCodec } from './target';

const owner = Principal.fromText('2vxsx-fae');
const now = 1_741_608_000_000_000_000n;

const schedule: Schedule = {
    id: 's1',
    workflow_id: 'wf-1',
    owner,
    kind: { Interval: { every_seconds: 60n, start_at: [now], end_at: [] } },
    policies: { missed_run: { RunAll: { cap: 5 } }, overlap: { BufferOne: null } },
    paused: false,
    next_due_at: [now + 1n],
    last_due_at: [],
    in_flight: ['s1:1', 's1:2'],
    buffered_due_at: [now],
    created_at: now,
    updated_at: now,
    last_fired_at: [],
    schema_version: 3,
    input: '{"threshold_e8s":200000000}',
    hold: [{ InputRejected: { field: 'input.repay', message: 'required by the workflow' } }],
    workflow_changed_at: now,
    condition: [{ armed: false, last_value: ['50000000'], last_read_at: [now], last_run_at: [now], reads: 3n, read_failures: 1n, last_error: [], underfunded: [{ balance: 1n, minimum: 2n, since: now }], read_quota: [{ max: 360, until: now }] }]
};
const firing: FiringEntry = { schedule_id: 's1', due_at: now, started_at: now + 5n, lateness_ns: 5n, outcome: { Skipped: { reason: { MissedRunPolicy: null }, runs: 7n } } };
const outboxEntry = { key: 's1:1', schedule_id: 's1', workflow_id: 'wf-1', owner, due_at: 1n, enqueued_at: now, input: ['{"a":1}'] as [string] };

function cases<T>(codec: Codec<T>, values: T[]): [Codec<unknown>, unknown][] {
    return values.map((v) => [codec as Codec<unknown>, v]);
}

describe('Contracts > scheduling > Candid round trips', () => {
    it.each([
        ...cases(ScheduleKindCodec, [
            { Once: { at: now } },
            { Interval: { every_seconds: 1n, start_at: [], end_at: [NAT64_MAX] } },
            { Cron: { expression: '0 9 * * 1-5' } },
            { EveryHeartbeat: null },
            { Condition: { every_seconds: 30n, read: { canister: owner, method: 'get_price', args: new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]), reply_types: '(record { price_e8s: nat64 })' }, path: 'price_e8s', op: { Lt: null }, value: '60000000', cooldown_seconds: 0n } }
        ]),
        ...cases(MissedRunPolicyCodec, [{ Skip: null }, { RunOnce: null }, { RunAll: { cap: 100 } }]),
        ...cases(OverlapPolicyCodec, [{ Skip: null }, { BufferOne: null }, { Allow: null }]),
        ...cases(ScheduleCodec, [schedule, { ...schedule, kind: { EveryHeartbeat: null }, next_due_at: [], buffered_due_at: [], in_flight: [], hold: [{ WorkflowPaused: null }] }]),
        ...cases(ScheduleRequestCodec, [{ workflow_id: 'wf', kind: { Cron: { expression: '@daily' } }, policies: [], owner: [owner], input: [] }, { workflow_id: 'wf', kind: { EveryHeartbeat: null }, policies: [], owner: [], input: ['{}'] }]),
        ...cases(WorkflowTargetCodec, [{ workflow_id: 'wf', state: { Deleted: null }, required_input: ['a', 'b.c'], changed_at: now }]),
        ...cases(StartScheduledExecutionResultCodec, [{ Ok: { execution_id: 'e1' } }, { Held: { workflow_id: 'wf', state: { Paused: null }, required_input: [], changed_at: now } }]),
        ...cases(FiringOutcomeCodec, [
            { Pending: { idempotency_key: 's1:1' } },
            { Started: { execution_id: 'e1' } },
            { Skipped: { reason: { Overlap: null }, runs: 1n } },
            { Failed: { attempts: 3, failure: { Refused: { error: { NotFound: { entity: 'workflow', id: 'wf' } } } } } },
            { Failed: { attempts: 9, failure: { Unreachable: { reject_code: 5, message: 'stopped' } } } }
        ]),
        ...cases(FiringEntryCodec, [firing]),
        ...cases(OutboxEntryCodec, [outboxEntry]),
        ...cases(StartScheduledExecutionRequestCodec, [{ idempotency_key: 's1:1', schedule_id: 's1', workflow_id: 'wf', owner, due_at: 1n, attempt: 1, input: ['null'] }]),
        ...cases(ListSchedulesRequestCodec, [{ workflow_id: ['wf'], owner: [], cursor: ['s1'], limit: [10] }]),
        ...cases(ExecutionFinishedCodec, [{ schedule_id: 's1', idempotency_key: 's1:1', execution_id: 'e1', finished_at: now }]),
        ...cases(ScheduleResultCodec, [{ Ok: schedule }, { Err: { Unauthorized: { caller: owner } } }]),
        ...cases(SchedulePageResultCodec, [{ Ok: { items: [schedule], next_cursor: ['s1'] } }]),
        ...cases(ScheduleDetailsResultCodec, [{ Ok: { schedule, recent_firings: [firing] } }, { Err: { InvalidInput: { field: 'kind.Cron.expression', message: 'bad' } } }]),
        ...cases(ApiErrorCodec, [{ LimitExceeded: { limit: 'schedules', max: 10n } }, { EmergencyMode: { message: 'on' } }])
    ])('%#: %s', (codec, value) => {
        expect(roundTrip(codec, value)).toEqual(value);
    });
});

describe('Contracts > scheduling > drift and validation', () => {
    it('an ApiError the orchestrator answers in a WorkflowError decodes as the scheduler\'s ApiError', () => {
        const error = { LimitExceeded: { limit: 'schedules', max: 10n } };
        const [decoded] = IDL.decode([ApiErrorCodec.idl], IDL.encode([WorkflowErrorWire.idl], [error]));
        expect(ApiErrorCodec.schema.parse(decoded)).toEqual(error);
    });

    it('the service keeps the original method names', () => {
        expect(Object.keys(SchedulerMethods).sort()).toEqual(
            [
                'cancel_persistent_execution',
                'get_schedule',
                'get_schedule_quota',
                'get_version',
                'list_dead_letters',
                'list_persistent_scheduled_executions',
                'notify_execution_finished',
                'notify_workflow_changed',
                'pause_schedule',
                'resume_schedule',
                'schedule_workflow_execution',
                'set_emergency_mode',
                'set_schedule_quota'
            ].sort()
        );
        expect(schedulerIdlFactory({ IDL }).display()).toContain('list_persistent_scheduled_executions');
    });

    it('schemas reject what the IDL would not carry', () => {
        expect(ScheduleKindCodec.schema.safeParse({ Once: { at: now }, Cron: { expression: 'x' } }).success).toBe(false);
        expect(ScheduleKindCodec.schema.safeParse({ Once: { at: NAT64_MAX + 1n } }).success).toBe(false);
        expect(ScheduleKindCodec.schema.safeParse({ Once: { at: -1n } }).success).toBe(false);
        expect(MissedRunPolicyCodec.schema.safeParse({ RunAll: { cap: 1.5 } }).success).toBe(false);
        expect(ScheduleCodec.schema.safeParse({ ...schedule, owner: 'not-a-principal' }).success).toBe(false);
        expect(ScheduleCodec.schema.safeParse({ ...schedule, next_due_at: [1n, 2n] }).success).toBe(false);
    });

    it('parseWith gives a typed InvalidInput with the field path', () => {
        const bad = { workflow_id: 'wf', kind: { Interval: { every_seconds: 'often', start_at: [], end_at: [] } }, policies: [], owner: [] };
        const result = parseWith(ScheduleRequestCodec.schema, bad);
        expect(result).toEqual({ Err: { InvalidInput: { field: 'kind.Interval.every_seconds', message: expect.any(String) } } });
        expect(parseWith(ScheduleRequestCodec.schema, { workflow_id: 'wf', kind: { EveryHeartbeat: null }, policies: [], owner: [], input: [] })).toHaveProperty('Ok');
    });

    it('tagOf gives the variant tag', () => {
        expect(tagOf({ RunAll: { cap: 1 } })).toBe('RunAll');
    });

    it('combinators build the expected Candid', () => {
        const point = c.record({ x: c.nat32, label: c.opt(c.text), tags: c.vec(c.tags(['A', 'B'] as const)) });
        expect(point.idl.display()).toBe(IDL.Record({ x: IDL.Nat32, label: IDL.Opt(IDL.Text), tags: IDL.Vec(IDL.Variant({ A: IDL.Null, B: IDL.Null })) }).display());
    });
});
