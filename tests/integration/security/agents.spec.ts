/**
 * Security > agents: each owner's call nodes go out from that owner's own agent canister,
 * created by the executor at the owner's first workflow and shown by `get_agent` before the
 * first run. A target that serves exactly one agent serves exactly one owner: that owner's
 * workflow gets through, another owner's is refused by the target. Nobody but the executor
 * can hand an agent a call, and no call node may target an agent.
 */
import { IDL } from '@dfinity/candid';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Principal } from '@dfinity/principal';
import type { Actor } from '@dfinity/pic';

import { agentIdlFactory, type AgentCallOutcome, type AgentInfo } from '../../../shared/agent/api';
import type { ApiError } from '../../../shared/common/errors';
import { NO_RETRY, encodeWorkflowDefinition, orchestratorIdlFactory, type WorkflowDefinitionWire } from '../../../shared/workflow';
import { node } from '../../../shared/workflow/testing';
import { gatekeeperIdlFactory, type GatekeeperService } from '../support/canisters/gatekeeper';
import { runOnce } from '../support/agents';
import { deflowActor } from '../support/deflow';
import { errTag, nodeOf, okOf, readyAgentOf, statusOf, type OrchestratorService, useWorkflowEnv } from '../support/workflows';

jest.setTimeout(240_000);

const EMPTY_ARGS = new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]);
const GATEKEEPER_WASM = resolve(__dirname, '..', 'support', 'canisters', '.azle', 'gatekeeper', 'gatekeeper.wasm');

type AgentService = {
    perform_call: (req: { key: { execution_id: string; node_id: string; attempt: number }; canister: Principal; method: string; args: Uint8Array; cycles: bigint }) => Promise<{ Ok: AgentCallOutcome } | { Err: ApiError }>;
    get_agent_info: () => Promise<AgentInfo>;
};

/** One call of `target.method()`, decoding the reply as text; no retries, the execution stops on failure. */
function callDefinition(target: Principal, method: string): WorkflowDefinitionWire {
    return encodeWorkflowDefinition({
        name: `call ${method}`,
        description: '',
        nodes: [
            node('call', {
                config: { kind: 'Call', canister: target.toText(), method, args: { kind: 'Raw', bytes: EMPTY_ARGS }, cycles: 0n, reply: { kind: 'Candid', types: '(text)' } },
                recovery: { retry: NO_RETRY, fallback: { kind: 'StopExecution' }, emergencyActions: [] }
            })
        ]
    });
}

describe('Security > agents', () => {
    const env = useWorkflowEnv();
    let asStranger: Actor<OrchestratorService>;
    let gatekeeper: Actor<GatekeeperService>;
    let gatekeeperId: Principal;
    let ownerAgent: Principal;
    let strangerAgent: Principal;

    beforeAll(async () => {
        asStranger = deflowActor<OrchestratorService>(env.pic, env.deployment, 'orchestrator', orchestratorIdlFactory as unknown as IDL.InterfaceFactory, env.stranger);
        const fixture = await env.pic.setupCanister<GatekeeperService>({ idlFactory: gatekeeperIdlFactory as never, wasm: new Uint8Array(readFileSync(GATEKEEPER_WASM)) });
        gatekeeper = fixture.actor;
        gatekeeperId = fixture.canisterId;
        await env.pic.tick(3);
    });

    describe('creation', () => {
        it('asks for nobody before their first workflow; the anonymous principal has none', async () => {
            expect(errTag(await env.orchestrator.get_agent())).toBe('NotFound');
            const anonymous = deflowActor<OrchestratorService>(env.pic, env.deployment, 'orchestrator', orchestratorIdlFactory as unknown as IDL.InterfaceFactory);
            expect(errTag(await anonymous.get_agent())).toBe('Unauthorized');
        });

        it("creates the owner's agent at their first workflow, controlled by the executor alone, before any run", async () => {
            okOf(await env.orchestrator.create_workflow(callDefinition(gatekeeperId, 'guarded')));
            ownerAgent = await readyAgentOf(env, env.orchestrator);
            expect(ownerAgent.toText()).not.toBe(env.deployment.peers.executor.toText());
            const info = await env.pic.createActor<AgentService>(agentIdlFactory as never, ownerAgent).get_agent_info();
            expect(info.owner.toText()).toBe(env.owner.getPrincipal().toText());
            expect(info.executor.toText()).toBe(env.deployment.peers.executor.toText());
            const controllers = await env.pic.getControllers(ownerAgent);
            expect(controllers.map((c) => c.toText())).toEqual([env.deployment.peers.executor.toText()]);

            okOf(await asStranger.create_workflow(callDefinition(gatekeeperId, 'guarded')));
            strangerAgent = await readyAgentOf(env, asStranger);
            expect(strangerAgent.toText()).not.toBe(ownerAgent.toText());
            // A second workflow reuses the agent.
            okOf(await env.orchestrator.create_workflow(callDefinition(gatekeeperId, 'guarded')));
            expect((await readyAgentOf(env, env.orchestrator)).toText()).toBe(ownerAgent.toText());
        });
    });

    describe('a target that serves one agent serves one owner', () => {
        it("lets the owner's workflow through and refuses the stranger's", async () => {
            await gatekeeper.allow(ownerAgent);
            const mine = await runOnce(env, env.orchestrator, callDefinition(gatekeeperId, 'guarded'));
            expect(statusOf(mine)).toBe('Succeeded');
            expect(nodeOf(mine, 'call').output).toEqual([JSON.stringify(`hello ${ownerAgent.toText()}`)]);

            const theirs = await runOnce(env, asStranger, callDefinition(gatekeeperId, 'guarded'));
            expect(statusOf(theirs)).toBe('Failed');
            expect(nodeOf(theirs, 'call').error[0]?.kind).toEqual({ Rejected: null });
            expect((await gatekeeper.served()).map((p) => p.toText())).toEqual([ownerAgent.toText()]);
        });
    });

    describe("another owner's agent", () => {
        it('refuses a call handed to it by anyone but the executor', async () => {
            const agent = env.pic.createActor<AgentService>(agentIdlFactory as never, ownerAgent);
            const request = { key: { execution_id: 'x', node_id: 'n', attempt: 1 }, canister: gatekeeperId, method: 'guarded', args: EMPTY_ARGS, cycles: 0n };
            for (const caller of [env.stranger.getPrincipal(), strangerAgent, env.deployment.peers.orchestrator]) {
                agent.setPrincipal(caller);
                expect(errTag(await agent.perform_call(request))).toBe('Unauthorized');
            }
            expect((await gatekeeper.served()).length).toBe(1);
        });

        it('cannot be the target of a call node', async () => {
            const r = await asStranger.create_workflow(callDefinition(ownerAgent, 'perform_call'));
            expect(r).toEqual({ Err: { CallRefused: { node_id: 'call', target: ownerAgent, reason: { DeflowCanister: null } } } });
        });
    });
});
