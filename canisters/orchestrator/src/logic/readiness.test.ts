import type { NodeState, NodeStatus, WorkflowNode } from '../../../../shared/workflow';
import { after, node } from '../../../../shared/workflow/testing';
import { nextRunnable } from './readiness';

const cond = (id: string, deps: WorkflowNode['dependsOn'] = []): WorkflowNode =>
    node(id, { config: { kind: 'Condition', mode: 'All', clauses: [{ left: { kind: 'Input', path: 'x' }, op: 'Exists' }] }, dependsOn: deps });

function plan(nodes: WorkflowNode[], states: Record<string, [NodeStatus, string?]>): { run: string[]; skip: string[] } {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const st = (id: string): NodeState | undefined => {
        const s = states[id] ?? ['Pending'];
        // A failed node here took a continuing fallback (with output) or is awaiting its alternative.
        const fallbackTaken = s[0] !== 'Failed' ? undefined : s[1] === undefined ? 'UseAlternativeNode' : 'SkipNode';
        return { nodeId: id, status: s[0], attempts: [], output: s[1], fallbackTaken };
    };
    return nextRunnable(byId, nodes.map((n) => n.id), st);
}

describe('Orchestrator > next runnable nodes', () => {
    const diamond = [node('a'), node('b', { dependsOn: after('a') }), node('c', { dependsOn: after('a') }), node('d', { dependsOn: after('b', 'c') })];
    const branch = [cond('check'), node('yes', { dependsOn: after(['check', 'IfTrue']) }), node('yes2', { dependsOn: after('yes') }), node('no', { dependsOn: after(['check', 'IfFalse']) }), node('join', { dependsOn: after('yes2', 'no'), join: 'Any' }), node('strict', { dependsOn: after('yes2', 'no') })];

    const cases: [string, WorkflowNode[], Record<string, [NodeStatus, string?]>, { run: string[]; skip: string[] }][] = [
        ['roots run first', diamond, {}, { run: ['a'], skip: [] }],
        ['running dependency blocks', diamond, { a: ['Running'] }, { run: [], skip: [] }],
        ['fan-out after success', diamond, { a: ['Succeeded', '1'] }, { run: ['b', 'c'], skip: [] }],
        ['join waits for all', diamond, { a: ['Succeeded', '1'], b: ['Succeeded', '1'], c: ['WaitingRetry'] }, { run: [], skip: [] }],
        ['join runs when all done', diamond, { a: ['Succeeded', '1'], b: ['Succeeded', '1'], c: ['Succeeded', '2'] }, { run: ['d'], skip: [] }],
        ['continuing fallback counts as done', diamond, { a: ['Failed', 'null'], b: ['Succeeded', '1'], c: ['Succeeded', '2'] }, { run: ['d'], skip: [] }],
        ['failed node awaiting its alternative blocks', diamond, { a: ['Failed'] }, { run: [], skip: [] }],
        ['true branch runs, false branch skipped and skip cascades; Any-join runs, All-join skips', branch, { check: ['Succeeded', 'true'] }, { run: ['yes'], skip: ['no'] }],
        ['false branch: exclusive dependents skipped transitively, joins wait for the taken side', branch, { check: ['Succeeded', 'false'] }, { run: ['no'], skip: ['yes', 'yes2'] }],
        ['Any-join runs once its taken side is done', branch, { check: ['Succeeded', 'false'], yes: ['Skipped'], yes2: ['Skipped'], no: ['Succeeded', 'null'] }, { run: ['join'], skip: ['strict'] }],
        ['condition with a null fallback output takes the false branch', branch, { check: ['Failed', 'null'] }, { run: ['no'], skip: ['yes', 'yes2'] }],
        ['node stopped for good halts its dependents', diamond, { a: ['Cancelled'] }, { run: [], skip: [] }],
        ['standby nodes are never picked', [node('s')], { s: ['Standby'] }, { run: [], skip: [] }],
        ['skipped dependency skips an All-join', diamond, { a: ['Succeeded', '1'], b: ['Skipped'], c: ['Succeeded', '1'] }, { run: [], skip: ['d'] }]
    ];

    it.each(cases)('%s', (_l, nodes, states, expected) => {
        const r = plan(nodes, states);
        expect({ run: r.run, skip: [...r.skip].sort() }).toEqual({ run: expected.run, skip: [...expected.skip].sort() });
    });
});
