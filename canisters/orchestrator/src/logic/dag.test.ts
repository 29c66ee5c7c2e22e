import { after, liquidationWorkflow, node } from '../../../../shared/workflow/testing';
import type { WorkflowDefinition, WorkflowNode } from '../../../../shared/workflow';
import { dagErrorToApiError, validateDag, type DagError } from './dag';

const def = (...nodes: WorkflowNode[]): WorkflowDefinition => ({ name: 't', description: '', nodes });
const cond = (id: string, over: Partial<WorkflowNode> = {}): WorkflowNode =>
    node(id, { config: { kind: 'Condition', mode: 'All', clauses: [{ left: { kind: 'Input', path: 'x' }, op: 'Exists' }] }, ...over });
const readsNode = (id: string, reads: string, over: Partial<WorkflowNode> = {}): WorkflowNode =>
    node(id, { config: { kind: 'Transform', fields: [{ key: 'v', value: { kind: 'Node', nodeId: reads, path: '' } }] }, ...over });
const readsError = (id: string, reads: string, over: Partial<WorkflowNode> = {}): WorkflowNode =>
    node(id, { config: { kind: 'Transform', fields: [{ key: 'why', value: { kind: 'Error', nodeId: reads, path: 'value' } }] }, ...over });
const alt = (id: string, alternative: string, over: Partial<WorkflowNode> = {}): WorkflowNode =>
    node(id, { recovery: { retry: { maxRetries: 0, initialDelayMs: 0, backoffFactor: 1, maxDelayMs: 0, jitter: false }, fallback: { kind: 'UseAlternativeNode', nodeId: alternative }, emergencyActions: [] }, ...over });

describe('Orchestrator > DAG validation', () => {
    it('accepts the liquidation workflow and orders dependencies first', () => {
        const r = validateDag(liquidationWorkflow());
        expect('Ok' in r).toBe(true);
        if (!('Ok' in r)) return;
        const pos = (id: string): number => r.Ok.order.indexOf(id);
        expect(pos('backup_price')).toBeLessThan(pos('price'));
        expect(pos('price')).toBeLessThan(pos('check'));
        expect(pos('check')).toBeLessThan(pos('repay'));
        expect(pos('repay')).toBeLessThan(pos('summary'));
        expect([...r.Ok.standby]).toEqual(['backup_price']);
    });

    const cases: [string, WorkflowDefinition, DagError][] = [
        ['too many nodes', def(...Array.from({ length: 101 }, (_, i) => node(`n${i}`))), { kind: 'TooManyNodes', count: 101, max: 100 }],
        ['duplicate id', def(node('a'), node('b'), node('a')), { kind: 'DuplicateNodeId', nodeId: 'a' }],
        ['unknown dependency', def(node('a', { dependsOn: after('ghost') })), { kind: 'UnknownNode', nodeId: 'ghost', referencedBy: 'a' }],
        ['unknown operand reference', def(readsNode('a', 'ghost')), { kind: 'UnknownNode', nodeId: 'ghost', referencedBy: 'a' }],
        ['unknown alternative', def(alt('a', 'ghost')), { kind: 'UnknownNode', nodeId: 'ghost', referencedBy: 'a' }],
        ['self dependency', def(node('a', { dependsOn: after('a') })), { kind: 'Cycle', path: ['a', 'a'] }],
        ['three-node cycle with its path', def(node('a', { dependsOn: after('c') }), node('b', { dependsOn: after('a') }), node('c', { dependsOn: after('b') })), { kind: 'Cycle', path: ['a', 'c', 'b', 'a'] }],
        ['cycle through an alternative', def(alt('a', 'b'), node('b', { dependsOn: after('x') }), node('x', { dependsOn: after('a') })), { kind: 'Cycle', path: ['a', 'b', 'x', 'a'] }],
        ['mutual alternatives', def(alt('a', 'b'), alt('b', 'a')), { kind: 'Cycle', path: ['a', 'b', 'a'] }],
        ['duplicate dependency', def(node('a'), node('b', { dependsOn: after('a', 'a') })), { kind: 'DuplicateDependency', nodeId: 'b', dependency: 'a' }],
        ['branch edge from a non-condition', def(node('a'), node('b', { dependsOn: after(['a', 'IfTrue']) })), { kind: 'BranchFromNonCondition', nodeId: 'b', dependency: 'a' }],
        ['alternative is itself', def(alt('a', 'a')), { kind: 'AlternativeIsSelf', nodeId: 'a' }],
        ['alternative shared by two nodes', def(alt('a', 's'), alt('b', 's'), node('s')), { kind: 'AlternativeShared', alternative: 's', usedBy: ['a', 'b'] }],
        ['depending on a standby node', def(alt('a', 's'), node('s'), node('b', { dependsOn: after('s') })), { kind: 'DependsOnStandby', nodeId: 'b', standby: 's' }],
        ['reading a standby node', def(alt('a', 's'), node('s'), readsNode('b', 's', { dependsOn: after('a') })), { kind: 'DependsOnStandby', nodeId: 'b', standby: 's' }],
        ['reading a node that is not an ancestor', def(node('a'), readsNode('b', 'a')), { kind: 'OperandNotAncestor', nodeId: 'b', reads: 'a' }],
        ['condition reading a sibling', def(node('a'), node('b'), cond('c', { dependsOn: after('a'), config: { kind: 'Condition', mode: 'All', clauses: [{ left: { kind: 'Node', nodeId: 'b', path: 'x' }, op: 'Exists' }] } })), { kind: 'OperandNotAncestor', nodeId: 'c', reads: 'b' }]
    ];

    it.each(cases)('%s', (_label, d, expected) => {
        expect(validateDag(d)).toEqual({ Err: expected });
    });

    it('accepts reading an indirect ancestor and a branch edge from a condition', () => {
        const d = def(node('a'), cond('c', { dependsOn: after('a') }), readsNode('t', 'a', { dependsOn: after(['c', 'IfFalse']) }));
        expect('Ok' in validateDag(d)).toBe(true);
    });

    it.each<[string, WorkflowDefinition, DagError | 'Ok']>([
        ["an alternative reads the error of the node it replaces", def(alt('a', 'catch'), readsError('catch', 'a')), 'Ok'],
        ['a node after a failed node reads its error', def(node('a'), readsError('b', 'a', { dependsOn: after('a') })), 'Ok'],
        ['a sibling may not read an error', def(node('a'), readsError('b', 'a')), { kind: 'OperandNotAncestor', nodeId: 'b', reads: 'a' }],
        ['an unknown node has no error', def(readsError('b', 'ghost')), { kind: 'UnknownNode', nodeId: 'ghost', referencedBy: 'b' }],
        ['a node may not read its own output', def(readsNode('a', 'a')), { kind: 'OperandNotAncestor', nodeId: 'a', reads: 'a' }]
    ])('error operands: %s', (_label, d, expected) => {
        const r = validateDag(d);
        if (expected === 'Ok') expect('Ok' in r).toBe(true);
        else expect(r).toEqual({ Err: expected });
    });

    it('maps graph errors to typed API errors', () => {
        expect(dagErrorToApiError({ kind: 'Cycle', path: ['a', 'b', 'a'] })).toEqual({ CycleDetected: { path: ['a', 'b', 'a'] } });
        expect(dagErrorToApiError({ kind: 'UnknownNode', nodeId: 'x', referencedBy: 'y' })).toEqual({ UnknownNode: { node_id: 'x', referenced_by: 'y' } });
        expect(dagErrorToApiError({ kind: 'TooManyNodes', count: 101, max: 100 })).toEqual({ LimitExceeded: { limit: 'nodes', max: 100n } });
        for (const [, , e] of cases) {
            const apiErr = dagErrorToApiError(e);
            expect(Object.keys(apiErr)).toHaveLength(1);
            if ('InvalidInput' in apiErr) expect(apiErr.InvalidInput.field.startsWith('nodes.')).toBe(true);
        }
    });
});
