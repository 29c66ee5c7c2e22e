/**
 * Orchestrator > completion callbacks: a dapp canister (canisters/demo/dapp) that owns a
 * workflow starts it with `start_execution_with_callback` and is called back once with the
 * final result; a callback the dapp rejects or traps on is retried, then dead-lettered after
 * its bound; only a canister outside DeFlow may ask, and only for itself.
 */
import { readFileSync } from 'node:fs';

import { IDL } from '@dfinity/candid';
import type { Actor, PocketIc } from '@dfinity/pic';
import type { Principal } from '@dfinity/principal';

import { builtWasmPath } from '../../../cli/deploy';
import { NO_RETRY, OrchestratorMethods, type ExecutionWire, type WorkflowError, type WorkflowWire } from '../../../shared/workflow';
import { demoDappIdlFactory, type DemoDappService } from '../../../canisters/demo/dapp/src/interface';
import { createPic } from '../support/pic';
import { tickUntil } from '../support/ticking';
import { deployWorkflowEnv, errTag, oracleProbeDefinition, okOf, orchestratorAs, type WorkflowEnv } from '../support/workflows';

jest.setTimeout(300_000);

type R<T> = { Ok: T } | { Err: WorkflowError };

describe('Orchestrator > completion callbacks', () => {
    let pic: PocketIc;
    let env: WorkflowEnv;
    let dapp: Actor<DemoDappService>;
    let dappId: Principal;
    let workflowId: string;

    /** Calls an orchestrator method as the dapp canister. */
    async function asDapp<T>(method: 'create_workflow' | 'start_execution_with_callback', arg: unknown): Promise<T> {
        const spec = OrchestratorMethods[method];
        const reply = await dapp.forward(env.deployment.peers.orchestrator, method, new Uint8Array(IDL.encode(spec.args.map((a) => a.idl), [arg])));
        if ('Err' in reply) throw new Error(`forward failed: ${reply.Err}`);
        return IDL.decode([spec.ret.idl], reply.Ok)[0] as unknown as T;
    }
    const startWithCallback = (callback_method = 'on_execution_complete') => asDapp<R<ExecutionWire>>('start_execution_with_callback', { workflow_id: workflowId, input: [], callback_method });
    /** Advances time a second per round until `done` holds (at most `rounds` rounds). */
    async function until(done: () => Promise<boolean>, rounds = 60): Promise<void> {
        await tickUntil(pic, done, (held) => held, { stepMs: 1000, maxRounds: rounds });
    }
    const deadLetters = async () => okOf(await orchestratorAs(env, env.admin.getPrincipal()).list_dead_letters({ cursor: [], limit: 100 })).items;

    beforeAll(async () => {
        pic = await createPic();
        env = await deployWorkflowEnv(pic);
        dappId = await pic.createCanister();
        await pic.installCode({ canisterId: dappId, wasm: new Uint8Array(readFileSync(builtWasmPath('demo_dapp'))) });
        dapp = pic.createActor<DemoDappService>(demoDappIdlFactory, dappId);
        await dapp.set_orchestrator(env.deployment.peers.orchestrator);
        const created = await asDapp<R<WorkflowWire>>('create_workflow', oracleProbeDefinition(env.ids, { retry: NO_RETRY, fallback: { kind: 'StopExecution' }, emergencyActions: [] }));
        workflowId = okOf(created).id;
    });
    afterAll(async () => {
        await pic.tearDown();
    });

    it('calls the dapp back once with the final result', async () => {
        await env.oracle.set_price(42_000_000n);
        const started = okOf(await startWithCallback());
        expect(started.trigger).toEqual({ Dapp: { canister: dappId } });
        await until(async () => (await dapp.completions()).length === 1);
        for (let i = 0; i < 5; i++) await pic.advanceTime(60_000).then(() => pic.tick(2));
        const [completion, ...more] = await dapp.completions();
        expect(more).toEqual([]);
        expect(completion).toMatchObject({ execution_id: started.id, workflow_id: workflowId, status: { Succeeded: null }, failure: [] });
        expect(completion!.outputs.find((o) => o.node_id === 'read')?.output).toBe(JSON.stringify({ price_e8s: 42_000_000 }));
    });

    it('retries while the dapp rejects, then delivers once', async () => {
        await dapp.refuse_callbacks(3, { Reject: null });
        const started = okOf(await startWithCallback());
        await until(async () => (await dapp.completions()).some((c) => c.execution_id === started.id));
        expect(await dapp.rejected_callbacks()).toBe(3);
        for (let i = 0; i < 5; i++) await pic.advanceTime(60_000).then(() => pic.tick(2));
        expect((await dapp.completions()).filter((c) => c.execution_id === started.id)).toHaveLength(1);
    });

    it('gives up on a dapp that keeps trapping after 10 calls: dead-lettered, never delivered', async () => {
        await dapp.refuse_callbacks(1, { Trap: null }); // a trap rolls the count back: it traps every time
        const started = okOf(await startWithCallback());
        const what = (d: { what: string }) => d.what.startsWith(`CompletionCallback ${started.id}`);
        await until(async () => (await deadLetters()).some(what), 40);
        for (let i = 0; i < 6; i++) await pic.advanceTime(60_000).then(() => pic.tick(2));
        const dead = (await deadLetters()).find(what);
        expect(dead?.reason).toMatchObject({ GaveUp: { attempts: 10 } });
        expect(JSON.stringify(dead?.reason)).toContain('trapping on purpose');
        await dapp.refuse_callbacks(0, { Reject: null });
        for (let i = 0; i < 5; i++) await pic.advanceTime(60_000).then(() => pic.tick(2));
        expect((await dapp.completions()).some((c) => c.execution_id === started.id)).toBe(false);
    });

    it('only a canister outside DeFlow may ask, for itself, with a valid method name', async () => {
        // A user owning a workflow: the callback target would be a user, not a canister.
        const own = okOf(await env.orchestrator.create_workflow(oracleProbeDefinition(env.ids, { retry: NO_RETRY, fallback: { kind: 'StopExecution' }, emergencyActions: [] })));
        expect(errTag(await env.orchestrator.start_execution_with_callback({ workflow_id: own.id, input: [], callback_method: 'cb' }))).toBe('InvalidInput');
        expect(errTag(await startWithCallback(''))).toBe('InvalidInput');
        expect(errTag(await startWithCallback('x'.repeat(129)))).toBe('InvalidInput');
        // A dapp cannot start (and be called back about) a workflow it does not own.
        expect(errTag(await asDapp<R<ExecutionWire>>('start_execution_with_callback', { workflow_id: own.id, input: [], callback_method: 'on_execution_complete' }))).toBe('Unauthorized');
    });
});
