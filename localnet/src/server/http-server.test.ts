import { PocketIc } from '@dfinity/pic';
import { Principal } from '@dfinity/principal';
import { gzipSync } from 'node:zlib';
import { CallResult, CanisterCall, InstanceApi, InstanceConfig, OperationError } from '../api';
import { BlobStore } from './blob-store';
import { RunningServer, startHttpServer } from './http-server';
import { InstanceRegistry } from './registry';

const CANISTER = Principal.fromText('lxzze-o7777-77777-aaaaa-cai');
const SUBNET = new Uint8Array(29).fill(3);

/** A stand-in engine: echoes payloads, keeps time, cycles and stable memory. */
function fakeInstance(config: InstanceConfig): InstanceApi & { stable: Uint8Array } {
    let time = 1_620_328_630_000_000_000n;
    let cycles = 10n ** 18n;
    let live = false;
    const results = new Map<string, CallResult>();
    const run = (call: CanisterCall): CallResult => {
        if (call.method === 'explode') throw new Error('engine bug');
        if (call.method === 'trap') {
            return { kind: 'reject', reject: { rejectCode: 5, rejectMessage: 'boom', errorCode: 'CanisterCalledTrap', certified: true } };
        }
        return { kind: 'reply', payload: call.payload };
    };
    const fake = {
        stable: new Uint8Array() as Uint8Array,
        topology: {
            subnets: config.subnets.map((subnet) => ({
                subnetId: SUBNET,
                kind: subnet.kind,
                seed: new Uint8Array(32),
                instructionConfig: subnet.instructionConfig,
                ranges: [{ start: CANISTER.toUint8Array(), end: CANISTER.toUint8Array() }],
                nodeIds: [new Uint8Array([1])]
            })),
            defaultEffectiveCanisterId: CANISTER.toUint8Array()
        },
        getTime: () => time,
        setTime: (nanos: bigint) => {
            if (nanos < time) throw new OperationError('time cannot go backwards');
            time = nanos;
        },
        setCertifiedTime: (nanos: bigint) => fake.setTime(nanos),
        tick: () => undefined,
        getCycles: () => cycles,
        addCycles: (_id: Uint8Array, amount: bigint) => (cycles += amount),
        setStableMemory: (_id: Uint8Array, bytes: Uint8Array) => {
            fake.stable = bytes;
        },
        getStableMemory: () => fake.stable,
        getControllers: () => [Principal.anonymous().toUint8Array()],
        getSubnet: () => SUBNET,
        subnetPublicKey: () => new Uint8Array([0x30, 0x01]),
        submitIngress: (call: CanisterCall) => {
            const messageId = new Uint8Array(32).fill(results.size);
            results.set(Buffer.from(messageId).toString('hex'), run(call));
            return { ok: { subnetId: SUBNET, messageId } };
        },
        awaitIngress: ({ messageId }: { messageId: Uint8Array }) => {
            const result = results.get(Buffer.from(messageId).toString('hex'));
            if (result === undefined) throw new OperationError('unknown message');
            return result;
        },
        ingressStatus: (messageId: Uint8Array) => results.get(Buffer.from(messageId).toString('hex')) ?? null,
        query: run,
        startAutoProgress: () => {
            live = true;
        },
        stopAutoProgress: () => {
            live = false;
        },
        isAutoProgress: () => live,
        dispose: jest.fn()
    };
    return fake;
}

let server: RunningServer;
let url: string;
const instances: Array<ReturnType<typeof fakeInstance>> = [];

beforeAll(async () => {
    const registry = new InstanceRegistry(() => (config) => {
        const instance = fakeInstance(config);
        instances.push(instance);
        return instance;
    });
    server = await startHttpServer({ host: '127.0.0.1', port: 0, context: { registry, blobs: new BlobStore() } });
    url = `http://127.0.0.1:${server.port}`;
});

afterAll(() => server.close());

const post = (path: string, body: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${url}${path}`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });

async function createInstance(): Promise<number> {
    const response = await post('/instances', '{"subnet_config_set":{"application":[{"state_config":"New"}]}}');
    expect(response.status).toBe(201);
    const body = (await response.json()) as { Created: { instance_id: number } };
    return body.Created.instance_id;
}

describe('REST layer driven by @dfinity/pic', () => {
    it('creates an instance, reads its topology and time, and makes calls', async () => {
        const pic = await PocketIc.create(url);
        const [subnet] = await pic.getApplicationSubnets();
        expect(subnet.canisterRanges[0].start.toText()).toBe(CANISTER.toText());
        expect(await pic.getTime()).toBe(1_620_328_630_000);
        await pic.setTime(1_720_328_630_000);
        expect(await pic.getTime()).toBe(1_720_328_630_000);
        expect(await pic.addCycles(CANISTER, 2n ** 70n)).toBe(10n ** 18n + 2n ** 70n);
        expect(await pic.updateCall({ canisterId: CANISTER, method: 'echo', arg: new Uint8Array([1, 2, 3]), sender: Principal.anonymous() })).toEqual(new Uint8Array([1, 2, 3]));
        expect(await pic.queryCall({ canisterId: CANISTER, method: 'echo', arg: new Uint8Array([9]), sender: Principal.anonymous() })).toEqual(new Uint8Array([9]));
        await expect(pic.updateCall({ canisterId: CANISTER, method: 'trap', arg: new Uint8Array(), sender: Principal.anonymous() })).rejects.toThrow(
            'Reject code: CanisterError. Error code: CanisterCalledTrap'
        );
        await pic.setStableMemory(CANISTER, new Uint8Array([5, 6]));
        expect(await pic.getStableMemory(CANISTER)).toEqual(new Uint8Array([5, 6]));
        await pic.tearDown();
    });
});

describe('REST layer', () => {
    it('answers GET /status', async () => {
        expect((await fetch(`${url}/status`)).status).toBe(200);
    });

    it('writes u64 time as a bare JSON number', async () => {
        const id = await createInstance();
        expect(await (await post(`/instances/${id}/update/set_time`, '{"nanos_since_epoch":18446744073709551615}')).text()).toBe('null');
        expect(await (await fetch(`${url}/instances/${id}/read/get_time`)).text()).toBe('{"nanos_since_epoch":18446744073709551615}');
    });

    it('stores gzip blobs and gunzips them for set_stable_memory', async () => {
        const id = await createInstance();
        const upload = await fetch(`${url}/blobstore`, { method: 'POST', body: gzipSync(Buffer.from('stable!')), headers: { 'Content-Encoding': 'gzip' } });
        const blobId = await upload.text();
        expect(blobId).toMatch(/^[0-9a-f]{64}$/);
        const body = JSON.stringify({ canister_id: Buffer.from(CANISTER.toUint8Array()).toString('base64'), blob_id: Buffer.from(blobId, 'hex').toString('base64') });
        expect((await post(`/instances/${id}/update/set_stable_memory`, body)).status).toBe(200);
        expect(Buffer.from(instances[instances.length - 1].stable).toString()).toBe('stable!');
    });

    it('refuses blob encodings other than gzip', async () => {
        const response = await fetch(`${url}/blobstore`, { method: 'POST', body: 'x', headers: { 'Content-Encoding': 'br' } });
        expect(response.status).toBe(400);
        expect(await response.json()).toEqual({ message: expect.any(String) });
    });

    it('answers Error for a configuration without subnets', async () => {
        const response = await post('/instances', '{"subnet_config_set":{"application":[]}}');
        expect(await response.json()).toEqual({ Error: { message: expect.any(String) } });
    });

    it.each([
        ['an unknown instance', '/instances/999/update/tick', '{}', 404],
        ['malformed JSON', '/instances/ID/update/set_time', '{nanos', 400],
        ['a missing field', '/instances/ID/update/set_time', '{}', 400],
        ['an unknown endpoint', '/instances/ID/update/nothing', '{}', 404],
        ['time moving backwards', '/instances/ID/update/set_time', '{"nanos_since_epoch":1}', 400]
    ])('answers %s with a message', async (_name, path, body, status) => {
        const id = await createInstance();
        const response = await post(path.replace('ID', String(id)), body);
        expect(response.status).toBe(status);
        expect(await response.json()).toEqual({ message: expect.any(String) });
    });

    it('answers an unexpected engine failure with 500 and keeps serving', async () => {
        const id = await createInstance();
        const call = JSON.stringify({ sender: 'BA==', canister_id: '', method: 'explode', payload: '', effective_principal: 'None' });
        const errorSpy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
        const response = await post(`/instances/${id}/read/query`, call);
        errorSpy.mockRestore();
        expect(response.status).toBe(500);
        expect(await response.json()).toEqual({ message: 'internal error: engine bug' });
        expect((await fetch(`${url}/status`)).status).toBe(200);
    });

    it('deletes instances, disposing them', async () => {
        const id = await createInstance();
        expect((await fetch(`${url}/instances/${id}`, { method: 'DELETE' })).status).toBe(200);
        expect(instances[id].dispose).toHaveBeenCalled();
        expect((await fetch(`${url}/instances/${id}/read/get_time`)).status).toBe(404);
        const list = (await (await fetch(`${url}/instances`)).json()) as string[];
        expect(list[id]).toBe('Deleted');
    });

    it('toggles auto progress and refuses to enable it twice', async () => {
        const id = await createInstance();
        expect(await (await post(`/instances/${id}/auto_progress`, '{"artificial_delay_ms":0}')).text()).toBe('null');
        expect(await (await fetch(`${url}/instances/${id}/auto_progress`)).json()).toBe(true);
        expect((await post(`/instances/${id}/auto_progress`, '{}')).status).toBe(400);
        await post(`/instances/${id}/stop_progress`, '{}');
        expect(await (await fetch(`${url}/instances/${id}/auto_progress`)).json()).toBe(false);
    });
});

describe('InstanceRegistry', () => {
    it('runs the operations of one instance one at a time, in order', async () => {
        const registry = new InstanceRegistry(() => fakeInstance);
        const { id } = registry.create({ subnets: [{ kind: 'Application', instructionConfig: 'Production' }] });
        const events: string[] = [];
        const slow = registry.run(id, async () => {
            events.push('slow start');
            await new Promise((resolve) => setTimeout(resolve, 20));
            events.push('slow end');
        });
        const failing = registry.run(id, () => {
            events.push('failing');
            throw new OperationError('no');
        });
        const fast = registry.run(id, () => events.push('fast'));
        await Promise.allSettled([slow, failing, fast]);
        await expect(failing).rejects.toBeInstanceOf(OperationError);
        expect(events).toEqual(['slow start', 'slow end', 'failing', 'fast']);
    });
});
