import { encodeWorkflowDefinition, WORKFLOW_LIMITS } from '../../../shared/workflow';
import { node } from '../../../shared/workflow/testing';
import { createWorkflow, delayDefinition, driveToEnd, errTag, nodeOf, okOf, orchestratorAs, statusOf, useWorkflowEnv } from '../support/workflows';

jest.setTimeout(300_000);

/** JSON nested `depth` arrays deep: `[[[...0...]]]`. */
function nestedJson(depth: number): string {
    return `${'['.repeat(depth)}0${']'.repeat(depth)}`;
}

const TOO_DEEP = { InvalidInput: { field: expect.any(String), message: `nested deeper than ${WORKFLOW_LIMITS.maxJsonDepth} levels` } };

function constTransform(json: string): ReturnType<typeof encodeWorkflowDefinition> {
    return encodeWorkflowDefinition({ name: 'deep', description: '', nodes: [node('t', { config: { kind: 'Transform', fields: [{ key: 'x', value: { kind: 'Const', json } }] } })] });
}

describe('Orchestrator > hostile input', () => {
    const env = useWorkflowEnv();

    afterEach(() => env.orchestrator.setIdentity(env.owner));

    /**
     * The attack of issue 11, replayed as a stranger would: a `start_workflow` node whose child
     * input is JSON nested ~4,950 deep overflowed the orchestrator's stack while its outbox was
     * drained; the whole batch rolled back, the entry stayed first and every owner's executions
     * stalled behind it. Now the definition is refused, and (should anything trap in the outbox)
     * each entry is handled in its own message and dead-lettered after three traps.
     */
    it("a stranger's deeply nested child input is refused and another owner's one-second delay completes on time", async () => {
        const stranger = orchestratorAs(env, env.stranger.getPrincipal());
        const child = okOf(await stranger.create_workflow(delayDefinition(1)));
        const attack = encodeWorkflowDefinition({
            name: 'deep child input',
            description: '',
            nodes: [node('spawn', { config: { kind: 'StartWorkflow', workflowId: child.id, input: { kind: 'Const', json: nestedJson(4960) } } })]
        });
        expect(await stranger.create_workflow(attack)).toEqual({ Err: { InvalidInput: { field: 'nodes.0.config.input.json', message: TOO_DEEP.InvalidInput.message } } });

        const mine = await createWorkflow(env, delayDefinition(1000));
        const x = okOf(await env.orchestrator.start_execution({ workflow_id: mine.id, input: [] }));
        // A one-second delay: a few one-second rounds are enough when nothing blocks it.
        expect(statusOf(await driveToEnd(env, x.id, { stepMs: 1000, maxRounds: 5 }))).toBe('Succeeded');
        expect(okOf(await orchestratorAs(env, env.admin.getPrincipal()).list_dead_letters({ cursor: [], limit: 10 })).items).toEqual([]);
    });

    it('create_workflow and update_workflow refuse JSON nested 8,000 deep with a typed error', async () => {
        expect(await env.orchestrator.create_workflow(constTransform(nestedJson(8000)))).toEqual({ Err: TOO_DEEP });
        const wf = await createWorkflow(env, constTransform(nestedJson(WORKFLOW_LIMITS.maxJsonDepth)));
        expect(await env.orchestrator.update_workflow({ workflow_id: wf.id, expected_version: [], definition: constTransform(nestedJson(8000)) })).toEqual({ Err: TOO_DEEP });
        expect(okOf(await env.orchestrator.get_workflow({ workflow_id: wf.id, version: [] })).version).toBe(1);
    });

    it('start_execution refuses an input nested 8,000 deep with a typed error', async () => {
        const wf = await createWorkflow(env, delayDefinition(1));
        expect(await env.orchestrator.start_execution({ workflow_id: wf.id, input: [nestedJson(8000)] })).toEqual({ Err: TOO_DEEP });
        expect(okOf(await env.orchestrator.list_executions({ workflow_id: [wf.id], status: [], page: { cursor: [], limit: 10 }, order: [] })).items).toEqual([]);
    });

    it("an output nested 8,000 deep fails its attempt as InvalidReply instead of trapping the executor's report", async () => {
        const wf = await createWorkflow(env, delayDefinition(60_000));
        const x = okOf(await env.orchestrator.start_execution({ workflow_id: wf.id, input: [] }));
        const asExecutor = orchestratorAs(env, env.deployment.peers.executor);
        const report = { execution_id: x.id, node_id: 'wait', attempt: 1, started_at: 0n, finished_at: 0n, outcome: { Succeeded: { output: nestedJson(8000) } } };
        expect(await asExecutor.report_node_result(report)).toEqual({ Ok: null });
        const after = okOf(await env.orchestrator.get_execution({ execution_id: x.id }));
        expect(nodeOf(after, 'wait').attempts[0]?.error).toEqual([expect.objectContaining({ kind: { InvalidReply: null } })]);
    });

    it('dead letters are for admins only', async () => {
        expect(errTag(await orchestratorAs(env, env.stranger.getPrincipal()).list_dead_letters({ cursor: [], limit: 10 }))).toBe('Unauthorized');
        expect(errTag(await env.orchestrator.list_dead_letters({ cursor: [], limit: 10 }))).toBe('Unauthorized');
        expect(errTag(await orchestratorAs(env, env.admin.getPrincipal()).list_dead_letters({ cursor: [], limit: 101 }))).toBe('InvalidInput');
        expect(okOf(await orchestratorAs(env, env.admin.getPrincipal()).list_dead_letters({ cursor: [], limit: 0 })).next_cursor).toEqual([]);
    });
});
