import { decodeHead, decodePage, encodeHead, encodePage, jsonStringKey, utf8Decode, utf8Encode } from './page-codec';

/** What Azle's stableJson stores for plain strings, numbers and objects: UTF-8 of JSON.stringify (its replacer returns such values unchanged; azle cannot be imported under jest). */
const stableJson = { toBytes: (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value)) };

const page = { min: 'ex-0000000007', ids: ['ex-0000000007', 'ex-0000000009', 'ex-0000000012'] };

describe('page codec', () => {
    it('round-trips pages and heads, negative page numbers included', () => {
        expect(decodePage(encodePage(page))).toEqual(page);
        expect(decodePage(encodePage({ min: 'a', ids: [] }))).toEqual({ min: 'a', ids: [] });
        expect(decodeHead(encodeHead({ first: -3, last: 12, count: 401 }))).toEqual({ first: -3, last: 12, count: 401 });
    });

    it('reads pages and heads an older release wrote as JSON', () => {
        expect(decodePage(stableJson.toBytes({ schema_version: 1, ...page }))).toEqual(page);
        expect(decodeHead(stableJson.toBytes({ schema_version: 1, first: -1, last: 4, count: 150 }))).toEqual({ first: -1, last: 4, count: 150 });
    });

    it('stores a page in far fewer bytes than JSON', () => {
        expect(encodePage(page).length).toBeLessThan(stableJson.toBytes({ schema_version: 1, ...page }).length);
    });

    it('refuses a value it does not know instead of misreading it', () => {
        expect(() => decodePage(Uint8Array.from([0x09, 0, 0]))).toThrow(/unknown tag 9/);
        expect(() => decodeHead(Uint8Array.from([0x02]))).toThrow(/unknown tag 2/);
    });

    it('gives keys the bytes stableJson gave them, so stored keys are found and ordered as before', () => {
        for (const key of ['owner:2vxsx-fae#0', 'workflow:wf-00000001#-2', 'quote"back\\slash', 'é€😀', 'lone\ud800x']) {
            expect(Array.from(jsonStringKey.toBytes(key))).toEqual(Array.from(stableJson.toBytes(key)));
            expect(jsonStringKey.fromBytes(stableJson.toBytes(key))).toBe(key);
        }
    });

    it('encodes and decodes UTF-8 as TextEncoder does', () => {
        for (const text of ['', 'ascii', 'ÿ', '€', '😀 and 𝄞']) {
            expect(Array.from(utf8Encode(text))).toEqual(Array.from(new TextEncoder().encode(text)));
            expect(utf8Decode(utf8Encode(text))).toBe(text);
        }
    });
});
