import { Principal } from '@dfinity/principal';

import { formatFields, formatTable, formatTime, tagText, toJson } from './output';

describe('CLI > output', () => {
    it('aligns table columns to the widest cell and trims trailing space', () => {
        expect(formatTable(['ID', 'STATUS', 'NOTE'], [['wf-1', 'Active', ''], ['wf-10', 'Paused', 'x']])).toEqual(['ID     STATUS  NOTE', 'wf-1   Active', 'wf-10  Paused  x']);
    });

    it('aligns key/value fields', () => {
        expect(formatFields([['id', 'wf-1'], ['status', 'Active']])).toEqual(['id:     wf-1', 'status: Active']);
    });

    it('writes Candid values losslessly as JSON: bigint as text, principals as text, bytes as hex', () => {
        const value = { n: 18_446_744_073_709_551_615n, p: Principal.fromText('aaaaa-aa'), b: new Uint8Array([0xde, 0xad]), o: [] };
        expect(JSON.parse(toJson(value))).toEqual({ n: '18446744073709551615', p: 'aaaaa-aa', b: 'dead', o: [] });
    });

    it('shows IC times in ISO-8601 UTC and variant tags by name', () => {
        expect(formatTime(1_700_000_000_123_456_789n)).toBe('2023-11-14T22:13:20.123Z');
        expect(formatTime(undefined)).toBe('-');
        expect(tagText({ Degraded: null })).toBe('Degraded');
    });
});
