import { AnonymousIdentity } from '@dfinity/agent';

import { encodeWorkflowDefinition } from '../../../shared/workflow';
import { after, node } from '../../../shared/workflow/testing';
import { createWorkflow, delayDefinition, driveUntil, errTag, nodeStatus, okOf, orchestratorAs, setSystemMode, statusOf, useWorkflowEnv } from '../support/workflows';


jest.setTimeout(180_000);

describe('Orchestrator > access and validation', () => {
    const env = useWorkflowEnv();
    let workflowId: string;

    beforeAll(async () => {
        workflowId = (await createWorkflow(env, delayDefinition(60_000))).id;
    });

    afterEach(() => env.orchestrator.setIdentity(env.owner));

    describe('stranger', () => {
        beforeEach(() => env.orchestrator.setIdentity(env.stranger));

        it('cannot read, start, pause or delete the workflow', async () => {
            expect(errTag(await env.orchestrator.get_workflow({ workflow_id: workflowId, version: [] }))).toBe('Unauthorized');
            expect(errTag(await env.orchestrator.start_execution({ workflow_id: workflowId, input: [] }))).toBe('Unauthorized');
            expect(errTag(await env.orchestrator.pause_workflow({ workflow_id: workflowId }))).toBe('Unauthorized');
            expect(errTag(await env.orchestrator.delete_workflow({ workflow_id: workflowId }))).toBe('Unauthorized');
            expect(okOf(await env.orchestrator.list_workflows({ cursor: [], limit: 0 })).items).toEqual([]);
        });

        it('cannot call peer endpoints', async () => {
            const r = await env.orchestrator.report_node_result({ execution_id: 'ex-1', node_id: 'a', attempt: 1, started_at: 0n, finished_at: 0n, outcome: { Succeeded: { output: 'null' } } });
            expect(errTag(r)).toBe('Unauthorized');
        });
    });

    describe('anonymous', () => {
        it('cannot create workflows', async () => {
            env.orchestrator.setIdentity(new AnonymousIdentity());
            expect(errTag(await env.orchestrator.create_workflow(delayDefinition(1)))).toBe('Unauthorized');
        });
    });

    describe('dapp canister', () => {
        it('owns its workflows and its starts are recorded as Dapp { canister }', async () => {
            const dapp = orchestratorAs(env, env.ids.lending);
            const wf = okOf(await dapp.create_workflow(delayDefinition(60_000)));
            const x = okOf(await dapp.start_execution({ workflow_id: wf.id, input: [] }));
            expect(x.trigger).toEqual({ Dapp: { canister: env.ids.lending } });
            okOf(await dapp.cancel_execution({ execution_id: x.id }));
            // Its own workflow: the owner tests below count the executions of `workflowId`.
            const own = await createWorkflow(env, delayDefinition(60_000));
            const manual = okOf(await env.orchestrator.start_execution({ workflow_id: own.id, input: [] }));
            expect(manual.trigger).toEqual({ Manual: null });
            okOf(await env.orchestrator.cancel_execution({ execution_id: manual.id }));
        });
    });

    describe('owner', () => {
        it('resuming a workflow during emergency mode leaves its executions paused until the mode is lifted', async () => {
            const wf = await createWorkflow(env, delayDefinition(60_000));
            const x = okOf(await env.orchestrator.start_execution({ workflow_id: wf.id, input: [] }));
            okOf(await env.orchestrator.pause_workflow({ workflow_id: wf.id }));
            await setSystemMode(env, 'Emergency');
            try {
                okOf(await env.orchestrator.resume_workflow({ workflow_id: wf.id }));
                expect(statusOf(okOf(await env.orchestrator.get_execution({ execution_id: x.id })))).toBe('Paused');
            } finally {
                await setSystemMode(env, 'Normal');
            }
            expect(statusOf(okOf(await env.orchestrator.get_execution({ execution_id: x.id })))).toBe('Running');
            okOf(await env.orchestrator.cancel_execution({ execution_id: x.id }));
        });

        it('starts and cancels; delete is refused while the execution runs', async () => {
            const x = okOf(await env.orchestrator.start_execution({ workflow_id: workflowId, input: [] }));
            expect(errTag(await env.orchestrator.delete_workflow({ workflow_id: workflowId }))).toBe('Conflict');
            const cancelled = okOf(await env.orchestrator.cancel_execution({ execution_id: x.id }));
            expect(statusOf(cancelled)).toBe('Cancelled');
            expect(nodeStatus(cancelled, 'wait')).toBe('Cancelled');
            expect(errTag(await env.orchestrator.cancel_execution({ execution_id: x.id }))).toBe('Conflict');
            await driveUntil(env, x.id, () => false, { maxRounds: 3 });
            const attempt = okOf(await env.executor.get_node_attempt({ execution_id: x.id, node_id: 'wait', attempt: 1 }));
            expect(Object.keys(attempt.status)[0]).toBe('Cancelled');
            expect(okOf(await env.orchestrator.list_executions({ workflow_id: [workflowId], status: [{ Cancelled: null }], page: { cursor: [], limit: 10 }, order: [] })).items.map((i) => i.id)).toEqual([x.id]);
        });

        it('gets typed errors for malformed definitions and nothing is stored', async () => {
            const before = okOf(await env.orchestrator.list_workflows({ cursor: [], limit: 100 })).items.length;
            const empty = await env.orchestrator.create_workflow({ ...delayDefinition(1), nodes: [] });
            expect(empty).toEqual({ Err: { InvalidInput: expect.objectContaining({ field: 'nodes' }) } });
            const cycle = await env.orchestrator.create_workflow(encodeWorkflowDefinition({ name: 'cycle', description: '', nodes: [node('a', { dependsOn: after('b') }), node('b', { dependsOn: after('a') })] }));
            expect(errTag(cycle)).toBe('CycleDetected');
            const unknown = await env.orchestrator.create_workflow(encodeWorkflowDefinition({ name: 'dangling', description: '', nodes: [node('a', { dependsOn: after('ghost') })] }));
            expect(unknown).toEqual({ Err: { UnknownNode: { node_id: 'ghost', referenced_by: 'a' } } });
            expect(okOf(await env.orchestrator.list_workflows({ cursor: [], limit: 100 })).items).toHaveLength(before);
        });
    });
});
