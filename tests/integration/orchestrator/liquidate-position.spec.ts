/**
 * `LiquidatePosition` on the deployed system: an owner names their position manager (the demo
 * lending canister), validated against the call policy; a scheduled run of the liquidation
 * workflow whose repay fails closes the position through that manager, from the owner's own
 * agent; a stranger's action pointed at the same position is refused by the position manager
 * (it sees the stranger's agent, not the owner's); every liquidation, sent or refused, is in
 * its owner's `list_liquidations`, and refusals reach the monitor's notification log.
 */
import { Principal } from '@dfinity/principal';
import { createIdentity, type Actor } from '@dfinity/pic';

import { DEFAULT_OWNER_QUOTAS, NO_RETRY, encodeQuotaLimits, type PositionManagerWire, type WorkflowDefinition } from '../../../shared/workflow';
import { monitorActor } from '../support/monitoring';
import { createPic } from '../support/pic';
import { advanceTo, request, schedulerIdlFactory, unwrap, type SchedulerService } from '../support/scheduling';
import { deflowActor } from '../support/deflow';
import { tickUntil } from '../support/ticking';
import {
    createWorkflow,
    deployWorkflowEnv,
    driveToEnd,
    errTag,
    liquidationDefinition,
    liquidationInput,
    nodeStatus,
    okOf,
    orchestratorAs,
    readyAgentOf,
    statusOf,
    type OrchestratorService,
    type WorkflowEnv
} from '../support/workflows';

jest.setTimeout(300_000);

/** Rounds the slow position manager (the backup oracle's stalled `get_price`) takes to answer. */
const SLOW_MANAGER_ROUNDS = 20_000;

const EVERY_MINUTE = { Interval: { every_seconds: 60n, start_at: [] as [], end_at: [] as [] } };

/** The liquidation workflow whose `repay` closes the position (read from the input) when it fails for good. */
const liquidateOnFailure = (d: WorkflowDefinition): WorkflowDefinition => ({
    ...d,
    nodes: d.nodes.map((n) => (n.id === 'repay' ? { ...n, recovery: { retry: NO_RETRY, fallback: { kind: 'StopExecution' }, emergencyActions: [{ kind: 'LiquidatePosition', args: [{ kind: 'Input', path: 'repay' }] }] } } : n))
});

describe('Orchestrator > LiquidatePosition', () => {
    let env: WorkflowEnv;
    let scheduler: Actor<SchedulerService>;
    let stranger: Actor<OrchestratorService>;
    let manager: PositionManagerWire;

    beforeAll(async () => {
        env = await deployWorkflowEnv(await createPic());
        scheduler = deflowActor<SchedulerService>(env.pic, env.deployment, 'scheduler', schedulerIdlFactory, env.owner);
        stranger = orchestratorAs(env, env.stranger.getPrincipal());
        manager = { canister: env.ids.lending, method: 'liquidate', arg_types: '(record { position: text })', reply_types: '(variant { Ok: nat; Err: text })' };
        await env.oracle.set_price(50_000_000n);
    });

    afterAll(async () => {
        await env?.pic.tearDown();
    });

    /** Runs the workflow once as `actor` with the repay rejected: its LiquidatePosition fires. */
    async function failRepay(actor: Actor<OrchestratorService>, workflowId: string): Promise<string> {
        await env.lending.fail_next(1);
        const x = okOf(await actor.start_execution({ workflow_id: workflowId, input: liquidationInput(60_000_000n) }));
        const done = await driveToEnd({ ...env, orchestrator: actor }, x.id, { stepMs: 1000 });
        expect(nodeStatus(done, 'repay')).toBe('Failed');
        await env.pic.tick(6);
        return x.id;
    }

    it('a position manager must pass the call policy; it is the caller’s own', async () => {
        const ownerWf = await createWorkflow(env, liquidationDefinition(env.ids, liquidateOnFailure));
        expect(ownerWf.id).toBeDefined();
        const ownerAgent = await readyAgentOf(env, env.orchestrator);
        for (const [canister, why] of [
            [env.deployment.peers.orchestrator, 'a DeFlow canister'],
            [ownerAgent, "an owner's agent"],
            [Principal.fromText('aaaaa-aa'), 'the management canister']
        ] as const) {
            const r = await stranger.set_position_manager({ manager: [{ ...manager, canister }] });
            expect([why, r]).toEqual([why, { Err: { InvalidInput: { field: 'manager.canister', message: expect.any(String) } } }]);
        }
        expect(await env.orchestrator.set_position_manager({ manager: [{ ...manager, reply_types: '(variant {' }] })).toEqual({ Err: { InvalidInput: { field: 'manager.reply_types', message: expect.any(String) } } });
        // Type text is bounded as a call node's is (it is stored, and parsed at every liquidation).
        const huge = `(record { ${Array.from({ length: 400 }, (_, i) => `f${i}: nat`).join('; ')} })`;
        expect(await env.orchestrator.set_position_manager({ manager: [{ ...manager, arg_types: huge }] })).toEqual({ Err: { InvalidInput: { field: 'manager.arg_types', message: expect.stringContaining('at most') } } });
        expect(errTag(await orchestratorAs(env, Principal.anonymous()).set_position_manager({ manager: [manager] }))).toBe('Unauthorized');

        expect(okOf(await env.orchestrator.set_position_manager({ manager: [manager] }))).toEqual([manager]);
        expect(okOf(await env.orchestrator.get_position_manager())).toEqual([manager]);
        // Nothing the owner set is the stranger's.
        expect(okOf(await stranger.get_position_manager())).toEqual([]);
        // The lending protocol lets only the position's owner close it: here, the owner's agent.
        await env.lending.set_position_owner([ownerAgent]);
    });

    it("a stranger's LiquidatePosition pointed at the owner's position goes out from the stranger's agent and is refused by the manager", async () => {
        okOf(await stranger.set_position_manager({ manager: [manager] }));
        const wf = okOf(await stranger.create_workflow(liquidationDefinition(env.ids, liquidateOnFailure)));
        const x = await failRepay(stranger, wf.id);

        const log = okOf(await stranger.list_liquidations());
        expect(log.total).toBe(1n);
        expect(log.recent).toEqual([
            expect.objectContaining({ execution_id: x, node_id: 'repay', target: [{ canister: env.ids.lending, method: 'liquidate' }], status: { Failed: expect.objectContaining({ kind: { ReplyErr: null }, case: ['Err'], value: ['"not the position owner"'] }) } })
        ]);
        expect(await env.lending.liquidation_count()).toBe(0n);
        expect(okOf(await env.orchestrator.list_liquidations()).total).toBe(0n);
    });

    it('without a position manager the action is refused, recorded for its owner and visible to the admins', async () => {
        expect(okOf(await stranger.set_position_manager({ manager: [] }))).toEqual([]);
        const wf = okOf(await stranger.list_workflows({ cursor: [], limit: 10 })).items[0]!;
        const x = await failRepay(stranger, wf.id);

        const [latest] = okOf(await stranger.list_liquidations()).recent;
        expect(latest).toMatchObject({ execution_id: x, node_id: 'repay', target: [], status: { Refused: { NoPositionManager: null } }, finished_at: [expect.any(BigInt)] });
        const notices = okOf(await monitorActor(env.pic, env.deployment, env.admin).get_notifications([]));
        expect(notices.filter((n) => 'Warning' in n.level && n.message.includes(`[${x}/repay] LiquidatePosition`) && n.message.includes('no position manager'))).toHaveLength(1);
        expect(await env.lending.liquidation_count()).toBe(0n);
    });

    it('two LiquidatePosition actions of one node are two calls, each settled in its own record', async () => {
        okOf(await stranger.set_position_manager({ manager: [manager] }));
        const twice = (d: WorkflowDefinition): WorkflowDefinition => {
            const once = liquidateOnFailure(d);
            return { ...once, nodes: once.nodes.map((n) => (n.id === 'repay' ? { ...n, recovery: { ...n.recovery, emergencyActions: [...n.recovery.emergencyActions, ...n.recovery.emergencyActions] } } : n)) };
        };
        const wf = okOf(await stranger.create_workflow(liquidationDefinition(env.ids, twice)));
        const before = okOf(await stranger.list_liquidations()).total;
        const x = await failRepay(stranger, wf.id);

        const log = okOf(await stranger.list_liquidations());
        expect(log.total).toBe(before + 2n);
        const ours = log.recent.filter((l) => l.execution_id === x);
        // Both went out from the stranger's agent and the manager refused both: none is left Pending.
        expect(ours.map((l) => Object.keys(l.status)[0])).toEqual(['Failed', 'Failed']);
    });

    it('an execution whose liquidation waits for its report outlives history pruning; the late report settles it', async () => {
        const historian = createIdentity('liquidation-historian');
        const asHistorian = orchestratorAs(env, historian.getPrincipal());
        const quotas = { ...encodeQuotaLimits(DEFAULT_OWNER_QUOTAS), stored_executions: 1 };
        okOf(await orchestratorAs(env, env.admin.getPrincipal()).set_owner_quotas({ owner: [historian.getPrincipal()], limits: quotas }));
        // The position manager answers only after many rounds: the liquidation is still Pending when the next run finishes.
        okOf(await asHistorian.set_position_manager({ manager: [{ canister: env.ids.backupOracle, method: 'get_price', arg_types: '(record { position: text })', reply_types: '(record { price_e8s: nat64 })' }] }));
        const wf = okOf(await asHistorian.create_workflow(liquidationDefinition(env.ids, liquidateOnFailure)));
        await env.backupOracle.stall_next(1, SLOW_MANAGER_ROUNDS);
        const first = await failRepay(asHistorian, wf.id);
        const statusOfFirst = async (): Promise<string | undefined> => {
            const entry = okOf(await asHistorian.list_liquidations()).recent.find((l) => l.execution_id === first);
            return entry === undefined ? undefined : Object.keys(entry.status)[0];
        };
        expect(await statusOfFirst()).toBe('Pending');

        // A run above the threshold finishes: with a quota of 1 it would prune the first run now.
        const second = okOf(await asHistorian.start_execution({ workflow_id: wf.id, input: liquidationInput(40_000_000n) }));
        expect(statusOf(await driveToEnd({ ...env, orchestrator: asHistorian }, second.id, { stepMs: 1000 }))).toBe('Succeeded');
        expect(statusOf(okOf(await asHistorian.get_execution({ execution_id: first })))).toBe('Failed');

        expect(await tickUntil(env.pic, statusOfFirst, (s) => s !== 'Pending', { ticks: 1, maxRounds: SLOW_MANAGER_ROUNDS })).toBe('Succeeded');
        // Settled, the first run is history like any other: the next finish prunes it.
        const third = okOf(await asHistorian.start_execution({ workflow_id: wf.id, input: liquidationInput(40_000_000n) }));
        await driveToEnd({ ...env, orchestrator: asHistorian }, third.id, { stepMs: 1000 });
        expect(errTag(await asHistorian.get_execution({ execution_id: first }))).toBe('NotFound');
    });

    it('a scheduled liquidation run with its input closes the position through the owner’s agent', async () => {
        const wf = okOf(await env.orchestrator.list_workflows({ cursor: [], limit: 10 })).items[0]!;
        const [input] = liquidationInput(60_000_000n, 9n);
        const s = unwrap(await scheduler.schedule_workflow_execution(request(EVERY_MINUTE, undefined, wf.id, input)));
        await env.lending.fail_next(1);
        await advanceTo(env.pic, s.next_due_at[0]!, 3);
        const firing = unwrap(await scheduler.get_schedule(s.id)).recent_firings.at(-1);
        if (firing === undefined || !('Started' in firing.outcome)) throw new Error(`no started firing: ${JSON.stringify(firing?.outcome)}`);
        unwrap(await scheduler.cancel_persistent_execution(s.id));
        const done = await driveToEnd(env, firing.outcome.Started.execution_id, { stepMs: 1000 });
        expect(statusOf(done)).toBe('Failed');
        expect(done.input).toBe(input);
        await env.pic.tick(6);

        expect(await env.lending.liquidation_count()).toBe(1n);
        expect(await env.lending.position_health({ position: 'pos-1' })).toEqual({ Liquidated: null });
        const log = okOf(await env.orchestrator.list_liquidations());
        expect(log.total).toBe(1n);
        expect(log.recent).toEqual([expect.objectContaining({ execution_id: done.id, status: { Succeeded: { output: '{"Ok":1}' } }, finished_at: [expect.any(BigInt)] })]);
    });
});
