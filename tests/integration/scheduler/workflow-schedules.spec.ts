/**
 * Scheduler > schedules of real workflows: the real orchestrator and the demo canisters.
 * A schedule carries the input of its runs (a scheduled liquidation repays), is refused at
 * creation for a missing or foreign workflow or an input the workflow cannot run with, and
 * follows its workflow: held while it is paused or deleted, released when it resumes.
 */
import { AnonymousIdentity } from '@dfinity/agent';
import type { Actor } from '@dfinity/pic';

import type { Schedule } from '../../../shared/scheduling/schedule';
import { createPic } from '../support/pic';
import { advanceSeconds, advanceTo, request, schedulerIdlFactory, unwrap, type SchedulerService } from '../support/scheduling';
import { deflowActor } from '../support/deflow';
import { createWorkflow, deployWorkflowEnv, driveToEnd, liquidationDefinition, liquidationInput, nodeStatus, okOf, statusOf, type Identity, type WorkflowEnv } from '../support/workflows';

jest.setTimeout(240_000);

const EVERY_MINUTE = { Interval: { every_seconds: 60n, start_at: [] as [], end_at: [] as [] } };

describe('Scheduler > schedules of real workflows', () => {
    let env: WorkflowEnv;
    let scheduler: Actor<SchedulerService>;
    const schedulerAs = (identity: Identity | AnonymousIdentity): Actor<SchedulerService> => deflowActor<SchedulerService>(env.pic, env.deployment, 'scheduler', schedulerIdlFactory, identity);

    beforeAll(async () => {
        env = await deployWorkflowEnv(await createPic());
        scheduler = schedulerAs(env.owner);
    });

    afterAll(async () => {
        await env?.pic.tearDown();
    });

    /** The execution the schedule's latest firing started. */
    async function lastStarted(s: Schedule): Promise<string> {
        const firings = unwrap(await scheduler.get_schedule(s.id)).recent_firings;
        const last = firings[firings.length - 1];
        if (last === undefined || !('Started' in last.outcome)) throw new Error(`no started firing: ${JSON.stringify(last?.outcome)}`);
        return last.outcome.Started.execution_id;
    }

    it('a scheduled liquidation run gets the schedule input and repays', async () => {
        const wf = await createWorkflow(env, liquidationDefinition(env.ids));
        await env.oracle.set_price(50_000_000n);
        const before = await env.lending.repay_count();
        const [input] = liquidationInput(60_000_000n, 9n);
        const s = unwrap(await scheduler.schedule_workflow_execution(request(EVERY_MINUTE, undefined, wf.id, input)));
        expect(s).toMatchObject({ input, hold: [] });
        await advanceTo(env.pic, s.next_due_at[0]!, 3);
        const done = await driveToEnd(env, await lastStarted(s));
        expect(statusOf(done)).toBe('Succeeded');
        expect(done.input).toBe(input);
        expect(nodeStatus(done, 'repay')).toBe('Succeeded');
        expect(await env.lending.repay_count()).toBe(before + 1n);
        unwrap(await scheduler.cancel_persistent_execution(s.id));
    });

    describe('creation is refused with a typed error, and nothing is created', () => {
        let workflowId: string;
        beforeAll(async () => {
            workflowId = (await createWorkflow(env, liquidationDefinition(env.ids))).id;
        });

        it('owner: a workflow that does not exist is NotFound', async () => {
            expect(await scheduler.schedule_workflow_execution(request(EVERY_MINUTE, undefined, 'wf-99999999', 'null'))).toEqual({ Err: { NotFound: { entity: 'workflow', id: 'wf-99999999' } } });
        });

        it('owner: an input without a path the workflow reads is InvalidInput on that path', async () => {
            const r = await scheduler.schedule_workflow_execution(request(EVERY_MINUTE, undefined, workflowId, '{"repay":{"amount":1,"position":"p"}}'));
            expect(r).toEqual({ Err: { InvalidInput: { field: 'input.threshold_e8s', message: 'required by the workflow' } } });
            const bad = await scheduler.schedule_workflow_execution(request(EVERY_MINUTE, undefined, workflowId, '{not json'));
            expect(bad).toEqual({ Err: { InvalidInput: { field: 'input', message: expect.any(String) } } });
        });

        it("stranger: another owner's workflow is Unauthorized", async () => {
            const stranger = schedulerAs(env.stranger);
            const r = await stranger.schedule_workflow_execution(request(EVERY_MINUTE, undefined, workflowId, liquidationInput(1n)[0]));
            expect(r).toEqual({ Err: { Unauthorized: { caller: env.stranger.getPrincipal() } } });
            expect(unwrap(await stranger.list_persistent_scheduled_executions({ workflow_id: [], owner: [], cursor: [], limit: [] })).items).toEqual([]);
        });

        it('anonymous: Unauthorized', async () => {
            const r = await schedulerAs(new AnonymousIdentity()).schedule_workflow_execution(request(EVERY_MINUTE, undefined, workflowId, liquidationInput(1n)[0]));
            expect(Object.keys('Err' in r ? r.Err : {})).toEqual(['Unauthorized']);
        });

        it('the owner lists only the schedules that were created', async () => {
            const mine = unwrap(await scheduler.list_persistent_scheduled_executions({ workflow_id: [workflowId], owner: [], cursor: [], limit: [] }));
            expect(mine.items).toEqual([]);
        });
    });

    describe('a schedule follows its workflow', () => {
        it('is held while the workflow is paused (no firing, no failure) and fires again once it resumes', async () => {
            const wf = await createWorkflow(env, liquidationDefinition(env.ids));
            await env.oracle.set_price(90_000_000n);
            const s = unwrap(await scheduler.schedule_workflow_execution(request(EVERY_MINUTE, undefined, wf.id, liquidationInput(60_000_000n)[0])));
            okOf(await env.orchestrator.pause_workflow({ workflow_id: wf.id }));
            await env.pic.tick(3);
            const held = unwrap(await scheduler.get_schedule(s.id));
            expect(held.schedule).toMatchObject({ paused: false, hold: [{ WorkflowPaused: null }], next_due_at: [] });
            await advanceSeconds(env.pic, 300, 3);
            expect(unwrap(await scheduler.get_schedule(s.id)).recent_firings).toEqual([]);

            okOf(await env.orchestrator.resume_workflow({ workflow_id: wf.id }));
            await env.pic.tick(3);
            const released = unwrap(await scheduler.get_schedule(s.id)).schedule;
            expect(released.hold).toEqual([]);
            expect(released.next_due_at).toHaveLength(1);
            await advanceTo(env.pic, released.next_due_at[0]!, 3);
            const done = await driveToEnd(env, await lastStarted(s));
            expect(statusOf(done)).toBe('Succeeded');
            unwrap(await scheduler.cancel_persistent_execution(s.id));
        });

        it('a schedule of a paused workflow is created held', async () => {
            const wf = await createWorkflow(env, liquidationDefinition(env.ids));
            okOf(await env.orchestrator.pause_workflow({ workflow_id: wf.id }));
            const s = unwrap(await scheduler.schedule_workflow_execution(request(EVERY_MINUTE, undefined, wf.id, liquidationInput(1n)[0])));
            expect(s).toMatchObject({ hold: [{ WorkflowPaused: null }], next_due_at: [] });
            unwrap(await scheduler.cancel_persistent_execution(s.id));
        });

        it('is held as WorkflowDeleted once the workflow is deleted', async () => {
            const wf = await createWorkflow(env, liquidationDefinition(env.ids));
            const s = unwrap(await scheduler.schedule_workflow_execution(request(EVERY_MINUTE, undefined, wf.id, liquidationInput(1n)[0])));
            okOf(await env.orchestrator.delete_workflow({ workflow_id: wf.id }));
            await env.pic.tick(3);
            expect(unwrap(await scheduler.get_schedule(s.id)).schedule).toMatchObject({ hold: [{ WorkflowDeleted: null }], next_due_at: [] });
            await advanceSeconds(env.pic, 120, 3);
            expect(unwrap(await scheduler.get_schedule(s.id)).recent_firings).toEqual([]);
        });

        it('a new version that reads an input the schedule lacks holds it (InputRejected)', async () => {
            const wf = await createWorkflow(env, liquidationDefinition(env.ids));
            const s = unwrap(await scheduler.schedule_workflow_execution(request(EVERY_MINUTE, undefined, wf.id, liquidationInput(1n)[0])));
            const needsMore = liquidationDefinition(env.ids, (d) => ({ ...d, nodes: d.nodes.map((n) => (n.id === 'summary' && n.config.kind === 'Transform' ? { ...n, config: { ...n.config, fields: [...n.config.fields, { key: 'note', value: { kind: 'Input', path: 'note' } }] } } : n)) }));
            okOf(await env.orchestrator.update_workflow({ workflow_id: wf.id, expected_version: [], definition: needsMore }));
            await env.pic.tick(3);
            expect(unwrap(await scheduler.get_schedule(s.id)).schedule).toMatchObject({ hold: [{ InputRejected: { field: 'input.note', message: 'required by the workflow' } }], next_due_at: [] });
            unwrap(await scheduler.cancel_persistent_execution(s.id));
        });
    });
});
