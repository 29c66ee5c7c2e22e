/**
 * Representation-independent hashing of structured data, as the IC interface specification
 * defines it ("Request ids"): the request id of a message, the hash a delegation is signed
 * over, and the hash a node signs in a query response.
 */
import { createHash } from 'node:crypto';

import { concat, type CborValue } from './cbor';

function sha256(bytes: Uint8Array): Uint8Array {
    return new Uint8Array(createHash('sha256').update(bytes).digest());
}

/** Unsigned LEB128, how the interface hashes a natural number. */
export function leb128(value: bigint): Uint8Array {
    if (value < 0n) throw new RangeError('LEB128 of a negative number');
    const out: number[] = [];
    let rest = value;
    do {
        let byte = Number(rest & 0x7fn);
        rest >>= 7n;
        if (rest !== 0n) byte |= 0x80;
        out.push(byte);
    } while (rest !== 0n);
    return Uint8Array.from(out);
}

/** A value of a hashable field; `number` is accepted for small naturals. */
export type HashableValue = CborValue | number;

/** The hash of one value. Throws `TypeError` for values the interface never hashes (booleans, null, negatives). */
export function hashValue(value: HashableValue): Uint8Array {
    if (typeof value === 'number') {
        if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`cannot hash the number ${value}`);
        return sha256(leb128(BigInt(value)));
    }
    if (typeof value === 'bigint') return sha256(leb128(value));
    if (typeof value === 'string') return sha256(new TextEncoder().encode(value));
    if (value instanceof Uint8Array) return sha256(value);
    if (Array.isArray(value)) return sha256(concat(value.map(hashValue)));
    if (typeof value === 'object' && value !== null) return hashOfMap(value);
    throw new TypeError(`cannot hash a value of type ${value === null ? 'null' : typeof value}`);
}

/**
 * The hash of a map: sha256 over the sorted concatenations `sha256(key) ‖ hash(value)`.
 * Fields whose value is `undefined` are absent, as optional fields are.
 */
export function hashOfMap(map: { readonly [key: string]: HashableValue }): Uint8Array {
    const pairs = Object.entries(map)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => concat([sha256(new TextEncoder().encode(key)), hashValue(value)]));
    pairs.sort(compareBytes);
    return sha256(concat(pairs));
}

/** The request id of a message's `content` map. */
export function requestIdOf(content: { readonly [key: string]: HashableValue }): Uint8Array {
    return hashOfMap(content);
}

/** Lexicographic byte order (shorter first on a common prefix). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
        if (a[i] !== b[i]) return a[i]! - b[i]!;
    }
    return a.length - b.length;
}
