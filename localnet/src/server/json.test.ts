import { JsonSyntaxError, parseJson, stringifyJson } from './json';

describe('parseJson', () => {
    it.each([
        ['u64 max', '18446744073709551615', 18446744073709551615n],
        ['10^18 cycles', '1000000000000000000', 1000000000000000000n],
        ['a PocketIC time', '1620328630000000000', 1620328630000000000n],
        ['u128 max', '340282366920938463463374607431768211455', 340282366920938463463374607431768211455n]
    ])('keeps %s exact as a bigint', (_name, text, expected) => {
        expect(parseJson(text)).toBe(expected);
        expect(stringifyJson(parseJson(text))).toBe(text);
    });

    it('gives numbers for safe integers and fractions', () => {
        expect(parseJson('[0, -1, 9007199254740991, 2.5, -3e2]')).toEqual([0, -1, 9007199254740991, 2.5, -300]);
        expect(parseJson('9007199254740992')).toBe(9007199254740992n);
    });

    it('parses nested documents with escapes', () => {
        expect(parseJson('{"a": {"b": [true, false, null]}, "s": "x\\n\\u0041\\"", "n": 1620328630000000000}')).toEqual({
            a: { b: [true, false, null] },
            s: 'x\nA"',
            n: 1620328630000000000n
        });
    });

    it('keeps __proto__ keys as plain data', () => {
        const value = parseJson('{"__proto__": {"polluted": true}}');
        expect(Object.keys(value as object)).toEqual(['__proto__']);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('parses a multi-megabyte string (a chunk upload) without a regex stack overflow', () => {
        const payload = Buffer.alloc(3_000_000, 7).toString('base64');
        expect(parseJson(`{"payload":"${payload}"}`)).toEqual({ payload });
    });

    it.each(['', '{', '{"a":1,}', '[1 2]', '01', '"unterminated', '"tab\there"', 'nul', '{"a":1} x', "{'a':1}"])('rejects %j', (text) => {
        expect(() => parseJson(text)).toThrow(JsonSyntaxError);
    });
});

describe('stringifyJson', () => {
    it('writes bigint as a bare number', () => {
        expect(stringifyJson({ nanos_since_epoch: 1620328630000000000n, cycles: 10n ** 18n })).toBe('{"nanos_since_epoch":1620328630000000000,"cycles":1000000000000000000}');
    });

    it('matches JSON.stringify for ordinary values', () => {
        const value = { a: [1, 'two', null, true], b: { c: 'é"\n' }, d: 2.5 };
        expect(stringifyJson(value)).toBe(JSON.stringify(value));
    });

    it('round-trips what pic-js sends', () => {
        const body = '{"canister_id":"/////+AAAAABAQ==","amount":18446744073709551615}';
        expect(stringifyJson(parseJson(body))).toBe(body);
    });
});
