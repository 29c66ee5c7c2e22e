/**
 * Security > funding: an owner's agent pays the cycles its calls attach from its own balance
 * (never the executor's); a call attaching more than the agent can spare fails
 * `InsufficientCycles` with nothing sent; anyone can top the agent up (`deposit_cycles`
 * straight to it); only the owner can withdraw, and never below the agent's minimum.
 * Balances are read from the server.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

import { AGENT_MIN_BALANCE, agentIdlFactory, type WithdrawCyclesArg } from '../../../shared/agent/api';
import type { ApiError } from '../../../shared/common/errors';
import { NO_RETRY, encodeWorkflowDefinition, orchestratorIdlFactory, type WorkflowDefinitionWire } from '../../../shared/workflow';
import { node } from '../../../shared/workflow/testing';
import { deflowActor } from '../support/deflow';
import { tickUntil } from '../support/ticking';
import { useWorkflowEnv, driveToEnd, errTag, nodeOf, okOf, statusOf, type OrchestratorService } from '../support/workflows';

jest.setTimeout(240_000);

const EMPTY_ARGS = new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]);
const T = 1_000_000_000_000n;

type AgentService = { withdraw_cycles: (arg: WithdrawCyclesArg) => Promise<{ Ok: { balance: bigint } } | { Err: ApiError }> };

/** The oracle's `get_price` with `cycles` attached (the oracle keeps none: the rest is refunded). */
function pricedCall(oracle: Principal, cycles: bigint): WorkflowDefinitionWire {
    return encodeWorkflowDefinition({
        name: 'priced',
        description: '',
        nodes: [
            node('call', {
                config: { kind: 'Call', canister: oracle.toText(), method: 'get_price', args: { kind: 'Raw', bytes: EMPTY_ARGS }, cycles, reply: { kind: 'Raw' } },
                recovery: { retry: NO_RETRY, fallback: { kind: 'StopExecution' }, emergencyActions: [] }
            })
        ]
    });
}

describe('Security > funding', () => {
    const env = useWorkflowEnv();
    let agent: Principal;

    /** pic-js types the balance as bigint but answers a number: normalise. */
    const cyclesOf = async (p: Principal): Promise<bigint> => BigInt(await env.pic.getCyclesBalance(p));

    /** The agent of the owner `actor` speaks as, once the orchestrator has created it (a few rounds). */
    async function agentOf(actor: Pick<OrchestratorService, 'get_agent'>): Promise<Principal> {
        const created = await tickUntil(env.pic, async () => okOf(await actor.get_agent()).agent[0], (a) => a !== undefined, { maxRounds: 10 });
        if (created === undefined) throw new Error('the owner has no agent');
        return created;
    }

    async function run(def: WorkflowDefinitionWire) {
        const wf = okOf(await env.orchestrator.create_workflow(def));
        const x = okOf(await env.orchestrator.start_execution({ workflow_id: wf.id, input: [] }));
        return await driveToEnd(env, x.id, { maxRounds: 20 });
    }

    beforeAll(async () => {
        okOf(await env.orchestrator.create_workflow(pricedCall(env.ids.oracle, 0n)));
        agent = await agentOf(env.orchestrator);
    });

    it("refuses a call attaching more than the agent can spare, sends nothing, and leaves the executor's cycles alone", async () => {
        const agentBefore = await cyclesOf(agent);
        const executorBefore = await cyclesOf(env.deployment.peers.executor);
        const oracleCalls = await env.oracle.calls();
        const x = await run(pricedCall(env.ids.oracle, agentBefore + T));
        expect(statusOf(x)).toBe('Failed');
        expect(nodeOf(x, 'call').error[0]?.kind).toEqual({ InsufficientCycles: null });
        expect(await env.oracle.calls()).toBe(oracleCalls);
        // Whatever the messages cost, no attached cycles left either canister.
        expect(agentBefore - (await cyclesOf(agent))).toBeLessThan(T / 100n);
        expect(executorBefore - (await cyclesOf(env.deployment.peers.executor))).toBeLessThan(T / 100n);
    });

    it('pays attached cycles from the agent, not the executor, once it is topped up', async () => {
        await env.pic.addCycles(agent, 5n * T);
        const executorBefore = await cyclesOf(env.deployment.peers.executor);
        const x = await run(pricedCall(env.ids.oracle, 2n * T));
        expect(statusOf(x)).toBe('Succeeded');
        // The oracle does not accept cycles: they come back to the agent; the executor attached none.
        expect(executorBefore - (await cyclesOf(env.deployment.peers.executor))).toBeLessThan(T / 100n);
    });

    it('lets only the owner withdraw, and never below the minimum', async () => {
        const asOwner = env.pic.createActor<AgentService>(agentIdlFactory as never, agent);
        asOwner.setIdentity(env.owner);
        const asStranger = env.pic.createActor<AgentService>(agentIdlFactory as never, agent);
        asStranger.setIdentity(env.stranger);
        expect(errTag(await asStranger.withdraw_cycles({ to: env.ids.lending, amount: T }))).toBe('Unauthorized');

        const balance = await cyclesOf(agent);
        expect(errTag(await asOwner.withdraw_cycles({ to: env.ids.lending, amount: balance }))).toBe('LimitExceeded');
        expect(errTag(await asOwner.withdraw_cycles({ to: env.owner.getPrincipal(), amount: T }))).toBe('InvalidInput');

        const lendingBefore = await cyclesOf(env.ids.lending);
        okOf(await asOwner.withdraw_cycles({ to: env.ids.lending, amount: 2n * T }));
        expect((await cyclesOf(env.ids.lending)) - lendingBefore).toBe(2n * T);
        const after = await cyclesOf(agent);
        expect(after).toBeLessThan(balance - 2n * T + T / 100n);
        expect(after).toBeGreaterThan(AGENT_MIN_BALANCE);
    });

    it('leaves the stranger nothing to spend: their orchestrator calls cannot name the owner', async () => {
        const asStranger = deflowActor<OrchestratorService>(env.pic, env.deployment, 'orchestrator', orchestratorIdlFactory as unknown as IDL.InterfaceFactory, env.stranger);
        okOf(await asStranger.create_workflow(pricedCall(env.ids.oracle, 0n)));
        const theirs = await agentOf(asStranger);
        expect(theirs.toText()).not.toBe(agent.toText());
    });
});
