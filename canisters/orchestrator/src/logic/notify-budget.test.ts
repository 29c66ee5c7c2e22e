import type { Execution, WorkflowDefinition, WorkflowNode } from '../../../../shared/workflow';
import { after, node } from '../../../../shared/workflow/testing';
import { startExecution } from './advance';
import { compileWorkflow, type CompiledWorkflow } from './draft';
import type { Effect } from './effects';
import { handleNodeResult } from './outcome';

const T0 = 1_000_000_000_000n;
const ranBy = { packageVersion: '0.1.0', buildId: 'test', canisterVersion: 1n };
const notify = (id: string, over: Partial<WorkflowNode> = {}): WorkflowNode => node(id, { config: { kind: 'Notify', level: 'Info', message: id }, ...over });

function compile(nodes: WorkflowNode[], notifications?: number): CompiledWorkflow {
    const def: WorkflowDefinition = { name: 't', description: '', nodes };
    const c = compileWorkflow(def);
    if ('Err' in c) throw new Error(JSON.stringify(c.Err));
    return notifications === undefined ? c.Ok : { ...c.Ok, budget: { notifications } };
}

function start(wf: CompiledWorkflow): { exec: Execution; effects: Effect[] } {
    const r = startExecution(wf, { id: 'ex-1', workflowId: 'wf-1', workflowVersion: 1, trigger: { kind: 'Manual' }, input: 'null', ranBy }, T0);
    return { exec: r.state, effects: r.effects };
}

const nodeOf = (x: Execution, id: string) => x.nodes.find((n) => n.nodeId === id);

describe("Orchestrator > owner's notification budget", () => {
    it('sends notifications while the budget lasts; the next Notify node fails QuotaExceeded and nothing is sent for it', () => {
        const wf = compile([notify('a'), notify('b', { dependsOn: after('a'), recovery: { ...node('x').recovery, fallback: { kind: 'SkipNode' } } })], 1);
        const { exec, effects } = start(wf);
        expect(effects.filter((e) => e.kind === 'Notify').map((e) => (e.kind === 'Notify' ? e.nodeId : ''))).toEqual(['a']);
        expect(effects).toContainEqual({ kind: 'NotificationRefused', executionId: 'ex-1', nodeId: 'b' });
        expect(nodeOf(exec, 'a')?.status).toBe('Succeeded');
        expect(nodeOf(exec, 'b')).toMatchObject({ status: 'Failed', error: { kind: 'QuotaExceeded' }, fallbackTaken: 'SkipNode' });
    });

    it('refuses emergency and fallback notifications over the budget too, and lets the node fail as its policy says', () => {
        const failing = node('call', {
            config: { kind: 'Call', canister: 'rrkah-fqaaa-aaaaa-aaaaq-cai', method: 'm', args: { kind: 'Raw', bytes: new Uint8Array() }, cycles: 0n, reply: { kind: 'Raw' } },
            recovery: {
                retry: { maxRetries: 0, initialDelayMs: 0, backoffFactor: 1, maxDelayMs: 0, jitter: false },
                fallback: { kind: 'NotifyAndContinue', level: 'Warning', message: 'fallback' },
                emergencyActions: [{ kind: 'SendNotification', level: 'Critical', message: 'emergency' }]
            }
        });
        const wf = compile([failing], 1);
        const s = start(wf);
        const r = handleNodeResult(wf, s.exec, { nodeId: 'call', attempt: 1, startedAt: T0, finishedAt: T0, outcome: { kind: 'Failed', error: { kind: 'Rejected', message: 'no' } } }, T0 + 1n);
        expect(r.effects.filter((e) => e.kind === 'Notify').map((e) => (e.kind === 'Notify' ? e.message : ''))).toEqual(['emergency']);
        expect(r.effects.filter((e) => e.kind === 'NotificationRefused')).toHaveLength(1);
        expect(nodeOf(r.state, 'call')).toMatchObject({ status: 'Failed', fallbackTaken: 'NotifyAndContinue' });
    });

    it('limits nothing without a budget (tools and tests)', () => {
        const { effects } = start(compile([notify('a'), notify('b', { dependsOn: after('a') })]));
        expect(effects.filter((e) => e.kind === 'Notify')).toHaveLength(2);
    });
});
