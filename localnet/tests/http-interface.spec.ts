/**
 * The IC HTTP interface of the local network, driven by the real `@dfinity/agent` HttpAgent:
 * root key, signed updates and queries (Ed25519, secp256k1, a delegation), certificates
 * checked by the agent itself (BLS signature, time, query node signatures), read_state,
 * rejected calls, and refused requests. Through an HTTP gateway (`pic.makeLive()`) and through
 * the instance-scoped routes of the PocketIC server.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import {
    Actor,
    AnonymousIdentity,
    CanisterStatus,
    CertifiedRejectErrorCode,
    Cbor,
    HttpAgent,
    RejectError,
    UncertifiedRejectErrorCode,
    requestIdOf,
    type ActorSubclass,
    type Identity
} from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { DelegationChain, DelegationIdentity, Ed25519KeyIdentity } from '@dfinity/identity';
import { Secp256k1KeyIdentity } from '@dfinity/identity-secp256k1';
import { Principal } from '@dfinity/principal';
import { PocketIc, SubnetStateType } from '@dfinity/pic';

import { counterIdlFactory } from './fixtures/counter/interface';
import { AZLE_SETTLE_TICKS, deployCounter, fixtureWasm } from '../../tests/integration/support/fixtures';
import type { CounterService } from '../../tests/integration/support/fixtures';
import { createPic } from '../../tests/integration/support/pic';
import { picUrl } from '../../tests/integration/support/server-handle';

jest.setTimeout(120_000);

/** The fixture's factory wants the whole Candid namespace; the agent passes only the type constructors. */
const counterInterface: IDL.InterfaceFactory = () => counterIdlFactory({ IDL });

/** The reject codes of the interface specification. */
const CANISTER_REJECT = 4;
const CANISTER_ERROR = 5;

/** pic-js keeps the instance id private; the instance-scoped routes need it. */
function instanceIdOf(pic: PocketIc): number {
    const client: unknown = (pic as unknown as { client?: unknown }).client;
    const id = typeof client === 'object' && client !== null && 'instanceId' in client ? client.instanceId : undefined;
    if (typeof id !== 'number') throw new Error('cannot read the instance id from the pic client');
    return id;
}

async function rejectOf(promise: Promise<unknown>): Promise<RejectError> {
    try {
        await promise;
    } catch (error) {
        if (error instanceof RejectError) return error;
        throw error;
    }
    throw new Error('expected a rejection');
}

describe('Localnet > IC HTTP interface', () => {
    let pic: PocketIc;
    let counterId: Principal;
    let gatewayUrl: string;

    beforeAll(async () => {
        pic = await createPic();
        ({ canisterId: counterId } = await deployCounter(pic, { label: 'http' }));
        await pic.tick(AZLE_SETTLE_TICKS);
        const port = await pic.makeLive();
        gatewayUrl = `http://127.0.0.1:${port}`;
    });
    afterAll(async () => {
        await pic.stopLive();
        await pic.tearDown();
    });

    async function agentWith(identity: Identity, options: { host?: string; fetch?: typeof fetch } = {}): Promise<HttpAgent> {
        return await HttpAgent.create({ host: options.host ?? gatewayUrl, identity, shouldFetchRootKey: true, fetch: options.fetch });
    }

    function counterFor(agent: HttpAgent): ActorSubclass<CounterService> {
        return Actor.createActor<CounterService>(counterInterface, { agent, canisterId: counterId });
    }

    describe('through an HTTP gateway (makeLive)', () => {
        it('serves the subnet key as the root key, whose self-authenticating id is the subnet id', async () => {
            const agent = await agentWith(new AnonymousIdentity());
            const [subnet] = await pic.getApplicationSubnets();
            const rootKey = agent.rootKey;
            expect(rootKey).not.toBeNull();
            expect(Buffer.from(rootKey!).equals(Buffer.from(await pic.getPubKey(subnet!.id)))).toBe(true);
            expect(Principal.selfAuthenticating(rootKey!).toText()).toBe(subnet!.id.toText());
        });

        it('runs a signed update and a verified query with an Ed25519 identity', async () => {
            const identity = Ed25519KeyIdentity.generate();
            const counter = counterFor(await agentWith(identity));
            const before = await counter.getCount();
            expect(await counter.increment()).toBe(before + 1n);
            expect(await counter.getCount()).toBe(before + 1n);
            expect((await counter.whoami()).toText()).toBe(identity.getPrincipal().toText());
        });

        it('accepts secp256k1 signatures and an Ed25519 delegation chain', async () => {
            const secp = Secp256k1KeyIdentity.generate();
            const secpCounter = counterFor(await agentWith(secp));
            expect((await secpCounter.whoami()).toText()).toBe(secp.getPrincipal().toText());
            await secpCounter.increment();

            const root = Ed25519KeyIdentity.generate();
            const session = Ed25519KeyIdentity.generate();
            const chain = await DelegationChain.create(root, session.getPublicKey(), new Date(Date.now() + 3_600_000), { targets: [counterId] });
            const delegated = counterFor(await agentWith(DelegationIdentity.fromDelegation(session, chain)));
            expect((await delegated.whoami()).toText()).toBe(root.getPrincipal().toText());
            await delegated.increment();
        });

        it('certifies module hash, controllers and time through read_state', async () => {
            const agent = await agentWith(Ed25519KeyIdentity.generate());
            const status = await CanisterStatus.request({ canisterId: counterId, agent, paths: ['module_hash', 'controllers', 'time', 'subnet'] });
            expect(status.get('module_hash')).toBe(createHash('sha256').update(fixtureWasm('counter')).digest('hex'));
            const controllers = status.get('controllers') as Principal[];
            expect(controllers.map((p) => p.toText()).sort()).toEqual((await pic.getControllers(counterId)).map((p) => p.toText()).sort());
            const time = status.get('time') as Date;
            // Live mode runs on the wall clock, so certificates pass the agent's ±5 min check.
            expect(Math.abs(time.getTime() - Date.now())).toBeLessThan(60_000);
            const subnet = status.get('subnet') as { subnetId: string; nodeKeys: Map<string, Uint8Array> };
            expect(subnet.subnetId).toBe((await pic.getApplicationSubnets())[0]!.id.toText());
            expect(subnet.nodeKeys.size).toBe(1);
        });

        it('serves the candid:service metadata the build puts in the wasm, so clients show field names', async () => {
            const agent = await agentWith(new AnonymousIdentity());
            const status = await CanisterStatus.request({ agent, canisterId: counterId, paths: ['candid'] });
            expect(status.get('candid')).toMatch(/getCount/);
        });

        it('reports a trap and an explicit reject as certified rejects with their reject codes', async () => {
            const counter = counterFor(await agentWith(Ed25519KeyIdentity.generate()));
            const trapped = await rejectOf(counter.trapWith('boom'));
            expect(trapped.cause.code).toBeInstanceOf(CertifiedRejectErrorCode);
            expect((trapped.cause.code as CertifiedRejectErrorCode).rejectCode).toBe(CANISTER_ERROR);
            expect((trapped.cause.code as CertifiedRejectErrorCode).rejectErrorCode).toBe('IC0503');

            const rejected = await rejectOf(counter.rejectWith('no thanks'));
            expect(rejected.cause.code).toBeInstanceOf(CertifiedRejectErrorCode);
            expect((rejected.cause.code as CertifiedRejectErrorCode).rejectCode).toBe(CANISTER_REJECT);
        });

        it('reports a rejected query as an uncertified reject', async () => {
            const agent = await agentWith(Ed25519KeyIdentity.generate());
            const missing = Actor.createActor<{ nope: () => Promise<bigint> }>(({ IDL: I }) => I.Service({ nope: I.Func([], [I.Nat], ['query']) }), { agent, canisterId: counterId });
            const rejected = await rejectOf(missing.nope());
            expect(rejected.cause.code).toBeInstanceOf(UncertifiedRejectErrorCode);
            expect((rejected.cause.code as UncertifiedRejectErrorCode).rejectCode).toBe(CANISTER_ERROR);
        });

        it('answers v2 calls with 202 and the agent polls the certified status', async () => {
            const agent = await agentWith(Ed25519KeyIdentity.generate());
            const { requestId, response } = await agent.call(counterId, { methodName: 'increment', arg: IDL.encode([], []), callSync: false });
            expect(response.status).toBe(202);
            const { pollForResponse } = await import('@dfinity/agent');
            const { reply } = await pollForResponse(agent, counterId, requestId);
            expect(IDL.decode([IDL.Nat], reply)[0]).toBeGreaterThan(0n);
        });

        it('refuses a request whose signature does not match its content', async () => {
            const identity = Ed25519KeyIdentity.generate();
            const content = {
                request_type: 'query',
                canister_id: counterId,
                method_name: 'getCount',
                arg: new Uint8Array(IDL.encode([], [])),
                sender: identity.getPrincipal(),
                ingress_expiry: BigInt(Date.now() + 60_000) * 1_000_000n
            };
            const signature = await identity.sign(new Uint8Array([...new TextEncoder().encode('\x0Aic-request'), ...requestIdOf({ ...content, method_name: 'other' })]));
            const body = new Uint8Array(Cbor.encode({ content, sender_pubkey: identity.getPublicKey().toDer(), sender_sig: signature }));
            const response = await fetch(`${gatewayUrl}/api/v2/canister/${counterId.toText()}/query`, { method: 'POST', headers: { 'Content-Type': 'application/cbor' }, body });
            expect(response.status).toBe(400);
            expect(await response.text()).toMatch(/signature/);
        });

        it('refuses an ingress expiry outside the allowed window with the replica wording', async () => {
            const content = {
                request_type: 'query',
                canister_id: counterId,
                method_name: 'getCount',
                arg: new Uint8Array(IDL.encode([], [])),
                sender: Principal.anonymous(),
                ingress_expiry: BigInt(Date.now() + 3_600_000) * 1_000_000n
            };
            const response = await fetch(`${gatewayUrl}/api/v2/canister/${counterId.toText()}/query`, { method: 'POST', body: new Uint8Array(Cbor.encode({ content })) });
            expect(response.status).toBe(400);
            expect(await response.text()).toMatch(/^Invalid request expiry: /);
        });
    });

    describe('with the icp CLI (@icp-sdk/icp-cli-linux-x64) by URL', () => {
        const icp = resolve(__dirname, '..', '..', 'node_modules', '@icp-sdk', 'icp-cli-linux-x64', 'bin', 'icp');
        const runIcp = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
            // A throw-away HOME so the CLI neither reads nor writes the user's identities and config.
            const home = mkdtempSync(join(tmpdir(), 'icp-home-'));
            const result = spawnSync(icp, args, { encoding: 'utf8', env: { ...process.env, HOME: home, ICP_NETWORK: '', DO_NOT_TRACK: '1' }, timeout: 60_000, cwd: home });
            return { status: result.status, stdout: result.stdout, stderr: result.stderr };
        };
        const candid = resolve(__dirname, 'fixtures', 'counter', 'counter.did');

        (existsSync(icp) ? it : it.skip)('calls an update and a query, fetching the root key from the network', () => {
            const network = ['-n', gatewayUrl, '-k', 'fetch', '--identity', 'anonymous', '--candid', candid];
            const update = runIcp(['canister', 'call', counterId.toText(), 'increment', '()', ...network]);
            // The CLI's own message is the useful part of a failure.
            expect(update.status === 0 ? 'ok' : update.stderr).toBe('ok');
            expect(update.stdout).toMatch(/\(\d+ : nat\)/);
            const query = runIcp(['canister', 'call', counterId.toText(), 'getCount', '()', '--query', ...network]);
            expect(query.status === 0 ? 'ok' : query.stderr).toBe('ok');
            expect(query.stdout).toMatch(/\(\d+ : nat\)/);
        });

        (existsSync(icp) ? it : it.skip)('decodes canister_status (the current management canister record) with `icp canister status`', () => {
            const result = runIcp(['canister', 'status', counterId.toText(), '-n', gatewayUrl, '-k', 'fetch', '--identity', 'anonymous', '--json']);
            expect(result.status === 0 ? 'ok' : result.stderr).toBe('ok');
            const status = JSON.parse(result.stdout) as { status: string; settings: Record<string, unknown>; memory_size: string; idle_cycles_burned_per_day: string };
            const nat = (text: string): bigint => BigInt(text.replaceAll('_', ''));
            expect(status.status).toBe('Running');
            expect(status.settings['log_memory_limit']).toBe('4_096');
            expect(status.settings['status_visibility']).toEqual({ type: 'Controllers' });
            expect(nat(status.idle_cycles_burned_per_day)).toBe((nat(status.memory_size) * 127_000n * 86_400n) / 1024n ** 3n);
        });
    });

    describe('through the instance-scoped routes of the PocketIC server (not live)', () => {
        let still: PocketIc;
        let stillCounter: Principal;

        beforeAll(async () => {
            still = await createPic();
            ({ canisterId: stillCounter } = await deployCounter(still, { label: 'still' }));
            await still.tick(AZLE_SETTLE_TICKS);
        });
        afterAll(async () => {
            await still.tearDown();
        });

        it('serves status, sync calls and verified queries under /instances/<id>/api', async () => {
            const prefix = `${picUrl()}/instances/${instanceIdOf(still)}`;
            // HttpAgent resolves `/api/...` against the host's origin, so route it under the instance prefix.
            const scopedFetch: typeof fetch = (input, init) => {
                const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
                return fetch(`${prefix}${url.pathname}`, init);
            };
            // The instance's clock stands at PocketIC's genesis (2021): the agent's first call is
            // refused for its expiry, it syncs its clock from a certified /time, and retries.
            const agent = await agentWith(Ed25519KeyIdentity.generate(), { host: picUrl(), fetch: scopedFetch });
            const counter = Actor.createActor<CounterService>(counterInterface, { agent, canisterId: stillCounter });
            expect(await counter.increment()).toBe(1n);
            expect(await counter.getCount()).toBe(1n);
        });
    });

    describe('on an instance with an NNS subnet (certificates delegated from the root subnet)', () => {
        let multi: PocketIc;

        beforeAll(async () => {
            multi = await PocketIc.create(picUrl(), { nns: { state: { type: SubnetStateType.New } }, application: [{ state: { type: SubnetStateType.New } }] });
        });
        afterAll(async () => {
            await multi.stopLive();
            await multi.tearDown();
        });

        it('serves the NNS key as root key and delegates to the application subnet', async () => {
            const [app] = await multi.getApplicationSubnets();
            const { canisterId } = await deployCounter(multi, { targetSubnetId: app!.id });
            await multi.tick(AZLE_SETTLE_TICKS);
            const url = `http://127.0.0.1:${await multi.makeLive()}`;
            const agent = await agentWith(Ed25519KeyIdentity.generate(), { host: url });
            const nns = await multi.getNnsSubnet();
            expect(Buffer.from(agent.rootKey!).equals(Buffer.from(await multi.getPubKey(nns!.id)))).toBe(true);
            const counter = Actor.createActor<CounterService>(counterInterface, { agent, canisterId });
            expect(await counter.increment()).toBe(1n);
            expect(await counter.getCount()).toBe(1n);
            const status = await CanisterStatus.request({ canisterId, agent, paths: ['module_hash'] });
            expect(status.get('module_hash')).toBe(createHash('sha256').update(fixtureWasm('counter')).digest('hex'));
        });
    });
});
