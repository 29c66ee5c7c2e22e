import type { PocketIc } from '@dfinity/pic';

import { encodeWorkflowDefinition } from '../../../shared/workflow';
import { node } from '../../../shared/workflow/testing';
import { createPic } from '../support/pic';
import { delayDefinition, deployWorkflowEnv, driveToEnd, errTag, nodeOf, okOf, orchestratorAs, statusOf, type WorkflowEnv } from '../support/workflows';

jest.setTimeout(300_000);

/** JSON nested `depth` arrays deep: `[[[...0...]]]`. */
function nestedJson(depth: number): string {
    return `${'['.repeat(depth)}0${']'.repeat(depth)}`;
}

/**
 * The attack of issue 11, replayed as a stranger would: a `start_workflow` node whose child
 * input is JSON nested ~4,950 deep overflowed the orchestrator's stack while its outbox was
 * drained; the whole batch rolled back, the entry stayed first and every owner's executions
 * stalled behind it.
 */
describe('Orchestrator > a poison outbox entry', () => {
    let pic: PocketIc;
    let env: WorkflowEnv;

    beforeAll(async () => {
        pic = await createPic();
        env = await deployWorkflowEnv(pic);
    });

    afterAll(async () => {
        await pic?.tearDown();
    });

    it("does not hold up another owner's executions; it finishes or is dead-lettered", async () => {
        const stranger = orchestratorAs(env, env.stranger.getPrincipal());
        env.orchestrator.setIdentity(env.owner);
        const echo = encodeWorkflowDefinition({ name: 'echo', description: '', nodes: [node('echo', { config: { kind: 'Transform', fields: [{ key: 'x', value: { kind: 'Input', path: '' } }] } })] });
        const child = okOf(await stranger.create_workflow(echo));
        const attack = encodeWorkflowDefinition({
            name: 'deep child input',
            description: '',
            nodes: [node('spawn', { config: { kind: 'StartWorkflow', workflowId: child.id, input: { kind: 'Const', json: nestedJson(4960) } } })]
        });
        const poisoned = okOf(await stranger.start_execution({ workflow_id: okOf(await stranger.create_workflow(attack)).id, input: [] }));

        const mine = okOf(await env.orchestrator.create_workflow(delayDefinition(1000)));
        const x = okOf(await env.orchestrator.start_execution({ workflow_id: mine.id, input: [] }));
        // A one-second delay: a few one-second rounds are enough when nothing blocks it.
        expect(statusOf(await driveToEnd(env, x.id, { stepMs: 1000, maxRounds: 5 }))).toBe('Succeeded');

        // Handled in its own message the entry either completes (its own message has the stack
        // the batch lacked) or, trapping every time, is dead-lettered after three handlings and
        // its node fails: never stuck, never in anyone's way.
        env.orchestrator.setIdentity(env.stranger);
        const finished = await driveToEnd(env, poisoned.id, { stepMs: 121_000, maxRounds: 6 });
        env.orchestrator.setIdentity(env.owner);
        const dead = okOf(await orchestratorAs(env, env.admin.getPrincipal()).list_dead_letters({ cursor: [], limit: 10 })).items;
        if (statusOf(finished) === 'Succeeded') {
            expect(dead).toEqual([]);
        } else {
            expect(nodeOf(finished, 'spawn').error).toEqual([{ kind: { Evaluation: null }, message: expect.stringContaining('dead-lettered (Trapped)'), reject_code: [] }]);
            expect(dead).toEqual([expect.objectContaining({ what: `StartWorkflow ${child.id} (${poisoned.id}/spawn#1)`, reason: { Trapped: { handlings: 3 } } })]);
        }
    });

    it('dead letters are for admins only', async () => {
        expect(errTag(await orchestratorAs(env, env.stranger.getPrincipal()).list_dead_letters({ cursor: [], limit: 10 }))).toBe('Unauthorized');
        expect(errTag(await env.orchestrator.list_dead_letters({ cursor: [], limit: 10 }))).toBe('Unauthorized');
        expect(okOf(await orchestratorAs(env, env.admin.getPrincipal()).list_dead_letters({ cursor: [], limit: 0 })).next_cursor).toEqual([]);
    });
});
