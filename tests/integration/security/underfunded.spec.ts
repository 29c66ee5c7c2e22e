/**
 * Security > underfunded agents: once an owner's agent holds less than new runs need
 * (`AGENT_RUN_MIN_BALANCE`), that owner's new runs wait `Underfunded` (nothing is called), the
 * monitor raises an `AgentUnderfunded` alert about the agent, and the runs start by
 * themselves after a top-up: `deposit_cycles` straight to the agent (seen at the next balance
 * read) or `top_up_agent` with cycles attached (at once). Another owner's runs go on, and
 * nobody else can raise or resolve the alert. Balances are read from the server.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';
import type { Actor, PocketIc } from '@dfinity/pic';

import { AGENT_MIN_BALANCE, agentIdlFactory, type WithdrawCyclesArg } from '../../../shared/agent/api';
import { AGENT_RUN_MIN_BALANCE, TopUpAgentArgWire, TopUpAgentReplyWire } from '../../../shared/agent/funding';
import type { ApiError } from '../../../shared/common/errors';
import { resultWire } from '../../../shared/workflow/api-common';
import { DEFAULT_RECOVERY, orchestratorIdlFactory, type ExecutionWire, type WorkflowWire } from '../../../shared/workflow';
import { deflowActor } from '../support/deflow';
import { deployCaller, type CallerService } from '../support/fixtures';
import { monitorActor } from '../support/monitoring';
import { createPic } from '../support/pic';
import { tickUntil } from '../support/ticking';
import { deployWorkflowEnv, driveToEnd, driveUntil, errTag, okOf, oracleProbeDefinition, statusOf, type OrchestratorService, type WorkflowEnv } from '../support/workflows';

jest.setTimeout(300_000);

const T = 1_000_000_000_000n;

type AgentService = { withdraw_cycles: (arg: WithdrawCyclesArg) => Promise<{ Ok: { balance: bigint } } | { Err: ApiError }> };

const TopUpResult = resultWire(TopUpAgentReplyWire);

describe('Security > underfunded agents', () => {
    let pic: PocketIc;
    let env: WorkflowEnv;
    let agent: Principal;
    let workflow: WorkflowWire;
    let wallet: Actor<CallerService>;

    const cyclesOf = async (p: Principal): Promise<bigint> => BigInt(await pic.getCyclesBalance(p));
    const fundingOf = async () => okOf(await env.orchestrator.get_agent()).funding[0];
    const agentAlert = async () => (await monitorActor(pic, env.deployment).get_system_health()).open_alerts.find((a) => 'AgentUnderfunded' in a.kind && a.subject === agent.toText());

    async function start(): Promise<ExecutionWire> {
        return okOf(await env.orchestrator.start_execution({ workflow_id: workflow.id, input: [] }));
    }

    /** Ticks until the orchestrator's view of the agent satisfies `done` (its reads go through the outbox). */
    async function untilFunding(done: (underfunded: boolean | undefined) => boolean): Promise<void> {
        await tickUntil(pic, async () => (await fundingOf())?.underfunded, done, { maxRounds: 20 });
    }

    /** The owner spends the agent down to `left` cycles (a withdrawal), and one run lets the orchestrator see it. */
    async function spendDownTo(left: bigint): Promise<void> {
        const asOwner = pic.createActor<AgentService>(agentIdlFactory as never, agent);
        asOwner.setIdentity(env.owner);
        await pic.tick(6); // the read after the last run is done: the orchestrator last saw the agent funded
        const balance = await cyclesOf(agent);
        if (balance > left) okOf(await asOwner.withdraw_cycles({ to: env.ids.lending, amount: balance - left }));
        // The balance is read after each finished run of the owner: this run still goes, the next waits.
        expect(statusOf(await driveToEnd(env, (await start()).id))).toBe('Succeeded');
        await untilFunding((u) => u === true);
    }

    /** Ticks until the monitor's alert about the agent is open (`true`) or not (`false`); the orchestrator's outbox tells it. */
    async function untilAlert(open: boolean) {
        return await tickUntil(pic, agentAlert, (alert) => (alert !== undefined) === open, { maxRounds: 10 });
    }

    async function topUpThroughDeflow(owner: Principal, cycles: bigint) {
        const arg = new Uint8Array(IDL.encode([TopUpAgentArgWire.idl], [{ owner }]));
        const r = await wallet.callRaw(env.deployment.peers.orchestrator, 'top_up_agent', arg, cycles);
        if ('Err' in r) throw new Error(`top_up_agent rejected: ${r.Err.message}`);
        const [decoded] = IDL.decode([TopUpResult.idl], Uint8Array.from(r.Ok.reply)) as unknown as [{ Ok: { deposited: bigint; balance: [] | [bigint]; underfunded: boolean } } | { Err: object }];
        return { answer: decoded, refunded: r.Ok.refunded };
    }

    beforeAll(async () => {
        pic = await createPic();
        env = await deployWorkflowEnv(pic);
        workflow = okOf(await env.orchestrator.create_workflow(oracleProbeDefinition(env.ids, DEFAULT_RECOVERY)));
        await tickUntil(pic, fundingOf, (funding) => funding !== undefined, { maxRounds: 20 });
        const a = okOf(await env.orchestrator.get_agent());
        if (a.agent[0] === undefined) throw new Error('the agent was not created');
        agent = a.agent[0];
        wallet = (await deployCaller(pic, { cycles: 20n * T })).actor;
    });

    afterAll(async () => {
        await pic?.tearDown();
    });

    it("shows the agent's balance as read once it exists", async () => {
        const f = await fundingOf();
        expect(f?.underfunded).toBe(false);
        expect(f?.minimum).toBe(AGENT_RUN_MIN_BALANCE);
        expect(f?.balance).toBeGreaterThan(AGENT_RUN_MIN_BALANCE);
    });

    it('holds new runs Underfunded once the agent is spent down, sends nothing, and alerts about the agent', async () => {
        await spendDownTo(AGENT_MIN_BALANCE + AGENT_MIN_BALANCE / 2n);
        expect(await untilAlert(true)).toMatchObject({ severity: { Warning: null }, status: { Raised: null } });

        const callsBefore = await env.oracle.calls();
        const waiting = await start();
        expect(statusOf(waiting)).toBe('Underfunded');
        const still = await driveUntil(env, waiting.id, () => false, { maxRounds: 5 });
        expect(statusOf(still)).toBe('Underfunded');
        expect(still.nodes.every((n) => 'Pending' in n.status)).toBe(true);
        expect(await env.oracle.calls()).toBe(callsBefore);
        expect((await fundingOf())?.waiting_runs).toBe(1);
    });

    it('starts the waiting run by itself after a deposit_cycles straight to the agent, and resolves the alert', async () => {
        const [waiting] = okOf(await env.orchestrator.list_executions({ workflow_id: [workflow.id], status: [{ Underfunded: null }], page: { limit: 10, cursor: [] }, order: [] })).items;
        if (waiting === undefined) throw new Error('no waiting run');
        await pic.addCycles(agent, T);
        // Nobody told DeFlow: the orchestrator re-reads a short agent's balance, at most a minute apart.
        const done = await driveToEnd(env, waiting.id, { stepMs: 10_000, maxRounds: 15 });
        expect(statusOf(done)).toBe('Succeeded');
        expect((await fundingOf())?.underfunded).toBe(false);
        expect(await untilAlert(false)).toBeUndefined();
    });

    it('starts waiting runs at once when top_up_agent brings attached cycles, and takes none for an owner without an agent', async () => {
        await spendDownTo(AGENT_MIN_BALANCE + AGENT_MIN_BALANCE / 2n);
        const waiting = await start();
        expect(statusOf(waiting)).toBe('Underfunded');

        const agentBefore = await cyclesOf(agent);
        const { answer } = await topUpThroughDeflow(env.owner.getPrincipal(), T);
        expect(answer).toMatchObject({ Ok: { deposited: T, underfunded: false } });
        expect((await cyclesOf(agent)) - agentBefore).toBeGreaterThan(T - T / 100n);
        const now = okOf(await env.orchestrator.get_execution({ execution_id: waiting.id }));
        expect(statusOf(now)).toBe('Running');
        expect(statusOf(await driveToEnd(env, waiting.id))).toBe('Succeeded');

        const none = await topUpThroughDeflow(env.stranger.getPrincipal(), T);
        expect(errTag(none.answer as never)).toBe('NotFound');
        expect(none.refunded).toBe(T);
        // An ingress message carries no cycles.
        expect(errTag(await env.orchestrator.top_up_agent({ owner: env.owner.getPrincipal() }))).toBe('InvalidInput');
    });

    it("keeps another owner's runs going, and lets nobody but the orchestrator raise or resolve a funding alert", async () => {
        await spendDownTo(AGENT_MIN_BALANCE + AGENT_MIN_BALANCE / 2n);
        const asStranger = deflowActor<OrchestratorService>(pic, env.deployment, 'orchestrator', orchestratorIdlFactory as unknown as IDL.InterfaceFactory, env.stranger);
        const theirs = okOf(await asStranger.create_workflow(oracleProbeDefinition(env.ids, DEFAULT_RECOVERY)));
        await tickUntil(pic, async () => okOf(await asStranger.get_agent()).funding[0], (funding) => funding !== undefined, { maxRounds: 20 });
        const x = okOf(await asStranger.start_execution({ workflow_id: theirs.id, input: [] }));
        expect(statusOf(x)).toBe('Running');

        const event = { AgentFunded: { owner: env.owner.getPrincipal(), agent, balance: 10n * T } };
        for (const caller of [env.admin, env.stranger]) {
            const monitor = monitorActor(pic, env.deployment, caller);
            expect(errTag(await monitor.send_system_notification({ level: { Info: null }, message: 'funded', source: 'test', event: [event] }))).toBe('Unauthorized');
        }
        expect(await untilAlert(true)).toMatchObject({ status: { Raised: null } });
    });
});
