/**
 * Executor > agent subnets: on a network with two application subnets (and the NNS subnet with
 * the cycles minting canister), admins name the subnets new agents are created on
 * (`set_agent_subnets`); the executor creates them in turn through the CMC's `create_canister`
 * with `subnet_selection`, and installs each from the agent's own chunk store. Two owners'
 * agents land on different subnets, each owner's call node runs through its own agent (one of
 * them across subnets, to the oracle and back to the executor), and `upgrade_agents` upgrades both.
 */
import { IDL } from '@dfinity/candid';
import { PocketIc, SubnetStateType, type Actor } from '@dfinity/pic';
import type { Principal } from '@dfinity/principal';

import { deployLocalCycles, LOCAL_NETWORK_SUBNETS } from '../../../cli/local-cycles';
import { agentIdlFactory } from '../../../shared/agent/api';
import { NO_RETRY, orchestratorIdlFactory } from '../../../shared/workflow';
import { runOnce, upgradeEveryAgent } from '../support/agents';
import { deflowActor } from '../support/deflow';
import { picUrl } from '../support/server-handle';
import { deployWorkflowEnv, errTag, executorAs, okOf, oracleProbeDefinition, readyAgentOf, statusOf, type OrchestratorService, type WorkflowEnv } from '../support/workflows';

jest.setTimeout(300_000);

type AgentVersionService = { get_version: () => Promise<{ canister_version: bigint }> };

describe('Executor > agent subnets', () => {
    let env: WorkflowEnv;
    let subnets: Principal[];
    let executorSubnet: Principal;
    let owners: Actor<OrchestratorService>[];
    const agents: Principal[] = [];

    beforeAll(async () => {
        const pic = await PocketIc.create(picUrl(), { ...LOCAL_NETWORK_SUBNETS, application: [{ state: { type: SubnetStateType.New } }, { state: { type: SubnetStateType.New } }] });
        env = await deployWorkflowEnv(pic);
        await deployLocalCycles(pic, env.deployment.controller, []);
        subnets = (await pic.getApplicationSubnets()).map((s) => s.id);
        const own = await pic.getCanisterSubnetId(env.deployment.peers.executor);
        if (own === null) throw new Error('the executor has no subnet');
        executorSubnet = own;
        owners = [env.orchestrator, deflowActor<OrchestratorService>(pic, env.deployment, 'orchestrator', orchestratorIdlFactory as unknown as IDL.InterfaceFactory, env.stranger)];
    });

    afterAll(async () => {
        await env.pic.tearDown();
    });

    const probe = (): ReturnType<typeof oracleProbeDefinition> => oracleProbeDefinition(env.ids, { retry: NO_RETRY, fallback: { kind: 'StopExecution' }, emergencyActions: [] });

    it("creates agents on the executor's own subnet by default, and takes a list of subnets from admins only", async () => {
        expect(subnets).toHaveLength(2);
        expect(await env.executor.get_agent_subnets()).toEqual([]);
        const other = subnets.find((s) => s.toText() !== executorSubnet.toText());
        if (other === undefined) throw new Error('no second application subnet');
        expect(errTag(await executorAs(env, env.stranger.getPrincipal()).set_agent_subnets({ subnets: [other] }))).toBe('Unauthorized');
        expect(errTag(await executorAs(env, env.admin.getPrincipal()).set_agent_subnets({ subnets: [other, other] }))).toBe('InvalidInput');
        // The other subnet first: the first owner's agent lives away from the executor and the oracle.
        okOf(await executorAs(env, env.admin.getPrincipal()).set_agent_subnets({ subnets: [other, executorSubnet] }));
        expect((await env.executor.get_agent_subnets()).map((s) => s.toText())).toEqual([other.toText(), executorSubnet.toText()]);
    });

    it("puts two owners' agents on different subnets, in the configured order, each running its owner's call node", async () => {
        for (const owner of owners) {
            okOf(await owner.create_workflow(probe()));
            agents.push(await readyAgentOf(env, owner));
        }
        const where = await Promise.all(agents.map(async (a) => (await env.pic.getCanisterSubnetId(a))?.toText()));
        expect(where).toEqual((await env.executor.get_agent_subnets()).map((s) => s.toText()));
        for (const owner of owners) expect(statusOf(await runOnce(env, owner, probe()))).toBe('Succeeded');
    });

    it('upgrades the agents on both subnets with upgrade_agents', async () => {
        const version = async (a: Principal): Promise<bigint> => (await env.pic.createActor<AgentVersionService>(agentIdlFactory as never, a).get_version()).canister_version;
        const before = await Promise.all(agents.map(version));
        expect(await upgradeEveryAgent(executorAs(env, env.admin.getPrincipal()))).toEqual({ upgraded: 2, failed: [], batches: 1 });
        const after = await Promise.all(agents.map(version));
        after.forEach((v, i) => expect(v).toBeGreaterThan(before[i] ?? v));
        for (const owner of owners) expect(statusOf(await runOnce(env, owner, probe()))).toBe('Succeeded');
    });
});
