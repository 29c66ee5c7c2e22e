import type { WorkflowTarget } from '../../../../shared/scheduling/target';
import { fireDueSchedule, onStartSettled } from './fire';
import { judgeStartReply } from './outbox';
import { applyWorkflowTarget, holdFor } from './hold';
import { newOutboxEntry } from './outbox';
import { makeSchedule } from './test-fixtures';
import { isoNs, minutes, seconds } from './time';

const T0 = isoNs('2025-03-10T12:00:00Z');
const schedule = (input = '{"threshold_e8s":1}') => ({ ...makeSchedule({ Interval: { every_seconds: 60n, start_at: [T0], end_at: [] } }, { created_at: T0, next_due_at: T0 + minutes(1) }), input });
const target = (state: WorkflowTarget['state'], changed_at: bigint, required_input: string[] = ['threshold_e8s']): WorkflowTarget => ({ workflow_id: 'wf-1', state, required_input, changed_at });

describe('Scheduler > schedules follow their workflow', () => {
    it('the hold of each workflow state', () => {
        expect(holdFor(target({ Active: null }, 1n), '{"threshold_e8s":1}')).toBeUndefined();
        expect(holdFor(target({ Paused: null }, 1n), '{"threshold_e8s":1}')).toEqual({ WorkflowPaused: null });
        expect(holdFor(target({ Deleted: null }, 1n), 'null')).toEqual({ WorkflowDeleted: null });
        expect(holdFor(target({ Active: null }, 1n), '{}')).toEqual({ InputRejected: { field: 'input.threshold_e8s', message: 'required by the workflow' } });
    });

    it('a paused workflow holds the schedule out of the due index; resuming it recomputes the next due time from now', () => {
        const held = applyWorkflowTarget(schedule(), target({ Paused: null }, T0 + seconds(10)), T0 + seconds(10)).schedule;
        expect(held).toMatchObject({ paused: false, hold: [{ WorkflowPaused: null }], next_due_at: [], workflow_changed_at: T0 + seconds(10) });
        expect(fireDueSchedule({ ...held, next_due_at: [T0] }, { now: T0 + minutes(5), mode: { Normal: null } }).effects).toEqual([]);
        const released = applyWorkflowTarget(held, target({ Active: null }, T0 + minutes(30)), T0 + minutes(30) + seconds(5)).schedule;
        expect(released).toMatchObject({ hold: [], next_due_at: [T0 + minutes(31)] });
    });

    it('a notice older than the one applied changes nothing (notices may arrive out of order)', () => {
        const held = applyWorkflowTarget(schedule(), target({ Paused: null }, T0 + seconds(20)), T0 + seconds(20)).schedule;
        const late = applyWorkflowTarget(held, target({ Active: null }, T0 + seconds(10)), T0 + seconds(30));
        expect(late).toEqual({ schedule: held, effects: [] });
    });

    it('an owner-paused schedule stays paused when its workflow resumes', () => {
        const paused = { ...schedule(), paused: true, next_due_at: [] as [] };
        const held = applyWorkflowTarget(paused, target({ Paused: null }, 5n), 5n).schedule;
        const released = applyWorkflowTarget(held, target({ Active: null }, 6n), 6n).schedule;
        expect(released).toMatchObject({ paused: true, hold: [], next_due_at: [] });
    });

    it('a new version that reads an input the schedule lacks holds it until a version accepts it', () => {
        const rejected = applyWorkflowTarget(schedule(), target({ Active: null }, 5n, ['threshold_e8s', 'repay']), T0).schedule;
        expect(rejected.hold).toEqual([{ InputRejected: { field: 'input.repay', message: 'required by the workflow' } }]);
        expect(rejected.next_due_at).toEqual([]);
        const accepted = applyWorkflowTarget(rejected, target({ Active: null }, 6n, ['threshold_e8s']), T0 + seconds(1)).schedule;
        expect(accepted).toMatchObject({ hold: [], next_due_at: [T0 + minutes(1)] });
    });

    it('a start answered Held is skipped (not failed) and holds the schedule', () => {
        const due = T0 + minutes(1);
        const fired = fireDueSchedule(schedule(), { now: due, mode: { Normal: null } });
        const entry = newOutboxEntry(fired.schedule, due, due);
        expect(entry.input).toEqual(['{"threshold_e8s":1}']);
        const decision = judgeStartReply(entry, { Held: target({ Paused: null }, due) });
        if (decision.kind !== 'Settled') throw new Error('Held settles the start');
        const step = onStartSettled(fired.schedule, entry, decision.outcome, decision.held, { now: due + 1n, mode: { Normal: null } });
        expect(step.effects).toContainEqual({ type: 'UpdateFiring', schedule_id: 's1', due_at: due, outcome: { Skipped: { reason: { WorkflowHeld: null }, runs: 1n } } });
        expect(step.schedule).toMatchObject({ hold: [{ WorkflowPaused: null }], next_due_at: [], in_flight: [] });
    });
});
