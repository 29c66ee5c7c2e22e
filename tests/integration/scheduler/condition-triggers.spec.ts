/**
 * Scheduler > condition triggers: the real orchestrator and the demo price oracle. A trigger
 * reads the oracle every 30 s and starts the liquidation workflow (with its input) when the
 * price is below the threshold: exactly one run per crossing, re-armed when the price
 * recovers, kept across an upgrade of the scheduler; read targets go through the call policy;
 * an owner's reads count against an hourly quota; a read due while the owner's agent is being
 * upgraded waits unsent, as a call node's call does.
 */
import type { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import type { Actor } from '@dfinity/pic';

import type { ConditionTrigger } from '../../../shared/scheduling/condition';
import type { Schedule } from '../../../shared/scheduling/schedule';
import { createPic } from '../support/pic';
import { advanceSeconds, request, schedulerIdlFactory, unwrap, type SchedulerService } from '../support/scheduling';
import { deflowActor, upgradeDeflowCanister } from '../support/deflow';
import { createWorkflow, deployWorkflowEnv, driveToEnd, errTag, EMPTY_CANDID_ARGS, liquidationDefinition, liquidationInput, okOf, readyAgentOf, statusOf, type ExecutorService, type WorkflowEnv } from '../support/workflows';
import { AGENT_MIN_BALANCE, agentIdlFactory } from '../../../shared/agent/api';
import { AGENT_RUN_MIN_BALANCE } from '../../../shared/agent/funding';
import { executorIdlFactory } from '../../../shared/workflow';

jest.setTimeout(300_000);

const THRESHOLD = 60_000_000n;

describe('Scheduler > condition triggers', () => {
    let env: WorkflowEnv;
    let scheduler: Actor<SchedulerService>;
    let workflowId: string;

    const priceBelow = (canister: Principal): ConditionTrigger => ({
        every_seconds: 30n,
        read: { canister, method: 'get_price', args: EMPTY_CANDID_ARGS, reply_types: '(record { price_e8s: nat64 })' },
        path: 'price_e8s',
        op: { Lt: null },
        value: THRESHOLD.toString(),
        cooldown_seconds: 0n
    });

    beforeAll(async () => {
        env = await deployWorkflowEnv(await createPic());
        scheduler = deflowActor<SchedulerService>(env.pic, env.deployment, 'scheduler', schedulerIdlFactory, env.owner);
        workflowId = (await createWorkflow(env, liquidationDefinition(env.ids))).id;
    });

    afterAll(async () => {
        await env?.pic.tearDown();
    });

    /** Executions the trigger started so far, oldest first. */
    async function runsOf(s: Schedule): Promise<string[]> {
        const firings = unwrap(await scheduler.get_schedule(s.id)).recent_firings;
        return firings.flatMap((f) => ('Started' in f.outcome ? [f.outcome.Started.execution_id] : []));
    }

    /** Lets `reads` reads happen (one every 30 s) and every run they started finish. */
    async function read(s: Schedule, reads: number): Promise<void> {
        for (let i = 0; i < reads; i++) await advanceSeconds(env.pic, 30, 4);
        for (const id of await runsOf(s)) expect(statusOf(await driveToEnd(env, id))).toBe('Succeeded');
    }

    it('starts exactly one run per crossing, with its input, and keeps doing so across a scheduler upgrade', async () => {
        await env.oracle.set_price(90_000_000n);
        const repaidBefore = await env.lending.repay_count();
        const s = unwrap(await scheduler.schedule_workflow_execution(request({ Condition: priceBelow(env.ids.oracle) }, { missed_run: { RunOnce: null }, overlap: { Allow: null } }, workflowId, liquidationInput(THRESHOLD, 3n)[0])));
        expect(s.condition[0]).toMatchObject({ armed: true, reads: 0n });

        await read(s, 2);
        expect(await runsOf(s)).toEqual([]);

        await env.oracle.set_price(50_000_000n);
        await read(s, 3);
        const first = await runsOf(s);
        expect(first).toHaveLength(1);
        expect(await env.lending.repay_count()).toBe(repaidBefore + 1n);
        const afterCrossing = unwrap(await scheduler.get_schedule(s.id)).schedule.condition[0];
        expect(afterCrossing).toMatchObject({ armed: false, last_value: ['50000000'], read_failures: 0n });
        expect(afterCrossing!.reads).toBe(5n);

        await upgradeDeflowCanister(env.pic, env.deployment, 'scheduler');
        await env.pic.tick(3);
        const upgraded = unwrap(await scheduler.get_schedule(s.id)).schedule;
        expect(upgraded.condition[0]).toMatchObject({ armed: false, reads: 5n });
        expect(upgraded.next_due_at).toHaveLength(1);

        await read(s, 2);
        expect(await runsOf(s)).toEqual(first);

        await env.oracle.set_price(80_000_000n);
        await read(s, 1);
        expect(unwrap(await scheduler.get_schedule(s.id)).schedule.condition[0]?.armed).toBe(true);
        await env.oracle.set_price(40_000_000n);
        await read(s, 2);
        expect(await runsOf(s)).toHaveLength(2);
        expect(await env.lending.repay_count()).toBe(repaidBefore + 2n);
        unwrap(await scheduler.cancel_persistent_execution(s.id));
    });

    it("the owner's agent makes and pays for the reads; an underfunded agent's trigger stops reading, visibly, and reads again once topped up", async () => {
        await env.oracle.set_price(90_000_000n);
        const agent = await readyAgentOf(env, env.orchestrator);
        const cyclesOf = async (p: Principal): Promise<bigint> => BigInt(await env.pic.getCyclesBalance(p));
        const s = unwrap(await scheduler.schedule_workflow_execution(request({ Condition: priceBelow(env.ids.oracle) }, undefined, workflowId, liquidationInput(THRESHOLD)[0])));
        const stateOf = async () => unwrap(await scheduler.get_schedule(s.id)).schedule.condition[0]!;

        const before = await cyclesOf(agent);
        await read(s, 2);
        expect(await stateOf()).toMatchObject({ reads: 2n, read_failures: 0n, underfunded: [] });
        // The read target sees the owner's agent as its caller: the agent sent, and paid for, the call.
        expect(await env.oracle.last_caller()).toEqual([agent]);
        expect(await cyclesOf(agent)).toBeLessThan(before);

        // The owner withdraws the agent down to under the run minimum.
        const asOwner = env.pic.createActor<{ withdraw_cycles: (a: { to: Principal; amount: bigint }) => Promise<{ Ok: { balance: bigint } } | { Err: unknown }> }>(agentIdlFactory as never, agent);
        asOwner.setIdentity(env.owner);
        okOf(await asOwner.withdraw_cycles({ to: env.ids.lending, amount: (await cyclesOf(agent)) - (AGENT_MIN_BALANCE + AGENT_MIN_BALANCE / 2n) }));
        const callsBefore = await env.oracle.calls();
        for (let i = 0; i < 12; i++) await advanceSeconds(env.pic, 60, 4);
        expect(await env.oracle.calls()).toBe(callsBefore);
        const starved = await stateOf();
        expect(starved).toMatchObject({ reads: 2n, read_failures: 0n, underfunded: [{ minimum: AGENT_RUN_MIN_BALANCE, balance: expect.any(BigInt), since: expect.any(BigInt) }] });
        expect(starved.underfunded[0]!.balance).toBeLessThan(AGENT_RUN_MIN_BALANCE);

        await env.pic.addCycles(agent, 1_000_000_000_000n);
        for (let i = 0; i < 6; i++) await advanceSeconds(env.pic, 60, 4);
        const fed = await stateOf();
        expect(fed.underfunded).toEqual([]);
        expect(fed.reads).toBeGreaterThan(2n);
        expect(await env.oracle.calls()).toBeGreaterThan(callsBefore);
        unwrap(await scheduler.cancel_persistent_execution(s.id));
    });

    it("counts the owner's condition reads against an hourly quota: past it no read is sent, the trigger says so, and reads resume the next hour", async () => {
        await env.oracle.set_price(90_000_000n);
        const asAdmin = deflowActor<SchedulerService>(env.pic, env.deployment, 'scheduler', schedulerIdlFactory, env.admin);
        expect(errTag(await asAdmin.set_schedule_quota({ owner: [env.owner.getPrincipal()], max_schedules: 100, condition_reads_per_hour: [0] }))).toBe('InvalidInput');
        unwrap(await asAdmin.set_schedule_quota({ owner: [env.owner.getPrincipal()], max_schedules: 100, condition_reads_per_hour: [2] }));
        // Start at the top of a clock hour, so the two reads and the refusals fall in one window.
        const HOUR_MS = 3_600_000;
        await env.pic.advanceTime(HOUR_MS - (Number(await env.pic.getTime()) % HOUR_MS) + 1_000);
        await env.pic.tick(2);
        const s = unwrap(await scheduler.schedule_workflow_execution(request({ Condition: priceBelow(env.ids.oracle) }, undefined, workflowId, liquidationInput(THRESHOLD)[0])));
        const stateOf = async () => unwrap(await scheduler.get_schedule(s.id)).schedule.condition[0]!;
        const callsBefore = await env.oracle.calls();
        for (let i = 0; i < 6; i++) await advanceSeconds(env.pic, 30, 4);
        const limited = await stateOf();
        expect(limited).toMatchObject({ reads: 2n, read_failures: 0n, read_quota: [{ max: 2, until: expect.any(BigInt) }] });
        expect(await env.oracle.calls()).toBe(callsBefore + 2n);
        const quota = unwrap(await scheduler.get_schedule_quota());
        expect(quota).toMatchObject({ condition_reads_per_hour: 2, condition_reads_this_hour: 2 });
        expect(quota.condition_reads_refused).toBeGreaterThan(0n);
        // The next hour the trigger reads again, and the status ends.
        const until = limited.read_quota[0]!.until;
        await env.pic.advanceTime(Number((until - BigInt(await env.pic.getTime()) * 1_000_000n) / 1_000_000n) + 1_000);
        await advanceSeconds(env.pic, 30, 4);
        const resumed = await stateOf();
        expect(resumed.read_quota).toEqual([]);
        expect(resumed.reads).toBeGreaterThanOrEqual(3n);
        expect(await env.oracle.calls()).toBeGreaterThan(callsBefore + 2n);
        unwrap(await scheduler.cancel_persistent_execution(s.id));
        unwrap(await asAdmin.set_schedule_quota({ owner: [env.owner.getPrincipal()], max_schedules: 100, condition_reads_per_hour: [360] }));
    });

    it('a read of a DeFlow canister or the management canister is refused at creation', async () => {
        for (const target of [env.deployment.peers.orchestrator, env.deployment.peers.scheduler, Principal.fromText('aaaaa-aa')]) {
            const r = await scheduler.schedule_workflow_execution(request({ Condition: priceBelow(target) }, undefined, workflowId, liquidationInput(THRESHOLD)[0]));
            expect(r).toEqual({ Err: { InvalidInput: { field: 'kind.Condition.read.canister', message: expect.any(String) } } });
        }
    });

    it('a trigger that reads too often is refused with the field path', async () => {
        const r = await scheduler.schedule_workflow_execution(request({ Condition: { ...priceBelow(env.ids.oracle), every_seconds: 1n } }, undefined, workflowId, liquidationInput(THRESHOLD)[0]));
        expect(r).toEqual({ Err: { InvalidInput: { field: 'kind.Condition.every_seconds', message: expect.any(String) } } });
    });

    it("a read due while the owner's agent is being upgraded is not sent and not counted as failed: the trigger reads again soon, after the upgrade", async () => {
        await env.oracle.set_price(90_000_000n);
        const s = unwrap(await scheduler.schedule_workflow_execution(request({ Condition: priceBelow(env.ids.oracle) }, undefined, workflowId, liquidationInput(THRESHOLD)[0])));
        const scheduleOf = async () => unwrap(await scheduler.get_schedule(s.id)).schedule;
        await read(s, 1);
        const before = (await scheduleOf()).condition[0]!;
        const due = (await scheduleOf()).next_due_at[0]!;
        // The read comes due in the round the upgrade starts, so it reaches the executor while the agent is stopped and upgraded.
        await env.pic.advanceTime(30_000);
        const upgrader = env.pic.createDeferredActor<ExecutorService>(executorIdlFactory as unknown as IDL.InterfaceFactory, env.deployment.peers.executor);
        upgrader.setIdentity(env.admin);
        const upgrade = await upgrader.upgrade_agents({ cursor: [], limit: [] });
        expect(okOf(await upgrade())).toMatchObject({ failed: [] });
        const during = await scheduleOf();
        expect(during.condition[0]).toMatchObject({ reads: before.reads, read_failures: before.read_failures });
        // Not the trigger's own next time (30 s on): soon.
        expect(during.next_due_at[0]!).toBeLessThan(due + 30n * 1_000_000_000n);
        await advanceSeconds(env.pic, 10, 4);
        expect((await scheduleOf()).condition[0]).toMatchObject({ reads: before.reads + 1n, read_failures: before.read_failures, last_error: [] });
        unwrap(await scheduler.cancel_persistent_execution(s.id));
    });
});
