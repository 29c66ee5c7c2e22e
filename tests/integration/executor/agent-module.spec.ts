/**
 * Executor > agent module: the executor keeps the agent module (its chunks too) in its own
 * stable memory, uploaded by admins in chunks of at most 1 MiB, each under its sha256, which
 * the management canister checks when it installs an agent from the new agent's own chunk
 * store (cleared afterwards). Without a module, with a chunk that is not what its hash
 * says, or with chunks that do not assemble into the declared module hash, an owner's run fails at once with a typed error naming it, instead of waiting for
 * the node's deadline; an upgrade of the executor keeps the module, so agents are still
 * created and upgraded after it.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import type { Actor } from '@dfinity/pic';
import { createHash } from 'node:crypto';

import { agentModuleBytes, installAgentModule } from '../../../cli/deploy';
import { ChunkHashIdl, CanisterIdRecordIdl } from '../../../shared/agent/management';
import { NO_RETRY, orchestratorIdlFactory } from '../../../shared/workflow';
import { runOnce, upgradeEveryAgent } from '../support/agents';
import { deflowActor, upgradeDeflowCanister } from '../support/deflow';
import { errTag, executorAs, nodeOf, okOf, oracleProbeDefinition, readyAgentOf, statusOf, type OrchestratorService, useWorkflowEnv } from '../support/workflows';

jest.setTimeout(300_000);

const sha256 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());

describe('Executor > agent module', () => {
    const env = useWorkflowEnv({ withoutAgentModule: true });
    const probe = (): ReturnType<typeof oracleProbeDefinition> => oracleProbeDefinition(env.ids, { retry: NO_RETRY, fallback: { kind: 'StopExecution' }, emergencyActions: [] });
    const asAdmin = () => executorAs(env, env.admin.getPrincipal());
    let asStranger: Actor<OrchestratorService>;

    beforeAll(() => {
        asStranger = deflowActor<OrchestratorService>(env.pic, env.deployment, 'orchestrator', orchestratorIdlFactory as unknown as IDL.InterfaceFactory, env.stranger);
    });

    /** Calls the management canister about `agent` as the executor does (its controller), on the agent's subnet. */
    const asExecutorOnManagement = async (agent: Principal, method: 'stored_chunks' | 'clear_chunk_store'): Promise<Uint8Array> => {
        const subnet = await env.pic.getCanisterSubnetId(agent);
        return await env.pic.updateCall({
            canisterId: Principal.managementCanister(),
            method,
            arg: new Uint8Array(IDL.encode([CanisterIdRecordIdl], [{ canister_id: agent }])),
            sender: env.deployment.peers.executor,
            ...(subnet === null ? {} : { targetSubnetId: subnet })
        });
    };
    const agentChunks = async (agent: Principal): Promise<unknown[]> => IDL.decode([IDL.Vec(ChunkHashIdl)], await asExecutorOnManagement(agent, 'stored_chunks'))[0] as unknown[];

    it('fails a run at once, with CallRefused naming the missing module, while none is installed', async () => {
        const x = await runOnce(env, env.orchestrator, probe());
        expect(statusOf(x)).toBe('Failed');
        const error = nodeOf(x, 'read').error[0];
        expect(error?.kind).toEqual({ CallRefused: null });
        expect(error?.message).toContain('no agent module is installed');
        expect(errTag(await asAdmin().upgrade_agents({ cursor: [], limit: [] }))).toBe('Unavailable');
    });

    it('takes chunks with their sha256 from admins only, and a module only of uploaded chunks', async () => {
        const chunk = new Uint8Array([7, 8, 9]);
        expect(errTag(await executorAs(env, env.stranger.getPrincipal()).upload_agent_module_chunk({ chunk, sha256: sha256(chunk) }))).toBe('Unauthorized');
        expect(errTag(await asAdmin().upload_agent_module_chunk({ chunk: new Uint8Array(0), sha256: sha256(new Uint8Array(0)) }))).toBe('InvalidInput');
        expect(errTag(await asAdmin().upload_agent_module_chunk({ chunk: new Uint8Array(1024 * 1024 + 1), sha256: sha256(chunk) }))).toBe('InvalidInput');
        expect(errTag(await asAdmin().upload_agent_module_chunk({ chunk, sha256: new Uint8Array(31) }))).toBe('InvalidInput');
        okOf(await asAdmin().upload_agent_module_chunk({ chunk, sha256: sha256(chunk) }));
        expect(errTag(await asAdmin().set_agent_module({ chunk_hashes: [sha256(new Uint8Array([1]))], wasm_module_hash: sha256(new Uint8Array([1])) }))).toBe('NotFound');
        expect(errTag(await executorAs(env, env.stranger.getPrincipal()).set_agent_module({ chunk_hashes: [sha256(chunk)], wasm_module_hash: sha256(chunk) }))).toBe('Unauthorized');
    });

    it('fails a run at once, with CallRefused naming the chunk, when a chunk is not what its hash says (the management canister hashed it at install)', async () => {
        const wasm = agentModuleBytes();
        const claimed = sha256(wasm);
        okOf(await asAdmin().upload_agent_module_chunk({ chunk: wasm.subarray(0, 1024 * 1024), sha256: claimed }));
        okOf(await asAdmin().set_agent_module({ chunk_hashes: [claimed], wasm_module_hash: claimed }));
        const x = await runOnce(env, env.orchestrator, probe());
        expect(statusOf(x)).toBe('Failed');
        const error = nodeOf(x, 'read').error[0];
        expect(error?.kind).toEqual({ CallRefused: null });
        expect(error?.message).toContain(`chunk ${Buffer.from(claimed).toString('hex')} of the agent module has the sha256 ${Buffer.from(sha256(wasm.subarray(0, 1024 * 1024))).toString('hex')}`);
    });

    it('fails a run at once, with CallRefused naming the hash, when the chunks are right but the whole-module hash is not (the management canister assembled and hashed them), and installs from that module no more', async () => {
        const admin = env.admin.getPrincipal();
        const wasm = agentModuleBytes();
        await installAgentModule({ update: async (method, arg) => await env.pic.updateCall({ canisterId: env.deployment.peers.executor, method, arg, sender: admin }) }, wasm);
        expect(wasm.length).toBeGreaterThan(1024 * 1024);
        expect(wasm.length).toBeLessThanOrEqual(2 * 1024 * 1024);
        const chunkHashes = [0, 1024 * 1024].map((offset) => sha256(wasm.subarray(offset, offset + 1024 * 1024)));
        const wrong = sha256(new Uint8Array([1]));
        okOf(await asAdmin().set_agent_module({ chunk_hashes: chunkHashes, wasm_module_hash: wrong }));
        const refusedRun = async (): Promise<void> => {
            const x = await runOnce(env, env.orchestrator, probe());
            expect(statusOf(x)).toBe('Failed');
            const error = nodeOf(x, 'read').error[0];
            expect(error?.kind).toEqual({ CallRefused: null });
            expect(error?.message).toContain(`do not assemble into a module of the sha256 ${Buffer.from(wrong).toString('hex')}`);
            expect(error?.message).toContain(Buffer.from(sha256(wasm)).toString('hex'));
        };
        await refusedRun();
        // The refused install left the chunks in the agent's store; cleared here, a second run that
        // uploaded them again would leave them there: it is refused from what the first found out.
        const agent = okOf(await asAdmin().get_agent({ owner: env.owner.getPrincipal() })).agent[0];
        if (agent === undefined) throw new Error('the first run created no agent canister');
        expect(await agentChunks(agent)).toHaveLength(2);
        await asExecutorOnManagement(agent, 'clear_chunk_store');
        await refusedRun();
        expect(await agentChunks(agent)).toEqual([]);
    });

    it("installs an owner's agent from the agent's own chunk store once the right module is uploaded (into the canister the wrong one left uninstalled), and clears that store", async () => {
        // The executor is not one of its own controllers: installing (and below upgrading) agents needs only its control of them.
        const executorControllers = (await env.pic.getControllers(env.deployment.peers.executor)).map((p) => p.toText()).sort();
        expect(executorControllers).toEqual([env.deployment.controller.toText(), env.deployment.peers.monitor.toText()].sort());
        const admin = env.admin.getPrincipal();
        await installAgentModule({ update: async (method, arg) => await env.pic.updateCall({ canisterId: env.deployment.peers.executor, method, arg, sender: admin }) }, agentModuleBytes());
        const x = await runOnce(env, env.orchestrator, probe());
        expect(statusOf(x)).toBe('Succeeded');
        // The orchestrator asked for the agent at the first workflow and asks again with backoff (at most 1 min apart).
        await env.pic.advanceTime(60_000);
        await env.pic.tick(3);
        expect(await agentChunks(await readyAgentOf(env, env.orchestrator))).toEqual([]);
    });

    it('keeps the module across an upgrade of the executor: a new owner gets an agent, and upgrade_agents upgrades both', async () => {
        await upgradeDeflowCanister(env.pic, env.deployment, 'executor');
        okOf(await asStranger.create_workflow(probe()));
        const strangerAgent = await readyAgentOf(env, asStranger);
        expect(statusOf(await runOnce(env, asStranger, probe()))).toBe('Succeeded');
        expect(strangerAgent.toText()).not.toBe((await readyAgentOf(env, env.orchestrator)).toText());
        expect(await upgradeEveryAgent(asAdmin())).toEqual({ upgraded: 2, failed: [], batches: 1 });
    });

    it('upgrades in bounded batches: each names where the next starts, the last names none; a limit of 0 is refused', async () => {
        expect(errTag(await asAdmin().upgrade_agents({ cursor: [], limit: [0] }))).toBe('InvalidInput');
        const first = okOf(await asAdmin().upgrade_agents({ cursor: [], limit: [1] }));
        expect(first.upgraded).toBe(1);
        expect(first.next_cursor.length).toBe(1);
        const last = okOf(await asAdmin().upgrade_agents({ cursor: first.next_cursor, limit: [1] }));
        expect(last).toEqual({ upgraded: 1, failed: [], next_cursor: [] });
        expect(await upgradeEveryAgent(asAdmin(), 1)).toEqual({ upgraded: 2, failed: [], batches: 2 });
    });
});
