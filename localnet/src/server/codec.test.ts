import { Principal } from '@dfinity/principal';
import { OperationError, Topology } from '../api';
import {
    MalformedRequestError,
    decodeBase64,
    decodeCanisterCall,
    decodePrincipal,
    decodeSubmittedMessage,
    encodeBase64,
    encodeCallResult,
    encodeSubmitResult,
    encodeTopology,
    u128Field,
    u64Field
} from './codec';
import { JsonObject, parseJson } from './json';

const canister = Principal.fromText('lxzze-o7777-77777-aaaaa-cai').toUint8Array();
const canisterB64 = Buffer.from(canister).toString('base64');

describe('base64 principals and blobs', () => {
    it('encodes the management canister as "" and anonymous as "BA=="', () => {
        expect(encodeBase64(new Uint8Array())).toBe('');
        expect(encodeBase64(Principal.anonymous().toUint8Array())).toBe('BA==');
        expect(decodePrincipal('BA==', 'p')).toEqual(new Uint8Array([4]));
    });

    it('rejects malformed base64 and over-long principals', () => {
        expect(() => decodeBase64('a*b=', 'x')).toThrow(MalformedRequestError);
        expect(() => decodeBase64('abc', 'x')).toThrow(MalformedRequestError);
        expect(() => decodePrincipal(encodeBase64(new Uint8Array(30)), 'p')).toThrow(MalformedRequestError);
    });

    it('reports malformed input as a 400 OperationError', () => {
        const error = (() => {
            try {
                decodeBase64('!', 'x');
            } catch (caught) {
                return caught;
            }
        })();
        expect(error).toBeInstanceOf(OperationError);
        expect((error as OperationError).httpStatus).toBe(400);
    });
});

describe('integer fields', () => {
    it('reads u64 and u128 exactly', () => {
        const body = parseJson('{"t":1620328630000000000,"small":5,"max":18446744073709551615,"c":340282366920938463463374607431768211455}') as JsonObject;
        expect(u64Field(body, 't')).toBe(1620328630000000000n);
        expect(u64Field(body, 'small')).toBe(5n);
        expect(u64Field(body, 'max')).toBe(2n ** 64n - 1n);
        expect(u128Field(body, 'c')).toBe(2n ** 128n - 1n);
    });

    it.each(['{"t":-1}', '{"t":1.5}', '{"t":"5"}', '{"t":18446744073709551616}', '{}', '{"t":null}'])('rejects %s as a u64', (text) => {
        expect(() => u64Field(parseJson(text) as JsonObject, 't')).toThrow(MalformedRequestError);
    });
});

describe('canister calls', () => {
    const call = (effective: string): string =>
        `{"sender":"BA==","canister_id":"${canisterB64}","method":"greet","payload":"RElETAABcQJoaQ==","effective_principal":${effective}}`;

    it('decodes each effective principal form', () => {
        expect(decodeCanisterCall(parseJson(call('"None"')))).toEqual({
            sender: new Uint8Array([4]),
            canisterId: canister,
            method: 'greet',
            payload: new Uint8Array(Buffer.from('DIDL\x00\x01q\x02hi', 'latin1')),
            effectivePrincipal: { kind: 'none' }
        });
        expect(decodeCanisterCall(parseJson(call(`{"CanisterId":"${canisterB64}"}`))).effectivePrincipal).toEqual({ kind: 'canister', id: canister });
        expect(decodeCanisterCall(parseJson(call('{"SubnetId":"AQI="}'))).effectivePrincipal).toEqual({ kind: 'subnet', id: new Uint8Array([1, 2]) });
    });

    it('rejects a call with a missing field or an unknown effective principal', () => {
        expect(() => decodeCanisterCall(parseJson('{"sender":"BA=="}'))).toThrow(MalformedRequestError);
        expect(() => decodeCanisterCall(parseJson(call('{"Other":"AQI="}')))).toThrow(MalformedRequestError);
    });

    it('writes submit results as PocketIC does and reads them back', () => {
        const message = { subnetId: new Uint8Array([1, 2]), messageId: new Uint8Array(32).fill(7) };
        const encoded = encodeSubmitResult({ ok: message });
        expect(encoded).toEqual({ Ok: { effective_principal: { SubnetId: 'AQI=' }, message_id: encodeBase64(message.messageId) } });
        expect(decodeSubmittedMessage(encoded.Ok)).toEqual(message);
    });

    it('writes rejects with enum names', () => {
        const reject = { rejectCode: 5 as const, rejectMessage: 'trapped', errorCode: 'CanisterCalledTrap', certified: true };
        expect(encodeSubmitResult({ err: reject })).toEqual({
            Err: { reject_code: 'CanisterError', reject_message: 'trapped', error_code: 'CanisterCalledTrap', certified: true }
        });
        expect(encodeCallResult({ kind: 'reject', reject: { ...reject, rejectCode: 3, certified: false } })).toEqual({
            Err: { reject_code: 'DestinationInvalid', reject_message: 'trapped', error_code: 'CanisterCalledTrap', certified: false }
        });
        expect(encodeCallResult({ kind: 'reply', payload: new Uint8Array([1, 2]) })).toEqual({ Ok: 'AQI=' });
    });
});

describe('topology', () => {
    it('keys subnets by principal text and writes size and node ids', () => {
        const subnetId = Principal.fromText('nt6ha-vabpm-j6nog-bkr62-vbgbt-swwzc-u54zn-odtoy-igwlu-ab7uj-4qe').toUint8Array();
        const end = Principal.fromText('lqy7q-dh777-77777-aaaaq-cai').toUint8Array();
        const topology: Topology = {
            subnets: [{ subnetId, kind: 'Application', seed: new Uint8Array(32).fill(1), instructionConfig: 'Production', ranges: [{ start: canister, end }], nodeIds: [new Uint8Array([9])] }],
            defaultEffectiveCanisterId: canister
        };
        expect(encodeTopology(topology)).toEqual({
            subnet_configs: {
                'nt6ha-vabpm-j6nog-bkr62-vbgbt-swwzc-u54zn-odtoy-igwlu-ab7uj-4qe': {
                    subnet_kind: 'Application',
                    subnet_seed: new Array(32).fill(1),
                    instruction_config: 'Production',
                    size: 1,
                    node_ids: [{ node_id: 'CQ==' }],
                    canister_ranges: [{ start: { canister_id: canisterB64 }, end: { canister_id: encodeBase64(end) } }]
                }
            },
            default_effective_canister_id: { canister_id: canisterB64 }
        });
    });
});
