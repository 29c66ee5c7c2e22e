import type { ExecutionStatus } from '../../../../shared/workflow';
import { holdAction, holdCause, type HoldAction, type PauseCause } from './hold';

describe('Orchestrator > what holds an execution', () => {
    it.each([
        [false, false, undefined],
        [true, false, 'Workflow'],
        [false, true, 'Emergency'],
        [true, true, 'Workflow']
    ] as const)('workflow paused %s, emergency %s -> %s', (workflowPaused, emergencyMode, cause) => {
        expect(holdCause({ workflowPaused, emergencyMode })).toBe(cause);
    });

    const cases: [string, ExecutionStatus, PauseCause | undefined, PauseCause | undefined, HoldAction][] = [
        ['running, nothing holds it: keeps running', 'Running', undefined, undefined, { kind: 'None' }],
        ['running, workflow paused: pauses', 'Running', undefined, 'Workflow', { kind: 'Pause', cause: 'Workflow' }],
        ['running, emergency mode: pauses', 'Running', undefined, 'Emergency', { kind: 'Pause', cause: 'Emergency' }],
        ['paused by the workflow, resumed during emergency mode: stays paused, held by emergency', 'Paused', 'Workflow', 'Emergency', { kind: 'Relabel', cause: 'Emergency' }],
        ['paused by emergency, workflow paused meanwhile, emergency lifted: stays paused for the owner', 'Paused', 'Emergency', 'Workflow', { kind: 'Relabel', cause: 'Workflow' }],
        ['paused by emergency, still in emergency: nothing to do', 'Paused', 'Emergency', 'Emergency', { kind: 'None' }],
        ['paused by emergency, lifted: resumes', 'Paused', 'Emergency', undefined, { kind: 'Resume' }],
        ['paused by the workflow, resumed in normal mode: resumes', 'Paused', 'Workflow', undefined, { kind: 'Resume' }],
        ['finished executions are left alone', 'Succeeded', undefined, 'Emergency', { kind: 'None' }],
        ['cancelled executions are left alone', 'Cancelled', undefined, undefined, { kind: 'None' }]
    ];

    it.each(cases)('%s', (_label, status, pausedBy, cause, expected) => {
        expect(holdAction({ status, pausedBy }, cause)).toEqual(expected);
    });
});
