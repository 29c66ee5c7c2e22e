/**
 * Drills > agent upgrade: `upgrade_agents` upgrades every owner's agent while both owners'
 * call nodes keep running through them, and nothing is lost or run twice. Each agent is
 * stopped (its calls in flight finish and report), upgraded and started; a call due meanwhile
 * waits unsent and is handed over afterwards. Every execution succeeds with exactly one
 * attempt of its call, and the target counts exactly one call per execution.
 */
import { IDL } from '@dfinity/candid';
import type { Actor } from '@dfinity/pic';
import type { Principal } from '@dfinity/principal';

import { agentIdlFactory } from '../../../shared/agent/api';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { NO_RETRY, encodeWorkflowDefinition, executorIdlFactory, orchestratorIdlFactory, type ExecutionWire, type WorkflowDefinitionWire } from '../../../shared/workflow';
import { node } from '../../../shared/workflow/testing';
import { bulkyTargetIdlFactory, type BulkyTargetService } from '../support/canisters/bulky-target';
import { deflowActor } from '../support/deflow';
import { EMPTY_CANDID_ARGS, driveToEnd, errTag, readyAgentOf, executorAs, nodeOf, okOf, statusOf, type ExecutorService, type OrchestratorService, useWorkflowEnv } from '../support/workflows';

jest.setTimeout(600_000);

const PER_OWNER_BEFORE = 3;
const PER_OWNER_DURING = 3;
/** Rounds a stalled oracle call stays open (each a management call). */
const STALL_ROUNDS = 20;
/**
 * Management calls the stalled calls of the holding test make before answering: a round runs
 * only as many of them as the oracle's round budget allows (docs/localnet.md, Round budget),
 * so this keeps each agent stopping across the rounds a new call takes to come due.
 */
const HELD_STALL_ROUNDS = 20_000;

/** Fills the agent's reply past the IC's 2 MiB: a blob just under it, which the agent can receive but not wrap and pass on. */
const NEAR_MAX_REPLY_BYTES = 2 * 1024 * 1024 - 64;
const BULKY_TARGET_WASM = resolve(__dirname, '..', 'support', 'canisters', '.azle', 'bulky_target', 'bulky_target.wasm');

type AgentVersionService = { get_version: () => Promise<{ canister_version: bigint }> };

/** One call node `price` making one call of `method` on `target`, no retries: a lost or refused call would fail the execution. */
function callOnceDefinition(target: Principal, method: string, replyTypes: string): WorkflowDefinitionWire {
    return encodeWorkflowDefinition({
        name: `call ${method} once`,
        description: '',
        nodes: [
            node('price', {
                config: { kind: 'Call', canister: target.toText(), method, args: { kind: 'Raw', bytes: EMPTY_CANDID_ARGS }, cycles: 0n, reply: { kind: 'Candid', types: replyTypes } },
                recovery: { retry: NO_RETRY, fallback: { kind: 'StopExecution' }, emergencyActions: [] }
            })
        ]
    });
}

/** One `get_price` on the oracle. */
const readPriceDefinition = (oracle: Principal): WorkflowDefinitionWire => callOnceDefinition(oracle, 'get_price', '(record { price_e8s: nat64 })');

describe('Drills > agent upgrade', () => {
    // The holding test's upgrade call waits out 2 × HELD_STALL_ROUNDS management calls: minutes of wall clock on a loaded machine.
    const env = useWorkflowEnv({ pic: { processingTimeoutMs: 300_000 } });
    let owners: { actor: Actor<OrchestratorService>; workflowId: string; agent: Principal }[];

    /** Drives an execution to its end, a second per step. */
    function runToEnd({ actor, id }: { actor: Actor<OrchestratorService>; id: string }): Promise<ExecutionWire> {
        return driveToEnd({ ...env, orchestrator: actor }, id, { stepMs: 1_000, maxRounds: 40 });
    }

    /** Each execution must succeed with its call made exactly once. */
    async function expectEachSucceededOnce(runs: readonly { actor: Actor<OrchestratorService>; id: string }[]): Promise<void> {
        for (const run of runs) {
            const x = await runToEnd(run);
            expect(statusOf(x)).toBe('Succeeded');
            expect(nodeOf(x, 'price').attempts.length).toBe(1);
        }
    }

    async function startAll(count: number): Promise<{ actor: Actor<OrchestratorService>; id: string }[]> {
        const started: { actor: Actor<OrchestratorService>; id: string }[] = [];
        for (let i = 0; i < count; i++) {
            for (const o of owners) started.push({ actor: o.actor, id: okOf(await o.actor.start_execution({ workflow_id: o.workflowId, input: [] })).id });
        }
        return started;
    }

    const canisterVersion = async (agent: Principal): Promise<bigint> => (await env.pic.createActor<AgentVersionService>(agentIdlFactory as never, agent).get_version()).canister_version;

    beforeAll(async () => {
        const asStranger = deflowActor<OrchestratorService>(env.pic, env.deployment, 'orchestrator', orchestratorIdlFactory as unknown as IDL.InterfaceFactory, env.stranger);
        owners = [];
        for (const actor of [env.orchestrator, asStranger]) {
            const wf = okOf(await actor.create_workflow(readPriceDefinition(env.ids.oracle)));
            owners.push({ actor, workflowId: wf.id, agent: await readyAgentOf(env, actor) });
        }
    });

    it('refuses anyone but admins and controllers', async () => {
        for (const caller of [env.owner.getPrincipal(), owners[1].agent, env.deployment.peers.orchestrator]) {
            expect(errTag(await executorAs(env, caller).upgrade_agents({ cursor: [], limit: [] }))).toBe('Unauthorized');
        }
    });

    it('holds a call that comes due while its agent is stopping (an outstanding call keeps it stopping), then runs it exactly once', async () => {
        const callsBefore = await env.oracle.calls();
        // One call per owner stalls at the oracle: each agent stays `stopping` until its call answers.
        await env.oracle.stall_next(owners.length, HELD_STALL_ROUNDS);
        const stalled = await startAll(1);
        await env.pic.tick(4);
        expect(await env.oracle.calls()).toBe(callsBefore + BigInt(owners.length));

        const upgrader = env.pic.createDeferredActor<ExecutorService>(executorIdlFactory as unknown as IDL.InterfaceFactory, env.deployment.peers.executor);
        upgrader.setIdentity(env.admin);
        const upgrade = await upgrader.upgrade_agents({ cursor: [], limit: [] });
        // The first agent's stop is asked; its stalled call keeps it stopping for many rounds.
        await env.pic.tick(3);
        // New calls come due now, while that agent is stopping: they must wait unsent (a stopping agent rejects them, and no retry would save them).
        const due = await startAll(1);
        await env.pic.tick(8);
        expect(await env.oracle.calls()).toBeLessThan(callsBefore + BigInt(2 * owners.length));
        expect(okOf(await upgrade())).toEqual({ upgraded: owners.length, failed: [], next_cursor: [] });

        await expectEachSucceededOnce([...stalled, ...due]);
        expect(await env.oracle.calls()).toBe(callsBefore + BigInt(2 * owners.length));
    });

    it("upgrades both owners' agents under load: every execution succeeds, each call runs exactly once", async () => {
        const callsBefore = await env.oracle.calls();
        const versionsBefore = await Promise.all(owners.map((o) => canisterVersion(o.agent)));
        // The first calls stall at the oracle, so each agent still has calls in flight when its stop is asked.
        await env.oracle.stall_next(PER_OWNER_BEFORE * owners.length, STALL_ROUNDS);
        const before = await startAll(PER_OWNER_BEFORE);
        await env.pic.tick(4);

        const upgrader = env.pic.createDeferredActor<ExecutorService>(executorIdlFactory as unknown as IDL.InterfaceFactory, env.deployment.peers.executor);
        upgrader.setIdentity(env.admin);
        const upgrade = await upgrader.upgrade_agents({ cursor: [], limit: [] });
        // Let the upgrade reach the agents' stop before more calls come due.
        await env.pic.tick(3);
        // Calls keep coming while the agents are stopped and upgraded.
        const during = await startAll(PER_OWNER_DURING);
        expect(okOf(await upgrade())).toEqual({ upgraded: owners.length, failed: [], next_cursor: [] });

        const versionsAfter = await Promise.all(owners.map((o) => canisterVersion(o.agent)));
        versionsAfter.forEach((v, i) => expect(v).toBeGreaterThan(versionsBefore[i]));

        const all = [...before, ...during];
        // Calls that waited for their agent go out at their next wake (seconds later).
        await expectEachSucceededOnce(all);
        expect(await env.oracle.calls()).toBe(callsBefore + BigInt(all.length));
    });

    it('hands no call back when its agent trapped after the target ran (a reply too large to pass on): the attempt fails once, the target counts one call', async () => {
        const target = await env.pic.setupCanister<BulkyTargetService>({ idlFactory: bulkyTargetIdlFactory as never, wasm: new Uint8Array(readFileSync(BULKY_TARGET_WASM)) });
        await env.pic.tick(3);
        const [owner] = owners;
        const workflowId = okOf(await owner.actor.create_workflow(callOnceDefinition(target.canisterId, 'read', '(blob)'))).id;
        await target.actor.prepare(NEAR_MAX_REPLY_BYTES, HELD_STALL_ROUNDS);
        const run = { actor: owner.actor, id: okOf(await owner.actor.start_execution({ workflow_id: workflowId, input: [] })).id };
        await env.pic.tick(4);
        expect(await target.actor.calls()).toBe(1n);

        const upgrader = env.pic.createDeferredActor<ExecutorService>(executorIdlFactory as unknown as IDL.InterfaceFactory, env.deployment.peers.executor);
        upgrader.setIdentity(env.admin);
        const upgrade = await upgrader.upgrade_agents({ cursor: [], limit: [] });
        await env.pic.tick(3);
        // The agent is stopping while its target still works on the call; then the target answers and the agent traps passing the reply on.
        expect((await env.pic.canisterStatus({ canisterId: owner.agent, sender: env.deployment.peers.executor })).status).toEqual({ stopping: null });
        expect(okOf(await upgrade())).toEqual({ upgraded: owners.length, failed: [], next_cursor: [] });

        const x = await runToEnd(run);
        expect(statusOf(x)).toBe('Failed');
        const attempts = nodeOf(x, 'price').attempts;
        expect(attempts).toHaveLength(1);
        const message = attempts[0]?.error[0]?.message ?? '';
        expect(message).toContain('agent:');
        expect(message).not.toMatch(/is stopp(ed|ing)/);
        // Time for any hand-back to go out again: none does.
        await env.pic.advanceTime(30_000);
        await env.pic.tick(6);
        expect(await target.actor.calls()).toBe(1n);
    });
});
