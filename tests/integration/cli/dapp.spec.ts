/**
 * Client library > from a dapp canister: the example Azle dapp (examples/dapp) creates a
 * workflow and starts executions on the orchestrator by inter-canister calls described with
 * `client/inter-canister`; the agent-based client (`createDeflowClient` over an HttpAgent on
 * the HTTP gateway) sees the same deployment with typed answers and typed errors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { HttpAgent } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import type { Actor, PocketIc } from '@dfinity/pic';
import type { Principal } from '@dfinity/principal';

import { createDeflowClient, DeflowError } from '../../../client';
import { dappIdlFactory, DappInitArgs, type DappService } from '../../../examples/dapp/src/api';
import { deployDeflow, type DeflowDeployment } from '../support/deflow';
import { createPic } from '../support/pic';

jest.setTimeout(240_000);

const DAPP_WASM = resolve(__dirname, '..', '..', '..', 'examples', 'dapp', '.azle', 'dapp', 'dapp.wasm');

describe('Client library > example dapp canister', () => {
    let pic: PocketIc;
    let deployment: DeflowDeployment;
    let dapp: Actor<DappService>;
    let dappId: Principal;

    beforeAll(async () => {
        if (!existsSync(DAPP_WASM)) throw new Error(`${DAPP_WASM} is missing: npx tsx scripts/build-canisters.ts --project examples/dapp`);
        pic = await createPic();
        deployment = await deployDeflow(pic);
        dappId = await pic.createCanister();
        await pic.installCode({ canisterId: dappId, wasm: new Uint8Array(readFileSync(DAPP_WASM)), arg: new Uint8Array(IDL.encode(DappInitArgs, [deployment.peers.orchestrator])) });
        await pic.tick(3);
        dapp = pic.createActor<DappService>(dappIdlFactory, dappId);
    });
    afterAll(async () => {
        await pic?.tearDown();
    });

    it('creates its workflow once and starts executions that run to completion', async () => {
        const first = await dapp.protect(50_000_000n);
        if (!('Ok' in first)) throw new Error(`protect failed: ${JSON.stringify(first, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
        const second = await dapp.protect(200_000_000n);
        if (!('Ok' in second)) throw new Error('second protect failed');
        expect(second.Ok.workflow_id).toBe(first.Ok.workflow_id);
        expect(second.Ok.execution_id).not.toBe(first.Ok.execution_id);

        // The delay node (500 ms) runs on the executor's timers.
        for (let i = 0; i < 10; i++) {
            await pic.advanceTime(1000);
            await pic.tick(5);
        }
        const done = await dapp.execution_status(first.Ok.execution_id);
        if (!('Ok' in done)) throw new Error('execution_status failed');
        expect(done.Ok.status).toBe('Succeeded');
        expect(JSON.parse(done.Ok.output[0]!)).toEqual({ below: false, threshold_e8s: 50_000_000 });
        const below = await dapp.execution_status(second.Ok.execution_id);
        expect('Ok' in below && JSON.parse(below.Ok.output[0]!)).toEqual({ below: true, threshold_e8s: 200_000_000 });
    });

    it('answers a typed DeFlow error for an execution that does not exist', async () => {
        expect(await dapp.execution_status('ex-nope')).toEqual({ Err: { Deflow: { NotFound: { entity: expect.any(String), id: 'ex-nope' } } } });
    });

    describe('the agent-based client on the same deployment', () => {
        let workflowId: string;

        beforeAll(async () => {
            const r = await dapp.protect(1n);
            if (!('Ok' in r)) throw new Error('protect failed');
            workflowId = r.Ok.workflow_id;
        });

        it('reads versions, creates and runs its own workflow, and gets typed errors for the dapp-owned one', async () => {
            const port = await pic.makeLive();
            try {
                const agent = await HttpAgent.create({ host: `http://127.0.0.1:${port}`, identity: Ed25519KeyIdentity.generate(), shouldFetchRootKey: true });
                const deflow = createDeflowClient({ agent, canisterIds: deployment.peers });
                expect((await deflow.versions()).orchestrator.canister).toBe('orchestrator');

                const failure = await deflow.workflows.get(workflowId).then(
                    () => null,
                    (error: unknown) => error
                );
                expect(failure).toBeInstanceOf(DeflowError);
                expect((failure as DeflowError).kind).toBe('Unauthorized');

                const wf = await deflow.workflows.create({
                    name: 'client test',
                    description: '',
                    nodes: [{ id: 'say', config: { kind: 'Notify', level: 'Info', message: 'hi' }, dependsOn: [], join: 'All', recovery: { retry: { maxRetries: 0, initialDelayMs: 0, backoffFactor: 1, maxDelayMs: 0, jitter: false }, fallback: { kind: 'StopExecution' }, emergencyActions: [] } }]
                });
                const run = await deflow.executions.start(wf.id, { hello: 'world' });
                const final = await deflow.executions.watch(run.id, { intervalMs: 100 });
                expect(final.status).toBe('Succeeded');
                expect((await deflow.executions.list({ workflowId: wf.id })).items.map((x) => x.id)).toEqual([run.id]);
            } finally {
                await pic.stopLive();
            }
        });
    });
});
