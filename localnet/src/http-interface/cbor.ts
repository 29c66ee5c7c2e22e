/**
 * The subset of CBOR (RFC 8949) the IC HTTP interface uses: unsigned and negative integers,
 * byte and text strings, arrays, maps with text keys, tags (the self-describe tag 55799 is
 * dropped on decode and written on encode) and the simple values false/true/null/undefined.
 * Definite lengths only on encode; indefinite-length strings, arrays and maps are accepted on
 * decode because some CBOR libraries emit them.
 */

/** A decoded CBOR value. Integers always decode to `bigint` so u64 values never lose precision. */
export type CborValue = bigint | Uint8Array | string | boolean | null | undefined | CborValue[] | CborMap;
/** A CBOR map with text keys (the only kind the interface uses), in encounter order. */
export type CborMap = { readonly [key: string]: CborValue };

/** What {@link encodeCbor} accepts: a {@link CborValue}, plus plain numbers for convenience. */
export type CborInput = CborValue | number | CborInput[] | { readonly [key: string]: CborInput };

/** The body is not CBOR this decoder understands. */
export class CborDecodeError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'CborDecodeError';
    }
}

const SELF_DESCRIBE_PREFIX = Uint8Array.from([0xd9, 0xd9, 0xf7]);
/** Nesting deeper than this is refused: no IC message needs it and it bounds recursion. */
const MAX_DEPTH = 64;

/** Encodes a value, prefixed with the self-describe tag as the IC does. */
export function encodeCbor(value: CborInput, selfDescribe = true): Uint8Array {
    const chunks: Uint8Array[] = selfDescribe ? [SELF_DESCRIBE_PREFIX] : [];
    write(value, chunks);
    return concat(chunks);
}

function head(major: number, length: bigint | number, chunks: Uint8Array[]): void {
    const n = BigInt(length);
    const m = major << 5;
    if (n < 24n) chunks.push(Uint8Array.of(m | Number(n)));
    else if (n < 0x100n) chunks.push(Uint8Array.of(m | 24, Number(n)));
    else if (n < 0x10000n) chunks.push(Uint8Array.of(m | 25, Number(n >> 8n), Number(n & 0xffn)));
    else if (n < 0x1_0000_0000n) {
        const bytes = new Uint8Array(5);
        bytes[0] = m | 26;
        new DataView(bytes.buffer).setUint32(1, Number(n));
        chunks.push(bytes);
    } else if (n < 1n << 64n) {
        const bytes = new Uint8Array(9);
        bytes[0] = m | 27;
        new DataView(bytes.buffer).setBigUint64(1, n);
        chunks.push(bytes);
    } else {
        throw new RangeError(`integer ${n} does not fit in 64 bits`);
    }
}

function write(value: CborInput, chunks: Uint8Array[]): void {
    if (typeof value === 'number') {
        if (!Number.isSafeInteger(value)) throw new RangeError(`only integers can be encoded, got ${value}`);
        return write(BigInt(value), chunks);
    }
    if (typeof value === 'bigint') return value >= 0n ? head(0, value, chunks) : head(1, -1n - value, chunks);
    if (typeof value === 'string') {
        const bytes = new TextEncoder().encode(value);
        head(3, bytes.length, chunks);
        chunks.push(bytes);
        return;
    }
    if (value instanceof Uint8Array) {
        head(2, value.length, chunks);
        chunks.push(value);
        return;
    }
    if (value === false) return void chunks.push(Uint8Array.of(0xf4));
    if (value === true) return void chunks.push(Uint8Array.of(0xf5));
    if (value === null) return void chunks.push(Uint8Array.of(0xf6));
    if (value === undefined) return void chunks.push(Uint8Array.of(0xf7));
    if (Array.isArray(value)) {
        head(4, value.length, chunks);
        for (const item of value) write(item, chunks);
        return;
    }
    // Fields set to `undefined` are left out, as JSON does: optional fields are simply absent.
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    head(5, entries.length, chunks);
    for (const [key, item] of entries) {
        write(key, chunks);
        write(item, chunks);
    }
}

/** Decodes one CBOR item that must span the whole input. Throws {@link CborDecodeError}. */
export function decodeCbor(bytes: Uint8Array): CborValue {
    // A plain view: slices of a Node Buffer would be Buffers, which compare unequal to Uint8Arrays.
    const reader = new Reader(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const value = reader.item(0);
    if (reader.offset !== bytes.length) throw new CborDecodeError(`${bytes.length - reader.offset} trailing bytes after the CBOR item`);
    return value;
}

const BREAK = Symbol('break');

class Reader {
    offset = 0;
    private readonly view: DataView;

    constructor(private readonly bytes: Uint8Array) {
        this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }

    private need(count: number): void {
        if (this.offset + count > this.bytes.length) throw new CborDecodeError('unexpected end of CBOR input');
    }

    private argument(info: number): bigint | null {
        if (info < 24) return BigInt(info);
        switch (info) {
            case 24:
                this.need(1);
                return BigInt(this.bytes[this.offset++]!);
            case 25:
                this.need(2);
                this.offset += 2;
                return BigInt(this.view.getUint16(this.offset - 2));
            case 26:
                this.need(4);
                this.offset += 4;
                return BigInt(this.view.getUint32(this.offset - 4));
            case 27:
                this.need(8);
                this.offset += 8;
                return this.view.getBigUint64(this.offset - 8);
            case 31:
                return null;
            default:
                throw new CborDecodeError(`reserved additional information ${info}`);
        }
    }

    private length(value: bigint): number {
        if (value > BigInt(this.bytes.length - this.offset) && value > 0xffff_ffffn) throw new CborDecodeError('length larger than the input');
        return Number(value);
    }

    item(depth: number): CborValue {
        const value = this.itemOrBreak(depth);
        if (value === BREAK) throw new CborDecodeError('unexpected break');
        return value;
    }

    private itemOrBreak(depth: number): CborValue | typeof BREAK {
        if (depth > MAX_DEPTH) throw new CborDecodeError('CBOR nesting too deep');
        this.need(1);
        const initial = this.bytes[this.offset++]!;
        const major = initial >> 5;
        const info = initial & 0x1f;
        if (initial === 0xff) return BREAK;
        const argument = this.argument(info);
        switch (major) {
            case 0:
            case 1:
                if (argument === null) throw new CborDecodeError('indefinite-length integer');
                return major === 0 ? argument : -1n - argument;
            case 2:
            case 3: {
                const bytes = argument === null ? this.indefiniteString(major, depth) : this.take(this.length(argument));
                if (major === 2) return bytes;
                try {
                    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
                } catch {
                    throw new CborDecodeError('text string is not valid UTF-8');
                }
            }
            case 4: {
                const items: CborValue[] = [];
                if (argument === null) {
                    for (;;) {
                        const item = this.itemOrBreak(depth + 1);
                        if (item === BREAK) return items;
                        items.push(item);
                    }
                }
                for (let i = 0n; i < argument; i++) items.push(this.item(depth + 1));
                return items;
            }
            case 5: {
                // A null-prototype object: a key such as `__proto__` stays plain data.
                const map: Record<string, CborValue> = Object.create(null) as Record<string, CborValue>;
                for (let i = 0n; argument === null || i < argument; i++) {
                    const key = this.itemOrBreak(depth + 1);
                    if (key === BREAK && argument === null) return map;
                    if (typeof key !== 'string') throw new CborDecodeError('only text map keys are supported');
                    if (key in map) throw new CborDecodeError(`duplicate map key ${JSON.stringify(key)}`);
                    map[key] = this.item(depth + 1);
                }
                return map;
            }
            case 6:
                // Tags carry no meaning the interface relies on (55799 only marks the body as CBOR).
                if (argument === null) throw new CborDecodeError('indefinite-length tag');
                return this.item(depth + 1);
            default:
                switch (info) {
                    case 20:
                        return false;
                    case 21:
                        return true;
                    case 22:
                        return null;
                    case 23:
                        return undefined;
                    default:
                        throw new CborDecodeError(`unsupported simple value or float (0x${initial.toString(16)})`);
                }
        }
    }

    private take(count: number): Uint8Array {
        this.need(count);
        const bytes = this.bytes.slice(this.offset, this.offset + count);
        this.offset += count;
        return bytes;
    }

    private indefiniteString(major: number, depth: number): Uint8Array {
        const parts: Uint8Array[] = [];
        for (;;) {
            this.need(1);
            if (this.bytes[this.offset] === 0xff) {
                this.offset++;
                return concat(parts);
            }
            const chunk = this.item(depth + 1);
            if (major === 2 && chunk instanceof Uint8Array) parts.push(chunk);
            else if (major === 3 && typeof chunk === 'string') parts.push(new TextEncoder().encode(chunk));
            else throw new CborDecodeError('bad chunk in an indefinite-length string');
        }
    }
}

/** Concatenates byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const part of parts) {
        out.set(part, offset);
        offset += part.length;
    }
    return out;
}

/** Narrows a decoded value to a map. */
export function isCborMap(value: CborValue): value is CborMap {
    return typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && !Array.isArray(value);
}
