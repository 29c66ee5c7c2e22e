import type { ExecutionStatus } from '../../../../shared/workflow';
import { checkExecutionTransition, checkNodeTransition, isTerminalExecution } from './machine';

describe('Orchestrator > execution state machine', () => {
    const legal: [ExecutionStatus, ExecutionStatus][] = [
        ['Pending', 'Running'],
        ['Pending', 'Cancelled'],
        ['Running', 'Succeeded'],
        ['Running', 'Failed'],
        ['Running', 'Cancelled'],
        ['Running', 'Paused'],
        ['Paused', 'Running'],
        ['Paused', 'Cancelled'],
        ['Paused', 'Failed']
    ];
    it.each(legal)('%s → %s is allowed', (from, to) => {
        expect(checkExecutionTransition(from, to)).toEqual({ Ok: to });
    });

    const illegal: [ExecutionStatus, ExecutionStatus][] = [
        ['Succeeded', 'Running'],
        ['Succeeded', 'Cancelled'],
        ['Failed', 'Running'],
        ['Cancelled', 'Running'],
        ['Pending', 'Succeeded'],
        ['Pending', 'Paused'],
        ['Paused', 'Succeeded'],
        ['Running', 'Pending']
    ];
    it.each(illegal)('%s → %s is a typed error', (from, to) => {
        expect(checkExecutionTransition(from, to)).toEqual({ Err: { kind: 'IllegalExecutionTransition', from, to } });
    });

    it('knows terminal statuses', () => {
        expect((['Succeeded', 'Failed', 'Cancelled'] as const).every(isTerminalExecution)).toBe(true);
        expect((['Pending', 'Running', 'Paused'] as const).some(isTerminalExecution)).toBe(false);
    });

    it('guards node transitions too', () => {
        expect(checkNodeTransition('a', 'Standby', 'Pending')).toEqual({ Ok: 'Pending' });
        expect(checkNodeTransition('a', 'Standby', 'Running')).toEqual({ Err: { kind: 'IllegalNodeTransition', nodeId: 'a', from: 'Standby', to: 'Running' } });
        expect(checkNodeTransition('a', 'Succeeded', 'Failed')).toEqual({ Err: { kind: 'IllegalNodeTransition', nodeId: 'a', from: 'Succeeded', to: 'Failed' } });
    });
});
