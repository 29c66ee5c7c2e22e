/**
 * Emergency that means it, on the deployed system: a node's `PauseAllWorkflows` goes through
 * the monitor with the authority of the workflow's owner, so the monitor and every canister
 * agree on the mode; the emergency workflow the node names still runs (and liquidates the
 * position) while everything else is paused; an owner the admins did not allow is refused,
 * typed, and the refusal is visible to the admins.
 */
import type { Actor, PocketIc } from '@dfinity/pic';

import { NO_RETRY, encodeWorkflowDefinition, type CallArgs, type EmergencyAction, type WorkflowNode } from '../../../shared/workflow';
import { after, node } from '../../../shared/workflow/testing';
import { monitorActor, type MonitorService } from '../support/monitoring';
import { createPic } from '../support/pic';
import { createWorkflow, delayDefinition, deployWorkflowEnv, driveToEnd, driveUntil, errTag, okOf, orchestratorAs, setSystemMode, statusOf, type WorkflowEnv } from '../support/workflows';

jest.setTimeout(300_000);

const INPUT: [string] = [JSON.stringify({ repay: { amount: 5, position: 'pos-1' } })];

describe('Monitor > emergency actions of workflow nodes', () => {
    let pic: PocketIc;
    let env: WorkflowEnv;
    let adminMonitor: Actor<MonitorService>;

    const callNode = (id: string, method: string, args: CallArgs, emergencyActions: EmergencyAction[] = []): WorkflowNode =>
        node(id, {
            config: { kind: 'Call', canister: env.ids.lending.toText(), method, args, cycles: 0n, reply: { kind: 'Candid', types: '(variant { Ok: nat; Err: text })' } },
            recovery: { retry: NO_RETRY, fallback: { kind: 'StopExecution' }, emergencyActions }
        });
    const repayArgs: CallArgs = { kind: 'Template', types: '(record { amount: nat; position: text })', values: [{ kind: 'Input', path: 'repay' }] };
    const liquidateArgs: CallArgs = { kind: 'Template', types: '(record { position: text })', values: [{ kind: 'Const', json: '{"position":"pos-1"}' }] };
    const define = (name: string, ...nodes: WorkflowNode[]) => encodeWorkflowDefinition({ name, description: '', nodes });
    const systemMode = async (): Promise<string> => Object.keys((await adminMonitor.get_system_health()).emergency.mode)[0] ?? '';

    beforeAll(async () => {
        pic = await createPic();
        env = await deployWorkflowEnv(pic);
        adminMonitor = monitorActor(pic, env.deployment, env.admin);
    });

    afterAll(async () => {
        await pic?.tearDown();
    });

    it('an owner the admins did not allow is refused, typed; the refusal is recorded and visible; nothing pauses', async () => {
        const asStranger = orchestratorAs(env, env.stranger.getPrincipal());
        const wf = okOf(await asStranger.create_workflow(define('stranger repay', callNode('repay', 'repay', repayArgs, [{ kind: 'EnableSafeMode' }]))));
        await env.lending.fail_next(1);
        const x = okOf(await asStranger.start_execution({ workflow_id: wf.id, input: INPUT }));
        const done = await driveUntil({ ...env, orchestrator: asStranger }, x.id, (e) => statusOf(e) === 'Failed', { stepMs: 1000 });
        expect(statusOf(done)).toBe('Failed');
        await pic.tick(5);

        const authority = okOf(await adminMonitor.get_emergency_authority());
        expect(authority.refusals).toEqual([expect.objectContaining({ owner: env.stranger.getPrincipal(), mode: { Safe: null }, reason: `emergency action of node repay in execution ${x.id}` })]);
        expect(authority.refused_total).toBe(1n);
        const log = okOf(await adminMonitor.get_notifications([]));
        expect(log.filter((n) => 'Warning' in n.level && n.message.includes(env.stranger.getPrincipal().toText()))).toHaveLength(1);
        // The monitor, and so every canister, stays Normal: the stranger's other workflows start.
        expect(await systemMode()).toBe('Normal');
        expect(errTag(await asStranger.start_execution({ workflow_id: wf.id, input: INPUT }))).toBeUndefined();
    });

    it('the refusal list is for admins only', async () => {
        const asStrangerMonitor = monitorActor(pic, env.deployment, env.stranger);
        expect(await asStrangerMonitor.get_emergency_authority()).toEqual({ Err: { Unauthorized: { caller: env.stranger.getPrincipal() } } });
        expect(errTag(await asStrangerMonitor.set_emergency_owner({ owner: env.stranger.getPrincipal(), allowed: true }))).toBe('Unauthorized');
    });

    it("an allowed owner's node pauses everything through the monitor; its emergency workflow still runs and liquidates", async () => {
        okOf(await adminMonitor.set_emergency_owner({ owner: env.owner.getPrincipal(), allowed: true }));
        // The emergency workflow waits first, so its call is due once emergency mode holds every other attempt.
        const sos = await createWorkflow(env, define('liquidate on failure', node('settle', { config: { kind: 'Delay', durationMs: 3_000 } }), { ...callNode('liquidate', 'liquidate', liquidateArgs), dependsOn: after('settle') }));
        const other = await createWorkflow(env, delayDefinition(60_000));
        const running = okOf(await env.orchestrator.start_execution({ workflow_id: other.id, input: ['{}'] }));
        const guarded = await createWorkflow(env, define('repay or liquidate', callNode('repay', 'repay', repayArgs, [{ kind: 'PauseAllWorkflows' }, { kind: 'ExecuteEmergencyWorkflow', workflowId: sos.id }])));
        await env.lending.fail_next(1);
        const refusedBefore = okOf(await adminMonitor.get_emergency_authority()).refused_total;

        const x = okOf(await env.orchestrator.start_execution({ workflow_id: guarded.id, input: INPUT }));
        expect(statusOf(await driveToEnd(env, x.id, { stepMs: 1000 }))).toBe('Failed');
        await pic.tick(5);

        // The monitor decided, as the owner: get_system_health reports it, and the orchestrator follows.
        const health = await adminMonitor.get_system_health();
        expect(health.emergency).toMatchObject({ mode: { Emergency: null }, changed_by: [env.owner.getPrincipal()], reason: `emergency action of node repay in execution ${x.id}` });
        expect(errTag(await env.orchestrator.start_execution({ workflow_id: other.id, input: ['{}'] }))).toBe('EmergencyMode');
        expect(statusOf(okOf(await env.orchestrator.get_execution({ execution_id: running.id })))).toBe('Paused');

        // The emergency workflow ran anyway: its call went out through the executor while every other attempt is held.
        const page = okOf(await env.orchestrator.list_executions({ workflow_id: [sos.id], status: [], page: { cursor: [], limit: 10 }, order: [] }));
        expect(page.items).toHaveLength(1);
        const sosRun = await driveToEnd(env, page.items[0]!.id, { stepMs: 1000 });
        expect(statusOf(sosRun)).toBe('Succeeded');
        expect(await env.lending.liquidation_count()).toBe(1n);
        expect(await systemMode()).toBe('Emergency');
        expect(okOf(await adminMonitor.get_emergency_authority()).refused_total).toBe(refusedBefore);

        await setSystemMode(env, 'Normal');
        expect(statusOf(await driveUntil(env, running.id, (e) => statusOf(e) === 'Running'))).toBe('Running');
    });

    it('in safe mode the emergency workflow of a critical workflow starts although it is not marked critical itself', async () => {
        const sos = await createWorkflow(env, define('settle on failure', node('settle', { config: { kind: 'Delay', durationMs: 1_000 } })));
        const guarded = await createWorkflow(env, { ...define('critical repay', callNode('repay', 'repay', repayArgs, [{ kind: 'ExecuteEmergencyWorkflow', workflowId: sos.id }])), critical: [true] });
        await setSystemMode(env, 'Safe');
        // Safe mode refuses the emergency workflow as an ordinary start: only its emergency origin lets it run.
        expect(errTag(await env.orchestrator.start_execution({ workflow_id: sos.id, input: ['{}'] }))).toBe('EmergencyMode');
        await env.lending.fail_next(1);

        const x = okOf(await env.orchestrator.start_execution({ workflow_id: guarded.id, input: INPUT }));
        expect(statusOf(await driveToEnd(env, x.id, { stepMs: 1000 }))).toBe('Failed');
        await pic.tick(3);
        const page = okOf(await env.orchestrator.list_executions({ workflow_id: [sos.id], status: [], page: { cursor: [], limit: 10 }, order: [] }));
        expect(page.items.map((i) => i.trigger)).toEqual([{ Workflow: { execution_id: x.id } }]);
        expect(statusOf(await driveToEnd(env, page.items[0]!.id, { stepMs: 1000 }))).toBe('Succeeded');
        expect(await systemMode()).toBe('Safe');
        await setSystemMode(env, 'Normal');
    });
});
