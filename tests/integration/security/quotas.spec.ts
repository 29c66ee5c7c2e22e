/**
 * Security > quotas: per-owner limits on what every owner shares (workflows, versions kept per
 * workflow, unfinished executions, finished executions kept, schedules), set by admins (a default, and per owner) and
 * shown to the owner by `get_owner_quotas`. Over a quota: a typed error and nothing lost; the
 * anonymous principal holds no schedule.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { createIdentity, type Actor, type PocketIc } from '@dfinity/pic';

import { DEFAULT_OWNER_QUOTAS, encodeQuotaLimits, orchestratorIdlFactory, type OwnerQuotaLimitsWire, type WorkflowWire } from '../../../shared/workflow';
import { MAX_SCHEDULES_PER_OWNER } from '../../../canisters/scheduler/src/logic/quota';
import { deflowActor } from '../support/deflow';
import { createPic } from '../support/pic';
import { schedulerIdlFactory, type SchedulerService } from '../support/scheduling';
import { tickUntil } from '../support/ticking';
import { delayDefinition, deployWorkflowEnv, errTag, okOf, orchestratorAs, statusOf, type Identity, type OrchestratorService, type WorkflowEnv } from '../support/workflows';

jest.setTimeout(300_000);

const HOUR_MS = 3_600_000;
const limits = (over: Partial<OwnerQuotaLimitsWire>): OwnerQuotaLimitsWire => ({ ...encodeQuotaLimits(DEFAULT_OWNER_QUOTAS), ...over });
const interval = (workflowId: string) => ({ workflow_id: workflowId, kind: { Interval: { every_seconds: 3600n, start_at: [] as [], end_at: [] as [] } }, policies: [] as [], owner: [] as [], input: [] as [] });

describe('Security > quotas', () => {
    let pic: PocketIc;
    let env: WorkflowEnv;
    let asAdmin: Actor<OrchestratorService>;

    const orchestratorOf = (who: Identity) => deflowActor<OrchestratorService>(pic, env.deployment, 'orchestrator', orchestratorIdlFactory as unknown as IDL.InterfaceFactory, who);
    const schedulerOf = (who?: Identity) => deflowActor<SchedulerService>(pic, env.deployment, 'scheduler', schedulerIdlFactory, who);

    beforeAll(async () => {
        pic = await createPic();
        env = await deployWorkflowEnv(pic);
        asAdmin = orchestratorOf(env.admin);
    });

    afterAll(async () => {
        await pic?.tearDown();
    });

    it('lets only admins and controllers set quotas, within bounds', async () => {
        const arg = { owner: [env.owner.getPrincipal()] as [Principal], limits: limits({ workflows: 2 }) };
        expect(errTag(await env.orchestrator.set_owner_quotas(arg))).toBe('Unauthorized');
        expect(errTag(await orchestratorOf(env.stranger).set_owner_quotas(arg))).toBe('Unauthorized');
        // (The anonymous caller is this deployment's controller; access-matrix.spec.ts refuses it where it is not.)
        expect(errTag(await orchestratorAs(env, env.deployment.peers.scheduler).set_owner_quotas(arg))).toBe('Unauthorized');
        expect(await asAdmin.set_owner_quotas({ ...arg, limits: limits({ workflows: 0 }) })).toEqual({ Err: { InvalidInput: { field: 'limits.workflows', message: expect.any(String) } } });
        expect(okOf(await asAdmin.set_owner_quotas(arg))).toEqual(limits({ workflows: 2 }));
        // A controller is an admin too.
        const controllers = await pic.getControllers(env.deployment.peers.orchestrator);
        const controller = controllers[0];
        if (controller === undefined) throw new Error('no controller');
        expect(okOf(await orchestratorAs(env, controller).set_owner_quotas(arg))).toEqual(limits({ workflows: 2 }));
    });

    it('refuses a workflow over the quota, keeps the others, and shows limits and usage to the owner', async () => {
        const made: WorkflowWire[] = [];
        for (let i = 0; i < 2; i++) made.push(okOf(await env.orchestrator.create_workflow(delayDefinition(1_000))));
        expect(await env.orchestrator.create_workflow(delayDefinition(1_000))).toEqual({ Err: { LimitExceeded: { limit: 'workflows', max: 2n } } });
        expect(okOf(await env.orchestrator.list_workflows({ cursor: [], limit: 10 })).items.map((w) => w.id)).toEqual(made.map((w) => w.id));
        const q = okOf(await env.orchestrator.get_owner_quotas());
        expect(q.limits.workflows).toBe(2);
        expect(q.usage.workflows).toBe(2);
        // Another owner keeps the default.
        expect(okOf(await orchestratorOf(env.stranger).get_owner_quotas()).limits).toEqual(encodeQuotaLimits(DEFAULT_OWNER_QUOTAS));
        okOf(await env.orchestrator.delete_workflow({ workflow_id: made[1]!.id }));
        okOf(await env.orchestrator.create_workflow(delayDefinition(1_000)));
    });

    it('refuses a start over the unfinished-execution quota until one finishes', async () => {
        okOf(await asAdmin.set_owner_quotas({ owner: [env.owner.getPrincipal()], limits: limits({ workflows: 3, concurrent_executions: 2 }) }));
        const wf = okOf(await env.orchestrator.create_workflow(delayDefinition(HOUR_MS)));
        const first = okOf(await env.orchestrator.start_execution({ workflow_id: wf.id, input: [] }));
        okOf(await env.orchestrator.start_execution({ workflow_id: wf.id, input: [] }));
        expect(await env.orchestrator.start_execution({ workflow_id: wf.id, input: [] })).toEqual({ Err: { LimitExceeded: { limit: 'concurrent_executions', max: 2n } } });
        expect(okOf(await env.orchestrator.get_owner_quotas()).usage.concurrent_executions).toBe(2);
        expect(statusOf(okOf(await env.orchestrator.cancel_execution({ execution_id: first.id })))).toBe('Cancelled');
        okOf(await env.orchestrator.start_execution({ workflow_id: wf.id, input: [] }));
    });

    it('keeps the newest versions of a workflow, and older ones an unfinished execution runs', async () => {
        okOf(await asAdmin.set_owner_quotas({ owner: [env.stranger.getPrincipal()], limits: limits({ versions_per_workflow: 2 }) }));
        const asStranger = orchestratorOf(env.stranger);
        const wf = okOf(await asStranger.create_workflow(delayDefinition(HOUR_MS)));
        const update = async () => okOf(await asStranger.update_workflow({ workflow_id: wf.id, expected_version: [], definition: delayDefinition(HOUR_MS) }));
        await update(); // v2
        const running = okOf(await asStranger.start_execution({ workflow_id: wf.id, input: [] })); // runs v2
        await update(); // v3
        await update(); // v4: v1 goes, v2 stays (running)
        const has = async (v: number) => 'Ok' in (await asStranger.get_workflow({ workflow_id: wf.id, version: [v] }));
        expect([await has(1), await has(2), await has(3), await has(4)]).toEqual([false, true, true, true]);
        expect(errTag(await asStranger.get_workflow({ workflow_id: wf.id, version: [1] }))).toBe('NotFound');
        okOf(await asStranger.cancel_execution({ execution_id: running.id }));
        await update(); // v5: v2 and v3 go now
        expect([await has(2), await has(3), await has(4), await has(5)]).toEqual([false, false, true, true]);
        // The finished execution of a pruned version is still there, and cancelling it again is a Conflict, not a trap.
        expect(statusOf(okOf(await asStranger.get_execution({ execution_id: running.id })))).toBe('Cancelled');
        expect(errTag(await asStranger.cancel_execution({ execution_id: running.id }))).toBe('Conflict');
    });

    it("keeps an owner's history within their stored-execution quota: the oldest finished go, running ones and new runs never", async () => {
        const historian = createIdentity('quota-historian');
        const asHistorian = orchestratorOf(historian);
        okOf(await asAdmin.set_owner_quotas({ owner: [historian.getPrincipal()], limits: limits({ stored_executions: 3 }) }));
        const long = okOf(await asHistorian.create_workflow(delayDefinition(HOUR_MS)));
        const short = okOf(await asHistorian.create_workflow(delayDefinition(1_000)));
        const running = okOf(await asHistorian.start_execution({ workflow_id: long.id, input: [] }));
        const finishedIds: string[] = [];
        const status = async (id: string): Promise<string | undefined> => {
            const r = await asHistorian.get_execution({ execution_id: id });
            return 'Ok' in r ? statusOf(r.Ok) : errTag(r);
        };
        // Two that succeed (the delay ends), two cancelled: four finished, one more than the quota.
        for (let i = 0; i < 2; i++) {
            const x = okOf(await asHistorian.start_execution({ workflow_id: short.id, input: [] }));
            expect(await tickUntil(pic, () => status(x.id), (s) => s === 'Succeeded', { stepMs: 1_000, maxRounds: 20 })).toBe('Succeeded');
            finishedIds.push(x.id);
        }
        for (let i = 0; i < 2; i++) {
            const x = okOf(await asHistorian.start_execution({ workflow_id: long.id, input: [] }));
            expect(statusOf(okOf(await asHistorian.cancel_execution({ execution_id: x.id })))).toBe('Cancelled');
            finishedIds.push(x.id);
        }
        expect(await Promise.all(finishedIds.map(status))).toEqual(['NotFound', 'Succeeded', 'Cancelled', 'Cancelled']);
        expect(await status(running.id)).toBe('Running');
        const q = okOf(await asHistorian.get_owner_quotas());
        expect([q.limits.stored_executions, q.usage.stored_executions]).toEqual([3, 3]);
        // New runs are never refused for history.
        const next = okOf(await asHistorian.start_execution({ workflow_id: long.id, input: [] }));
        // The long run finishing now (the oldest by start) is kept; the oldest other finished one goes.
        okOf(await asHistorian.cancel_execution({ execution_id: running.id }));
        expect(await Promise.all([running.id, ...finishedIds.slice(1)].map(status))).toEqual(['Cancelled', 'NotFound', 'Cancelled', 'Cancelled']);
        expect(await status(next.id)).toBe('Running');
        // Another owner's history is not touched.
        expect(okOf(await env.orchestrator.get_owner_quotas()).usage.stored_executions).toBeGreaterThan(0);
    });

    it('lets the anonymous principal hold no schedule, and no owner more than their schedule quota', async () => {
        const holder = createIdentity('quota-schedule-holder');
        const wf = okOf(await orchestratorOf(holder).create_workflow(delayDefinition(1_000)));
        expect(errTag(await schedulerOf().schedule_workflow_execution(interval(wf.id)))).toBe('Unauthorized');

        const asHolder = schedulerOf(holder);
        expect(okOf(await asHolder.get_schedule_quota())).toMatchObject({ max_schedules: MAX_SCHEDULES_PER_OWNER, schedules: 0 });
        const quotaArg = { owner: [holder.getPrincipal()] as [Principal], max_schedules: 3, condition_reads_per_hour: [] as [] };
        for (const who of [holder, env.stranger]) expect(errTag(await schedulerOf(who).set_schedule_quota(quotaArg))).toBe('Unauthorized');
        expect(errTag(await schedulerOf(env.admin).set_schedule_quota({ ...quotaArg, max_schedules: 0 }))).toBe('InvalidInput');
        expect(okOf(await schedulerOf(env.admin).set_schedule_quota(quotaArg))).toBe(3);

        const ids: string[] = [];
        for (let i = 0; i < 3; i++) ids.push(okOf(await asHolder.schedule_workflow_execution(interval(wf.id))).id);
        expect(await asHolder.schedule_workflow_execution(interval(wf.id))).toEqual({ Err: { LimitExceeded: { limit: 'schedules_per_owner', max: 3n } } });
        expect(okOf(await asHolder.get_schedule_quota())).toMatchObject({ max_schedules: 3, schedules: 3 });
        expect(okOf(await asHolder.list_persistent_scheduled_executions({ workflow_id: [], owner: [], cursor: [], limit: [] })).items).toHaveLength(3);
        // Another owner is not held back, and a cancelled schedule frees its slot.
        const theirs = okOf(await orchestratorOf(env.stranger).create_workflow(delayDefinition(1_000)));
        okOf(await schedulerOf(env.stranger).schedule_workflow_execution(interval(theirs.id)));
        okOf(await asHolder.cancel_persistent_execution(ids[0]!));
        okOf(await asHolder.schedule_workflow_execution(interval(wf.id)));
    });

    it('applies a default admins set to every owner without their own limits', async () => {
        okOf(await asAdmin.set_owner_quotas({ owner: [], limits: limits({ notifications_per_hour: 5 }) }));
        expect(okOf(await orchestratorOf(createIdentity('quota-newcomer')).get_owner_quotas()).limits.notifications_per_hour).toBe(5);
        expect(okOf(await env.orchestrator.get_owner_quotas()).limits.notifications_per_hour).toBe(DEFAULT_OWNER_QUOTAS.notificationsPerHour);
    });
});
