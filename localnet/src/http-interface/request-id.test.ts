import { requestIdOf as agentRequestIdOf, hashOfMap as agentHashOfMap, Expiry } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';

import { decodeCbor, encodeCbor, isCborMap } from './cbor';
import { hashOfMap, leb128, requestIdOf } from './request-id';

const hex = (bytes: Uint8Array | ArrayBuffer): string => Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex');

describe('request ids', () => {
    it('encodes LEB128', () => {
        expect(hex(leb128(0n))).toBe('00');
        expect(hex(leb128(624485n))).toBe('e58e26');
    });

    it('matches the specification example request id', () => {
        // Interface specification, "Request ids", example.
        const content = {
            request_type: 'call',
            sender: Uint8Array.of(0x04),
            ingress_expiry: 1_685_570_400_000_000_000n,
            canister_id: Buffer.from('00000000000004D2', 'hex'),
            method_name: 'hello',
            arg: Buffer.from('4449444C00FD2A', 'hex')
        };
        expect(hex(requestIdOf({ ...content, canister_id: new Uint8Array(content.canister_id), arg: new Uint8Array(content.arg) }))).toBe(
            '1d1091364d6bb8a6c16b203ee75467d59ead468f523eb058880ae8ec80e2b101'
        );
    });

    it('matches @dfinity/agent on a call content after a CBOR round trip', () => {
        const content = {
            request_type: 'call',
            canister_id: Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai'),
            method_name: 'increment',
            arg: Uint8Array.of(0x44, 0x49, 0x44, 0x4c, 0, 0),
            sender: Principal.anonymous(),
            ingress_expiry: Expiry.fromDeltaInMilliseconds(60_000),
            nonce: Uint8Array.of(1, 2, 3, 4)
        };
        const decoded = decodeCbor(encodeCbor({
            request_type: content.request_type,
            canister_id: content.canister_id.toUint8Array(),
            method_name: content.method_name,
            arg: content.arg,
            sender: content.sender.toUint8Array(),
            ingress_expiry: BigInt(content.ingress_expiry.toBigInt()),
            nonce: content.nonce
        }));
        if (!isCborMap(decoded)) throw new Error('not a map');
        expect(hex(requestIdOf(decoded))).toBe(hex(agentRequestIdOf(content)));
    });

    it('matches @dfinity/agent on read_state paths and nested maps', () => {
        const paths = [[new TextEncoder().encode('request_status'), new Uint8Array(32).fill(7)], [new TextEncoder().encode('time')]];
        const ours = hashOfMap({ request_type: 'read_state', paths, sender: Uint8Array.of(4), ingress_expiry: 5n, reply: { arg: Uint8Array.of(1) } });
        const theirs = agentHashOfMap({ request_type: 'read_state', paths, sender: Uint8Array.of(4), ingress_expiry: 5n, reply: { arg: Uint8Array.of(1) } });
        expect(hex(ours)).toBe(hex(theirs));
    });
});
