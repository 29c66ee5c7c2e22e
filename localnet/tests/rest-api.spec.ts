/**
 * Conformance of the PocketIC REST API below what `@dfinity/pic` exposes: ingress status of a
 * submitted message, and bad requests answered with errors (never a crash).
 */
import { gzipSync } from 'node:zlib';

import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

import { counterArg, fixtureWasm } from '../../tests/integration/support/fixtures';
import { PicRest, b64, b64Principal, field, fromB64 } from '../../tests/integration/support/rest';
import { picUrl } from '../../tests/integration/support/server-handle';

jest.setTimeout(120_000);

const ANONYMOUS = Principal.anonymous();
const MANAGEMENT = Principal.fromText('aaaaa-aa');

/** The `Ok` object of submit_ingress_message, echoed back to await and ingress_status. */
type Submitted = { [key: string]: unknown };

function isSubmitted(value: unknown): value is Submitted {
    return typeof value === 'object' && value !== null && 'message_id' in value;
}

describe('Localnet > REST API', () => {
    const rest = new PicRest(picUrl());

    async function submit(instance: number, canister: Principal, method: string, payload: Uint8Array, sender = ANONYMOUS): Promise<Submitted> {
        const { body } = await rest.request('POST', `/instances/${instance}/update/submit_ingress_message`, {
            sender: b64Principal(sender),
            canister_id: b64Principal(canister),
            method,
            payload: b64(payload),
            effective_principal: 'None'
        });
        const ok = field(body, 'Ok');
        if (!isSubmitted(ok)) throw new Error(`submit failed: ${JSON.stringify(body)}`);
        return ok;
    }

    async function awaitReply(instance: number, message: Submitted): Promise<Uint8Array> {
        const { body } = await rest.request('POST', `/instances/${instance}/update/await_ingress_message`, message);
        const ok = field(body, 'Ok');
        if (typeof ok !== 'string') throw new Error(`await failed: ${JSON.stringify(body)}`);
        return fromB64(ok);
    }

    async function call(instance: number, canister: Principal, method: string, payload: Uint8Array): Promise<Uint8Array> {
        return await awaitReply(instance, await submit(instance, canister, method, payload));
    }

    async function ingressStatus(instance: number, message: Submitted, caller?: Principal) {
        return await rest.request('POST', `/instances/${instance}/read/ingress_status`, {
            raw_message_id: message,
            ...(caller === undefined ? {} : { raw_caller: b64Principal(caller) })
        });
    }

    describe('ingress status', () => {
        let instance: number;
        let counterId: Principal;

        beforeAll(async () => {
            instance = await rest.createInstance();
            const created = await call(
                instance,
                MANAGEMENT,
                'provisional_create_canister_with_cycles',
                new Uint8Array(
                    IDL.encode(
                        [IDL.Record({ amount: IDL.Opt(IDL.Nat), settings: IDL.Opt(IDL.Record({})), specified_id: IDL.Opt(IDL.Principal) })],
                        [{ amount: [10n ** 15n], settings: [], specified_id: [] }]
                    )
                )
            );
            const [record] = IDL.decode([IDL.Record({ canister_id: IDL.Principal })], created);
            counterId = Principal.from(field(record, 'canister_id'));
            await call(
                instance,
                MANAGEMENT,
                'install_code',
                new Uint8Array(
                    IDL.encode(
                        [
                            IDL.Record({
                                mode: IDL.Variant({ install: IDL.Null }),
                                canister_id: IDL.Principal,
                                wasm_module: IDL.Vec(IDL.Nat8),
                                arg: IDL.Vec(IDL.Nat8)
                            })
                        ],
                        [{ mode: { install: null }, canister_id: counterId, wasm_module: gzipSync(fixtureWasm('counter')), arg: counterArg() }]
                    )
                )
            );
        });
        afterAll(async () => {
            await rest.deleteInstance(instance);
        });

        it('is unknown (null) until a round has executed the message, then holds the reply', async () => {
            const message = await submit(instance, counterId, 'increment', new Uint8Array(IDL.encode([], [])));
            const pending = await ingressStatus(instance, message);
            expect(pending.body).toBeNull();
            await rest.request('POST', `/instances/${instance}/update/tick`, {});
            const done = await ingressStatus(instance, message);
            const reply = field(done.body, 'Ok');
            if (typeof reply !== 'string') throw new Error(`expected {"Ok": <reply>}, got ${JSON.stringify(done.body)}`);
            expect(IDL.decode([IDL.Nat], fromB64(reply))).toEqual([1n]);
        });

        it('keeps the result for a later await_ingress_message', async () => {
            const message = await submit(instance, counterId, 'increment', new Uint8Array(IDL.encode([], [])));
            await rest.request('POST', `/instances/${instance}/update/tick`, {});
            expect(IDL.decode([IDL.Nat], await awaitReply(instance, message))).toEqual([2n]);
        });

        it('refuses to show a message to a different caller', async () => {
            const message = await submit(instance, counterId, 'increment', new Uint8Array(IDL.encode([], [])));
            await rest.request('POST', `/instances/${instance}/update/tick`, {});
            const stranger = Principal.fromUint8Array(new Uint8Array([7, 7, 7]));
            const response = await ingressStatus(instance, message, stranger);
            expect(response.status).toBeGreaterThanOrEqual(400);
            expect(response.status).toBeLessThan(500);
        });
    });

    describe('bad requests', () => {
        it('answers an unknown instance with a client error', async () => {
            const response = await rest.request('GET', '/instances/987654/read/get_time');
            expect(response.status).toBeGreaterThanOrEqual(400);
            expect(response.status).toBeLessThan(500);
        });

        it('answers a deleted instance with a client error', async () => {
            const instance = await rest.createInstance();
            await rest.deleteInstance(instance);
            const response = await rest.request('GET', `/instances/${instance}/read/get_time`);
            expect(response.status).toBeGreaterThanOrEqual(400);
            expect(response.status).toBeLessThan(500);
        });

        it('answers malformed JSON and a wrongly shaped body with client errors', async () => {
            const instance = await rest.createInstance();
            try {
                const malformed = await rest.request('POST', `/instances/${instance}/read/query`, undefined, '{"sender": ');
                expect(malformed.status).toBeGreaterThanOrEqual(400);
                expect(malformed.status).toBeLessThan(500);
                const misshapen = await rest.request('POST', `/instances/${instance}/update/set_time`, { nanos_since_epoch: 'soon' });
                expect(misshapen.status).toBeGreaterThanOrEqual(400);
                expect(misshapen.status).toBeLessThan(500);
            } finally {
                await rest.deleteInstance(instance);
            }
        });

        it('answers get_cycles for an unknown canister with an error and keeps serving', async () => {
            const instance = await rest.createInstance();
            try {
                const response = await rest.request('POST', `/instances/${instance}/read/get_cycles`, {
                    canister_id: b64(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xe0, 0x10, 0x00, 1, 1]))
                });
                expect(response.status).toBeGreaterThanOrEqual(400);
                const time = await rest.request('GET', `/instances/${instance}/read/get_time`);
                expect(time.status).toBe(200);
                expect(typeof field(time.body, 'nanos_since_epoch')).toBe('number');
            } finally {
                await rest.deleteInstance(instance);
            }
        });

        it('is still healthy after all of the above', async () => {
            const response = await rest.request('GET', '/status');
            expect(response.status).toBe(200);
        });
    });
});
