/**
 * Monitor > true health: the monitor controls its peers and reads their real
 * `canister_status` (memory, cycles, idle burn, module hash, run status); alerts judge those
 * numbers, so a peer whose balance falls under the threshold (the server charges every
 * execution) raises LowCycles.
 */
import { createHash } from 'node:crypto';

import type { Actor, PocketIc } from '@dfinity/pic';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

import { CanisterIdArgIdl, CanisterStatusReplyIdl, type CanisterStatusReply } from '../../../shared/common/management';

import { DEFAULT_THRESHOLDS } from '../../../shared/monitoring/alerts';
import type { CanisterHealth } from '../../../shared/monitoring/health';
import { encodeWorkflowDefinition } from '../../../shared/workflow';
import { node, after } from '../../../shared/workflow/testing';
import { deflowWasm, type DeflowDeployment } from '../support/deflow';
import { monitorActor, type MonitorService } from '../support/monitoring';
import { createPic } from '../support/pic';
import { advanceSeconds, unwrap } from '../support/scheduling';
import { createWorkflow, deployWorkflowEnv, driveToEnd, EMPTY_CANDID_ARGS, okOf, statusOf, type WorkflowEnv } from '../support/workflows';

jest.setTimeout(240_000);

describe('Monitor > true health', () => {
    let pic: PocketIc;
    let env: WorkflowEnv;
    let deployment: DeflowDeployment;
    let monitor: Actor<MonitorService>;
    let asAdmin: Actor<MonitorService>;

    /** What the management canister says now, read as the deploying controller. */
    const managementStatus = (canisterId: Principal) => pic.canisterStatus({ canisterId, sender: deployment.controller });
    /** `memory_metrics` of the management canister's reply (the stock client's `canisterStatus` leaves it out). */
    const memoryMetricsOf = async (canisterId: Principal): Promise<CanisterStatusReply['memory_metrics']> => {
        const body = await pic.updateCall({ canisterId: Principal.managementCanister(), method: 'canister_status', arg: new Uint8Array(IDL.encode([CanisterIdArgIdl], [{ canister_id: canisterId }])), sender: deployment.controller });
        return (IDL.decode([CanisterStatusReplyIdl], body)[0] as unknown as CanisterStatusReply).memory_metrics;
    };
    const healthOf = async (canister: Principal): Promise<CanisterHealth> => {
        const health = unwrap(await asAdmin.trigger_health_check());
        return health.canisters.find((c) => c.canister.toText() === canister.toText())!;
    };

    beforeAll(async () => {
        pic = await createPic();
        env = await deployWorkflowEnv(pic);
        deployment = env.deployment;
        monitor = monitorActor(pic, deployment);
        asAdmin = monitorActor(pic, deployment, env.admin);
        await advanceSeconds(pic, 61);
    });
    afterAll(async () => {
        await pic.tearDown();
    });

    it('counts one 10 s execution of three nodes as 1 execution of 10 s and 3 node attempts; its build id is the module hash', async () => {
        const read = (id: string) =>
            node(id, { config: { kind: 'Call', canister: env.ids.oracle.toText(), method: 'get_price', args: { kind: 'Raw', bytes: EMPTY_CANDID_ARGS }, cycles: 0n, reply: { kind: 'Candid', types: '(record { price_e8s: nat64 })' } } });
        const def = encodeWorkflowDefinition({
            name: 'Two reads ten seconds apart',
            description: '',
            nodes: [read('first'), node('wait', { config: { kind: 'Delay', durationMs: 10_000 }, dependsOn: after('first') }), { ...read('second'), dependsOn: after('wait') }]
        });
        const workflow = await createWorkflow(env, def);
        const before = await monitor.get_system_metrics();
        const started = okOf(await env.orchestrator.start_execution({ workflow_id: workflow.id, input: [] }));
        const done = await driveToEnd(env, started.id, { stepMs: 1000, maxRounds: 60 });
        expect(statusOf(done)).toBe('Succeeded');
        const took = done.finished_at[0]! - done.started_at[0]!;
        expect(took).toBeGreaterThanOrEqual(10_000_000_000n);
        await advanceSeconds(pic, 61); // every peer reports once more
        const after_ = await monitor.get_system_metrics();
        expect(after_.executions_last_24h - before.executions_last_24h).toBe(1n);
        // The executor runs every node's attempt, the wait's too: two calls and one wait.
        expect(after_.node_attempts_last_24h - before.node_attempts_last_24h).toBe(3n);
        expect(before.executions_last_24h).toBe(0n);
        expect(after_.average_execution_time_ns).toEqual([took]);
        expect(after_.failures_last_24h).toBe(0n);
        expect(done.ran_by.build_id).toBe(createHash('sha256').update(deflowWasm('orchestrator')).digest('hex'));
        expect((await env.orchestrator.get_version()).build_id).toBe(done.ran_by.build_id);
    });

    it('deployment makes the monitor a controller of the three canisters it watches', async () => {
        const { orchestrator, scheduler, executor, monitor: monitorId } = deployment.peers;
        for (const peer of [orchestrator, scheduler, executor]) {
            const controllers = (await managementStatus(peer)).settings.controllers.map((p) => p.toText());
            expect(controllers).toContain(monitorId.toText());
            expect(controllers).toContain(deployment.controller.toText());
        }
        expect((await managementStatus(monitorId)).settings.controllers.map((p) => p.toText())).toEqual([deployment.controller.toText()]);
    });

    it('reports each peer’s real module hash, memory, idle burn and run status', async () => {
        for (const role of ['orchestrator', 'scheduler', 'executor'] as const) {
            const canister = deployment.peers[role];
            const reading = (await healthOf(canister)).status[0]!;
            expect(reading.module_hash).toEqual([createHash('sha256').update(deflowWasm(role)).digest('hex')]);
            expect(reading.status).toEqual({ Running: null });
            const truth = await managementStatus(canister);
            // Read a moment apart: the canister may have run a timer in between.
            expect(Number(reading.memory_size)).toBeGreaterThan(Number(truth.memorySize) * 0.95);
            expect(Number(reading.memory_size)).toBeLessThanOrEqual(Number(truth.memorySize) * 1.05);
            expect(reading.memory_size).toBeGreaterThan(1_000_000n); // an Azle canister's heap, not the 0 it reports itself
            // Heap and stable memory apart, as the dashboard shows them: the IC's numbers, not the peer's self-reported 0.
            const metrics = await memoryMetricsOf(canister);
            expect(reading.wasm_memory_size).toBeGreaterThan(1_000_000n);
            expect(reading.stable_memory_size).toBeGreaterThan(0n);
            expect(Number(reading.wasm_memory_size)).toBeGreaterThan(Number(metrics.wasm_memory_size) * 0.95);
            expect(Number(reading.wasm_memory_size)).toBeLessThanOrEqual(Number(metrics.wasm_memory_size) * 1.05);
            expect(Number(reading.stable_memory_size)).toBeGreaterThan(Number(metrics.stable_memory_size) * 0.95);
            expect(Number(reading.stable_memory_size)).toBeLessThanOrEqual(Number(metrics.stable_memory_size) * 1.05);
            expect(reading.wasm_memory_size + reading.stable_memory_size).toBeLessThanOrEqual(reading.memory_size);
            expect(reading.idle_cycles_burned_per_day).toBe(truth.idleCyclesBurnedPerDay);
            expect(reading.freezing_limit).toBe((truth.idleCyclesBurnedPerDay * truth.settings.freezingThreshold) / 86_400n);
        }
    });

    it('a stopped peer reads as Stopped, with its memory unchanged', async () => {
        const scheduler = deployment.peers.scheduler;
        await pic.stopCanister({ canisterId: scheduler, sender: deployment.controller });
        const reading = (await healthOf(scheduler)).status[0]!;
        expect(reading.status).toEqual({ Stopped: null });
        expect(reading.memory_size).toBe((await managementStatus(scheduler)).memorySize);
        await pic.startCanister({ canisterId: scheduler, sender: deployment.controller });
    });

    it('raises LowCycles when a peer’s real balance falls under the threshold, and resolves it when it recovers', async () => {
        const scheduler = deployment.peers.scheduler;
        const before = (await managementStatus(scheduler)).cycles;
        await advanceSeconds(pic, 120);
        const drained = (await managementStatus(scheduler)).cycles;
        expect(drained).toBeLessThan(before); // the server charges every timer and call
        // The threshold at the balance just measured: the peer spends more before the monitor looks.
        unwrap(await asAdmin.set_thresholds({ ...DEFAULT_THRESHOLDS, low_cycles: drained }));
        await advanceSeconds(pic, 61);
        const health = unwrap(await asAdmin.trigger_health_check());
        const alert = health.open_alerts.find((a) => 'LowCycles' in a.kind && a.subject === scheduler.toText());
        const seen = health.canisters.find((c) => c.canister.toText() === scheduler.toText())!.status[0]!.cycles;
        expect(seen).toBeLessThan(drained);
        expect(alert).toMatchObject({ severity: { Warning: null }, status: { Raised: null } });
        expect(alert!.message).toContain(`cycles balance ${seen} (canister_status)`);

        await pic.addCycles(scheduler, 1_000_000_000_000n);
        const after = unwrap(await asAdmin.trigger_health_check());
        expect(after.open_alerts.find((a) => a.id === alert!.id)).toBeUndefined();
        unwrap(await asAdmin.set_thresholds(DEFAULT_THRESHOLDS));
    });

    it('tops a peer up from the monitor’s reserve when its balance falls below the policy’s threshold; admins only', async () => {
        const scheduler = deployment.peers.scheduler;
        const asStranger = monitorActor(pic, deployment, env.stranger);
        const policyFor = (below: bigint) => ({ below, amount: 500_000_000_000n, reserve_floor: 0n });
        const current = (await managementStatus(scheduler)).cycles;
        expect(await asStranger.set_top_up_policy([policyFor(current)])).toEqual({ Err: { Unauthorized: { caller: env.stranger.getPrincipal() } } });
        expect(await asAdmin.set_top_up_policy([{ ...policyFor(current), amount: 0n }])).toMatchObject({ Err: { InvalidInput: {} } });
        const reserveBefore = (await managementStatus(deployment.peers.monitor)).cycles;
        // Just above the scheduler's balance (the poorer peers are topped up too).
        expect(unwrap(await asAdmin.set_top_up_policy([policyFor(current + 1n)]))).toEqual([policyFor(current + 1n)]);
        const health = unwrap(await asAdmin.trigger_health_check());
        unwrap(await asAdmin.set_top_up_policy([]));
        const after = (await managementStatus(scheduler)).cycles;
        expect(after).toBeGreaterThan(current + 400_000_000_000n); // 0.5 T in, less what it spent meanwhile
        expect(health.canisters.find((c) => c.canister.toText() === scheduler.toText())!.status[0]!.cycles).toBeGreaterThan(current);
        const toppedUp = unwrap(await asAdmin.get_notifications([])).filter((n) => n.message.startsWith('topped up'));
        expect(toppedUp.map((n) => n.message)).toContain(`topped up ${scheduler.toText()} with 500000000000 cycles from the monitor's reserve`);
        const reserveAfter = (await managementStatus(deployment.peers.monitor)).cycles;
        expect(reserveBefore - reserveAfter).toBeGreaterThanOrEqual(BigInt(toppedUp.length) * 500_000_000_000n);
        // Off: nothing more is sent.
        unwrap(await asAdmin.trigger_health_check());
        expect(unwrap(await asAdmin.get_notifications([])).filter((n) => n.message.startsWith('topped up'))).toHaveLength(toppedUp.length);
    });

    it('raises HighMemory from the real memory of a peer', async () => {
        const executor = deployment.peers.executor;
        const reading = (await healthOf(executor)).status[0]!;
        const used = reading.wasm_memory_size + reading.stable_memory_size;
        unwrap(await asAdmin.set_thresholds({ ...DEFAULT_THRESHOLDS, high_memory_bytes: used - 1n }));
        const health = unwrap(await asAdmin.trigger_health_check());
        expect(health.open_alerts.find((a) => 'HighMemory' in a.kind && a.subject === executor.toText())?.message).toMatch(/\(canister_status\)$/);
        unwrap(await asAdmin.set_thresholds(DEFAULT_THRESHOLDS));
        expect(unwrap(await monitor.check_system_alerts()).find((a) => 'HighMemory' in a.kind)).toBeUndefined();
    });
});
