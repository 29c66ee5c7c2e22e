import { SCHEDULE_SCHEMA_VERSION, type Schedule, type ScheduleRequest } from '../../../../shared/scheduling/schedule';
import { canManage, createSchedule, isEnded, pauseSchedule, resumeSchedule } from './lifecycle';
import { ORCHESTRATOR, OWNER, makeSchedule } from './test-fixtures';
import { isoNs, minutes, seconds } from './time';
import { validateScheduleRequest } from './validate';
import { Principal } from '@dfinity/principal';

const T0 = isoNs('2025-03-10T12:00:00Z');
const STRANGER = Principal.fromText('aaaaa-aa');
const request = (kind: ScheduleRequest['kind'], extra: Partial<ScheduleRequest> = {}): ScheduleRequest => ({ workflow_id: 'wf-1', kind, policies: [], owner: [], input: [], ...extra });

describe('Scheduler > validation', () => {
    it.each<[string, ScheduleRequest, string]>([
        ['bad cron', request({ Cron: { expression: '99 * * * *' } }), 'kind.Cron.expression'],
        ['interval 0 s', request({ Interval: { every_seconds: 0n, start_at: [], end_at: [] } }), 'kind.Interval.every_seconds'],
        ['interval huge', request({ Interval: { every_seconds: 1n << 40n, start_at: [], end_at: [] } }), 'kind.Interval.every_seconds'],
        ['interval ended', request({ Interval: { every_seconds: 5n, start_at: [], end_at: [T0 - 1n] } }), 'kind.Interval.end_at'],
        ['interval end before start', request({ Interval: { every_seconds: 5n, start_at: [T0 + minutes(9)], end_at: [T0 + minutes(5)] } }), 'kind.Interval.end_at'],
        ['once long past', request({ Once: { at: T0 - minutes(5) } }), 'kind.Once.at'],
        ['empty workflow id', request({ EveryHeartbeat: null }, { workflow_id: ' ' }), 'workflow_id'],
        ['RunAll cap 0', request({ EveryHeartbeat: null }, { policies: [{ missed_run: { RunAll: { cap: 0 } }, overlap: { Skip: null } }] }), 'policies.missed_run.RunAll.cap'],
        ['RunAll cap too big', request({ EveryHeartbeat: null }, { policies: [{ missed_run: { RunAll: { cap: 1000 } }, overlap: { Skip: null } }] }), 'policies.missed_run.RunAll.cap']
    ])('%s → InvalidInput on %s', (_name, req, field) => {
        const result = validateScheduleRequest(req, OWNER, false, T0);
        expect(result).toEqual({ Err: { InvalidInput: { field, message: expect.any(String) } } });
    });

    it('accepts a once a few seconds in the past (clock skew) and fills default policies', () => {
        const result = validateScheduleRequest(request({ Once: { at: T0 - seconds(5) } }), OWNER, false, T0);
        expect(result).toEqual({ Ok: { workflow_id: 'wf-1', kind: { Once: { at: T0 - seconds(5) } }, policies: { missed_run: { RunOnce: null }, overlap: { Skip: null } }, owner: OWNER, input: 'null' } });
    });

    it('owner comes from the request only when the orchestrator calls', () => {
        const req = request({ EveryHeartbeat: null }, { owner: [OWNER] });
        const byOrchestrator = validateScheduleRequest(req, ORCHESTRATOR, true, T0);
        const byStranger = validateScheduleRequest(req, STRANGER, false, T0);
        expect('Ok' in byOrchestrator && byOrchestrator.Ok.owner.toText()).toBe(OWNER.toText());
        expect('Ok' in byStranger && byStranger.Ok.owner.toText()).toBe(STRANGER.toText());
    });
});

describe('Scheduler > lifecycle', () => {
    const valid = { workflow_id: 'wf-1', owner: OWNER, policies: { missed_run: { RunOnce: null }, overlap: { Skip: null } }, input: 'null' } as const;

    it('creates with the first due time', () => {
        const created = createSchedule({ ...valid, kind: { Cron: { expression: '*/5 * * * *' } } }, 'sch-1', T0 + seconds(1));
        expect('Ok' in created && created.Ok.next_due_at).toEqual([T0 + minutes(5)]);
        expect('Ok' in created && created.Ok.schema_version).toBe(SCHEDULE_SCHEMA_VERSION);
    });

    it('pause leaves the due index, drops the buffered run; resume recomputes from now', () => {
        const s: Schedule = { ...makeSchedule({ Interval: { every_seconds: 60n, start_at: [T0], end_at: [] } }, { created_at: T0, next_due_at: T0 + minutes(1) }), buffered_due_at: [T0] };
        const paused = pauseSchedule(s, T0 + seconds(70));
        expect(paused.schedule).toMatchObject({ paused: true, next_due_at: [], buffered_due_at: [] });
        expect(paused.effects).toHaveLength(1);
        expect(pauseSchedule(paused.schedule, T0 + minutes(3)).effects).toEqual([]);
        const resumed = resumeSchedule(paused.schedule, T0 + minutes(30) + seconds(10));
        expect(resumed.schedule.paused).toBe(false);
        expect(resumed.schedule.next_due_at).toEqual([T0 + minutes(31)]);
        expect(resumed.effects).toEqual([]);
    });

    it('resume of a once whose time passed: fires now, or skips under Skip', () => {
        const once = { ...makeSchedule({ Once: { at: T0 } }, { created_at: T0 - minutes(1), next_due_at: undefined }), paused: true };
        expect(resumeSchedule(once, T0 + minutes(5)).schedule.next_due_at).toEqual([T0 + minutes(5)]);
        const skip = resumeSchedule({ ...once, policies: { missed_run: { Skip: null }, overlap: { Skip: null } } }, T0 + minutes(5));
        expect(isEnded(skip.schedule)).toBe(true);
        expect(skip.effects[0]?.type === 'RecordFiring' && skip.effects[0].entry.outcome).toEqual({ Skipped: { reason: { Paused: null }, runs: 1n } });
        expect(resumeSchedule({ ...once, last_due_at: [T0] }, T0 + minutes(5)).schedule.next_due_at).toEqual([]);
        expect(resumeSchedule(once, T0 - seconds(1)).schedule.next_due_at).toEqual([T0]);
    });

    it('owner, orchestrator and admins may manage; strangers may not', () => {
        const s = makeSchedule({ EveryHeartbeat: null }, { created_at: T0, next_due_at: T0 });
        const peers = { orchestrator: ORCHESTRATOR, admins: [] };
        expect(canManage(s, OWNER, peers)).toBe(true);
        expect(canManage(s, ORCHESTRATOR, peers)).toBe(true);
        expect(canManage(s, STRANGER, peers)).toBe(false);
        expect(canManage(s, STRANGER, { orchestrator: undefined, admins: [STRANGER] })).toBe(true);
    });
});
