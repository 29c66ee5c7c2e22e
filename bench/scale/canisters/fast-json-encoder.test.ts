// Azle's own serializer, from its source (the `azle` entry point cannot be imported under jest).
import { jsonReplacer, stableJson } from '../../../node_modules/azle/src/stable/lib/stable_structures/stable_json';
import { Principal } from '@dfinity/principal';

import { fastJsonEncoder } from './fast-json-encoder';

const fastJsonBytes = fastJsonEncoder(jsonReplacer);

/** Values of every kind Azle's replacer treats specially, nested as stored records nest them. */
const samples: [string, unknown][] = [
    ['an id', 'wf-00000001'],
    ['the empty string', ''],
    ['non-ASCII text and a lone surrogate', 'é ☃ 😀 \ud800 lone'],
    ['zero', 0],
    ['minus zero', -0],
    ['a fraction', 1.5],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['a boolean', true],
    ['null', null],
    ['a bigint', 12345678901234567890n],
    ['an array with undefined and a bigint', [1, 'two', undefined, null, 3n]],
    [
        'a stored record with principals, typed arrays, a map and a set',
        {
            schema_version: 1,
            execution: { id: 'ex-0000000001', createdAt: 1_700_000_000_000_000_000n, status: { kind: 'Running' }, nodes: { wait: { attempt: 1, output: undefined, startedAt: 5n } }, missing: undefined },
            owner: Principal.fromText('aaaaa-aa'),
            principal: Principal.fromText('2vxsx-fae'),
            bytes: new Uint8Array([1, 2, 255]),
            words: new Uint32Array([7, 8]),
            map: new Map<string, bigint>([['a', 1n]]),
            set: new Set(['x']),
            notPrincipal: { _isPrincipal: false },
            claimsPrincipal: { _isPrincipal: true, toText: () => 'x' }
        }
    ],
    ['an object without a prototype', Object.assign(Object.create(null) as object, { a: 1n })]
];

describe('fastJsonEncoder(jsonReplacer)', () => {
    it.each(samples)('%s: the bytes stableJson.toBytes gives', (_what, value) => {
        expect(Array.from(fastJsonBytes(value))).toEqual(Array.from(stableJson.toBytes(value)));
    });
});
