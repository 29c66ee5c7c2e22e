import { checkInputAgainst, requiredInputPaths } from './input';
import { NO_RETRY } from './recovery';
import { liquidationWorkflow, node } from './testing';

describe('workflow input > required paths', () => {
    it('collects the Input operands of every node kind, sorted and once each', () => {
        expect(requiredInputPaths(liquidationWorkflow())).toEqual(['repay', 'threshold_e8s']);
        const def = {
            ...liquidationWorkflow(),
            nodes: [
                node('t', { config: { kind: 'Transform', fields: [{ key: 'a', value: { kind: 'Input', path: 'x.y' } }, { key: 'b', value: { kind: 'Const', json: '1' } }] } }),
                node('s', { config: { kind: 'StartWorkflow', workflowId: 'wf-2', input: { kind: 'Input', path: 'child' } } }),
                node('c', { config: { kind: 'Condition', mode: 'Any', clauses: [{ left: { kind: 'Node', nodeId: 't', path: 'a' }, op: 'Eq', right: { kind: 'Input', path: 'x.y' } }] } })
            ]
        };
        expect(requiredInputPaths(def)).toEqual(['child', 'x.y']);
    });

    it("a LiquidatePosition action's input paths are required too (a scheduled run must carry the position)", () => {
        const def = {
            ...liquidationWorkflow(),
            nodes: [
                node('d', {
                    config: { kind: 'Delay', durationMs: 0 },
                    recovery: { retry: NO_RETRY, fallback: { kind: 'StopExecution' }, emergencyActions: [{ kind: 'LiquidatePosition', args: [{ kind: 'Input', path: 'position' }, { kind: 'Const', json: '1' }] }] }
                })
            ]
        };
        expect(requiredInputPaths(def)).toEqual(['position']);
    });

    it('an Exists clause makes its path optional', () => {
        const def = { ...liquidationWorkflow(), nodes: [node('c', { config: { kind: 'Condition', mode: 'All', clauses: [{ left: { kind: 'Input', path: 'maybe' }, op: 'Exists' }] } })] };
        expect(requiredInputPaths(def)).toEqual([]);
    });
});

describe('workflow input > check', () => {
    it('accepts an input that has every required path', () => {
        expect(checkInputAgainst(['repay.amount', 'threshold_e8s'], '{"threshold_e8s":2,"repay":{"amount":5}}')).toBeUndefined();
        expect(checkInputAgainst([], 'null')).toBeUndefined();
    });

    it('names the first missing path as the field', () => {
        expect(checkInputAgainst(['repay', 'threshold_e8s'], '{"repay":1}')).toEqual({ field: 'input.threshold_e8s', message: 'required by the workflow' });
        expect(checkInputAgainst(['a'], 'null')).toEqual({ field: 'input.a', message: 'required by the workflow' });
    });

    it('refuses text that is not JSON', () => {
        expect(checkInputAgainst([], '{nope')).toEqual({ field: 'input', message: expect.stringMatching(/^not JSON/) });
    });
});
