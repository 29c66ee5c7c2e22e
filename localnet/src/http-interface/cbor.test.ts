import { Cbor } from '@dfinity/agent';

import { CborDecodeError, decodeCbor, encodeCbor } from './cbor';

describe('CBOR', () => {
    it('round-trips the value kinds the interface uses', () => {
        const value = { a: 1n, big: (1n << 64n) - 1n, neg: -5n, bytes: Uint8Array.of(1, 2, 3), text: 'héllo', list: [0n, [true, false, null]], nested: { x: 'y' } };
        expect(decodeCbor(encodeCbor(value))).toEqual(value);
    });

    it('writes the self-describe tag and reads values the agent encodes', () => {
        expect(Buffer.from(encodeCbor({})).subarray(0, 3).toString('hex')).toBe('d9d9f7');
        const fromAgent = Cbor.encode({ request_type: 'call', ingress_expiry: 1_700_000_000_000_000_000n, arg: Uint8Array.of(68, 73, 68, 76, 0, 0), paths: [[Uint8Array.of(1)]] });
        expect(decodeCbor(new Uint8Array(fromAgent))).toEqual({
            request_type: 'call',
            ingress_expiry: 1_700_000_000_000_000_000n,
            arg: Uint8Array.of(68, 73, 68, 76, 0, 0),
            paths: [[Uint8Array.of(1)]]
        });
    });

    it('produces CBOR the agent decodes', () => {
        const decoded = Cbor.decode(encodeCbor({ status: 'replied', reply: { arg: Uint8Array.of(9) }, reject_code: 5 })) as Record<string, unknown>;
        expect(decoded['status']).toBe('replied');
        expect(decoded['reject_code']).toBe(5);
        expect(new Uint8Array((decoded['reply'] as { arg: Uint8Array }).arg)).toEqual(Uint8Array.of(9));
    });

    it('rejects truncated and trailing input with a typed error', () => {
        expect(() => decodeCbor(Uint8Array.of(0x82, 0x01))).toThrow(CborDecodeError);
        expect(() => decodeCbor(Uint8Array.of(0x01, 0x01))).toThrow(CborDecodeError);
        expect(() => decodeCbor(Uint8Array.of(0xa1, 0x01, 0x01))).toThrow(CborDecodeError);
    });

    it('reads indefinite-length items', () => {
        expect(decodeCbor(Uint8Array.of(0x9f, 0x01, 0x5f, 0x41, 0xaa, 0x41, 0xbb, 0xff, 0xff))).toEqual([1n, Uint8Array.of(0xaa, 0xbb)]);
    });
});
