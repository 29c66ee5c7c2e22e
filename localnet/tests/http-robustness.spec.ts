/**
 * The IC HTTP interface never fails on what a client sends: malformed CBOR, wrong envelopes,
 * management calls with and without effective canister ids, oversized bodies and messages.
 * Each request gets the IC's answer (a status and a plain-text reason, or a CBOR reply), and
 * the gateway keeps serving afterwards. Requests are raw `fetch`es, as a buggy or hostile client
 * would send them; the anonymous sender needs no signature.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { PocketIc } from '@dfinity/pic';

import { decodeCbor, encodeCbor, isCborMap, type CborInput } from '../src/http-interface/cbor';
import { MAX_INGRESS_BYTES_PER_MESSAGE } from '../src/http-interface/envelope';
import { MAX_REQUEST_BODY_BYTES } from '../src/http-interface/gateway';
import { createPic } from '../../tests/integration/support/pic';

jest.setTimeout(120_000);

const ANONYMOUS = new Uint8Array([4]);
const MANAGEMENT = new Uint8Array(0);

type Answer = { status: number; text: string; cbor: Record<string, unknown> | null };

/** A small deterministic generator, so a failing case can be replayed. */
function prng(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state * 1_664_525 + 1_013_904_223) >>> 0;
        return state / 2 ** 32;
    };
}

describe('Localnet > IC HTTP interface > robustness', () => {
    let pic: PocketIc;
    let url: string;
    let canister: Principal;

    beforeAll(async () => {
        pic = await createPic();
        // An empty canister is enough to route management calls by its id (no wasm to run).
        canister = await pic.createCanister();
        url = `http://127.0.0.1:${await pic.makeLive()}`;
    });
    afterAll(async () => {
        await pic.stopLive();
        await pic.tearDown();
    });

    async function post(path: string, body: Uint8Array): Promise<Answer> {
        const response = await fetch(`${url}/api/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/cbor' }, body: new Uint8Array(body) });
        const bytes = new Uint8Array(await response.arrayBuffer());
        const isCbor = response.headers.get('content-type') === 'application/cbor';
        const decoded = isCbor ? decodeCbor(bytes) : null;
        return { status: response.status, text: isCbor ? '' : Buffer.from(bytes).toString('utf8'), cbor: decoded !== null && isCborMap(decoded) ? (decoded as Record<string, unknown>) : null };
    }

    const expiry = (): bigint => BigInt(Date.now() + 120_000) * 1_000_000n;

    function callEnvelope(canisterId: Uint8Array, method: string, arg: Uint8Array, type: 'call' | 'query' = 'call'): Uint8Array {
        return encodeCbor({ content: { request_type: type, canister_id: canisterId, method_name: method, arg, sender: ANONYMOUS, ingress_expiry: expiry(), nonce: new Uint8Array(8).fill(Math.floor(Math.random() * 255)) } });
    }

    function readStateEnvelope(paths: Uint8Array[][]): Uint8Array {
        return encodeCbor({ content: { request_type: 'read_state', paths, sender: ANONYMOUS, ingress_expiry: expiry() } });
    }

    const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

    async function expectStillServing(): Promise<void> {
        const status = await fetch(`${url}/api/v2/status`);
        expect(status.status).toBe(200);
        expect(await pic.getControllers(canister)).toHaveLength(1);
    }

    afterEach(async () => {
        await expectStillServing();
    });

    describe('malformed CBOR', () => {
        it('answers 400 to random bytes, truncated envelopes and deep nesting on every endpoint', async () => {
            const next = prng(10);
            const valid = callEnvelope(canister.toUint8Array(), 'greet', new Uint8Array(IDL.encode([], [])));
            const bodies: Uint8Array[] = [
                new Uint8Array(0),
                new Uint8Array(1_000).fill(0xff),
                new Uint8Array(100_000).fill(0x81), // 100k nested one-element arrays
                valid.subarray(0, valid.length - 3),
                ...Array.from({ length: 20 }, () => Uint8Array.from({ length: 1 + Math.floor(next() * 200) }, () => Math.floor(next() * 256)))
            ];
            for (const endpoint of ['v2/canister/aaaaa-aa/call', `v3/canister/${canister.toText()}/call`, `v4/canister/${canister.toText()}/call`, `v2/canister/${canister.toText()}/query`, `v2/canister/${canister.toText()}/read_state`, `v3/canister/aaaaa-aa/read_state`]) {
                for (const body of bodies) {
                    const answer = await post(endpoint, body);
                    expect({ endpoint, status: answer.status }).toEqual({ endpoint, status: 400 });
                }
            }
        });

        it('never answers 5xx to an envelope with random bytes flipped', async () => {
            const next = prng(20);
            const valid = [
                { path: `v3/canister/${canister.toText()}/call`, body: callEnvelope(MANAGEMENT, 'canister_status', new Uint8Array(IDL.encode([IDL.Record({ canister_id: IDL.Principal })], [{ canister_id: canister }]))) },
                { path: `v2/canister/${canister.toText()}/read_state`, body: readStateEnvelope([[utf8('time')], [utf8('canister'), canister.toUint8Array(), utf8('controllers')]]) }
            ];
            for (let round = 0; round < 60; round++) {
                const { path, body } = valid[round % valid.length]!;
                const mutated = new Uint8Array(body);
                for (let flips = 1 + Math.floor(next() * 4); flips > 0; flips--) mutated[Math.floor(next() * mutated.length)] = Math.floor(next() * 256);
                const answer = await post(path, mutated);
                expect({ round, status: answer.status, text: answer.text }).toEqual({ round, status: expect.any(Number), text: expect.any(String) });
                expect(answer.status).toBeLessThan(500);
            }
        });
    });

    describe('wrong envelopes', () => {
        const content = (fields: Record<string, CborInput>): Uint8Array =>
            encodeCbor({ content: { request_type: 'call', canister_id: new Uint8Array(10), method_name: 'm', arg: new Uint8Array(0), sender: ANONYMOUS, ingress_expiry: expiry(), ...fields } });

        it.each([
            ['a CBOR array instead of a map', encodeCbor([1, 2, 3]), /content map/],
            ['content that is text', encodeCbor({ content: 'call' }), /content map/],
            ['a query sent to the call endpoint', content({ request_type: 'query' }), /expected request_type "call"/],
            ['a sender that is not a blob', content({ sender: 'anonymous' }), /content\.sender/],
            ['a sender longer than a principal', content({ sender: new Uint8Array(30) }), /content\.sender/],
            ['an expiry that is text', content({ ingress_expiry: 'soon' }), /ingress_expiry/],
            ['a method name that is a number', content({ method_name: 7 }), /method_name/],
            ['a nonce longer than 32 bytes', content({ nonce: new Uint8Array(33) }), /nonce/],
            ['a signature without a public key', encodeCbor({ content: { request_type: 'call', canister_id: new Uint8Array(10), method_name: 'm', arg: new Uint8Array(0), sender: ANONYMOUS, ingress_expiry: expiry() }, sender_sig: 7 }), /sender_sig/]
        ])('refuses %s with 400 and the reason', async (_name, body, reason) => {
            const answer = await post(`v3/canister/${Principal.fromUint8Array(new Uint8Array(10)).toText()}/call`, body);
            expect(answer.status).toBe(400);
            expect(answer.text).toMatch(reason);
        });

        it('refuses read_state paths that are not arrays of blobs, and unknown paths', async () => {
            const bad = encodeCbor({ content: { request_type: 'read_state', paths: [['time']], sender: ANONYMOUS, ingress_expiry: expiry() } });
            expect((await post(`v2/canister/${canister.toText()}/read_state`, bad)).status).toBe(400);
            const unknown = await post(`v2/canister/${canister.toText()}/read_state`, readStateEnvelope([[utf8('no_such_root')]]));
            expect(unknown.status).toBe(400);
        });
    });

    describe('management calls', () => {
        const rawRand = (): Uint8Array => callEnvelope(MANAGEMENT, 'raw_rand', new Uint8Array(IDL.encode([], [])));
        const createArg = new Uint8Array(IDL.encode([IDL.Record({ amount: IDL.Opt(IDL.Nat), settings: IDL.Opt(IDL.Null) })], [{ amount: [], settings: [] }]));

        it('refuses raw_rand from a user, with and without an effective canister id (the crash of issue 10)', async () => {
            for (const ecid of ['aaaaa-aa', canister.toText()]) {
                const v3 = await post(`v3/canister/${ecid}/call`, rawRand());
                expect(v3.status).toBe(200);
                expect(v3.cbor).toMatchObject({ status: 'non_replicated_rejection', reject_code: 4n });
                expect(String(v3.cbor!['reject_message'])).toMatch(/raw_rand can not be called via ingress messages/);
                const v4 = await post(`v4/canister/${ecid}/call`, rawRand());
                expect(v4.cbor).toMatchObject({ status: 'non_replicated_rejection' });
            }
        });

        it('reads the management canister\'s metadata and time through the effective canister id aaaaa-aa (icp asks for candid:service)', async () => {
            const answer = await post('v3/canister/aaaaa-aa/read_state', readStateEnvelope([[utf8('canister'), MANAGEMENT, utf8('metadata'), utf8('candid:service')], [utf8('time')]]));
            expect(answer.status).toBe(200);
            expect(answer.cbor?.['certificate']).toBeInstanceOf(Uint8Array);
        });

        it('creates a canister with provisional_create_canister_with_cycles, with ecid aaaaa-aa and with an existing canister as ecid', async () => {
            for (const ecid of ['aaaaa-aa', canister.toText()]) {
                const answer = await post(`v3/canister/${ecid}/call`, callEnvelope(MANAGEMENT, 'provisional_create_canister_with_cycles', createArg));
                expect(answer.status).toBe(200);
                expect(answer.cbor).toMatchObject({ status: 'replied' });
            }
        });

        it('refuses a management call whose effective canister id no subnet hosts, naming canister_not_found', async () => {
            const outside = Principal.fromText('2vxsx-fae').toText();
            const answer = await post(`v3/canister/${outside}/call`, callEnvelope(MANAGEMENT, 'canister_status', new Uint8Array(IDL.encode([IDL.Record({ canister_id: IDL.Principal })], [{ canister_id: canister }]))));
            expect(answer.status).toBe(400);
            expect(answer.text).toMatch(/canister_not_found/);
        });

        it('refuses a canister call whose target differs from the effective canister id', async () => {
            const answer = await post(`v3/canister/${canister.toText()}/call`, callEnvelope(new Uint8Array(10), 'greet', new Uint8Array(0)));
            expect(answer.status).toBe(400);
            expect(answer.text).toMatch(/does not match effective canister id in URL/);
        });

        it('answers a query to the management canister with a reject, not a failure', async () => {
            const answer = await post('v2/canister/aaaaa-aa/query', callEnvelope(MANAGEMENT, 'raw_rand', new Uint8Array(IDL.encode([], [])), 'query'));
            expect(answer.status).toBeLessThan(500);
        });
    });

    describe('size limits', () => {
        it(`refuses at once a body over ${MAX_REQUEST_BODY_BYTES} bytes with 413`, async () => {
            const started = performance.now();
            const answer = await post(`v3/canister/${canister.toText()}/call`, new Uint8Array(MAX_REQUEST_BODY_BYTES + 1));
            expect(answer.status).toBe(413);
            expect(performance.now() - started).toBeLessThan(10_000);
        });

        it(`refuses an ingress message over ${MAX_INGRESS_BYTES_PER_MESSAGE} bytes with 413 in the replica's words, before running it`, async () => {
            const body = callEnvelope(canister.toUint8Array(), 'greet', new Uint8Array(3 * 1024 * 1024));
            const answer = await post(`v3/canister/${canister.toText()}/call`, body);
            expect(answer.status).toBe(413);
            expect(answer.text).toMatch(new RegExp(`^Request [0-9a-f]{64} is too large\\. Message byte size ${body.length} is larger than the max allowed ${MAX_INGRESS_BYTES_PER_MESSAGE}\\.$`));
        });

        it('accepts a message just under the limit (it reaches the canister, which has no code)', async () => {
            const body = callEnvelope(canister.toUint8Array(), 'greet', new Uint8Array(MAX_INGRESS_BYTES_PER_MESSAGE - 1024));
            expect(body.length).toBeLessThanOrEqual(MAX_INGRESS_BYTES_PER_MESSAGE);
            const answer = await post(`v3/canister/${canister.toText()}/call`, body);
            expect(answer.status).toBe(200);
            expect(answer.cbor).toMatchObject({ status: 'non_replicated_rejection' });
        });
    });
});
