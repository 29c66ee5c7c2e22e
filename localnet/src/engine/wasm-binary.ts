/**
 * Reading and writing the WebAssembly binary format at the level the engine's module
 * rewriting needs: LEB128 integers, names, limits and the section list.
 */
export class WasmBinaryError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'WasmBinaryError';
    }
}

export class Reader {
    constructor(
        readonly bytes: Uint8Array,
        public offset = 0
    ) {}

    byte(): number {
        if (this.offset >= this.bytes.length) throw new WasmBinaryError('unexpected end of module');
        return this.bytes[this.offset++]!;
    }

    u32(): number {
        let result = 0;
        let shift = 0;
        for (;;) {
            const b = this.byte();
            result += (b & 0x7f) * 2 ** shift;
            if ((b & 0x80) === 0) return result;
            shift += 7;
            if (shift > 35) throw new WasmBinaryError('LEB128 too long');
        }
    }

    /** Skips a LEB128 integer of any width or sign. */
    skipLeb(): void {
        while (this.byte() & 0x80);
    }

    name(): string {
        const length = this.u32();
        const text = new TextDecoder().decode(this.bytes.subarray(this.offset, this.offset + length));
        this.offset += length;
        return text;
    }

    skipLimits(): void {
        const flags = this.byte();
        this.u32();
        if (flags & 1) this.u32();
    }
}

/** Appends bytes to a growing buffer (the rewrites write several megabytes byte by byte). */
export class Writer {
    private buffer = new Uint8Array(256);
    private size = 0;

    private reserve(extra: number): void {
        if (this.size + extra <= this.buffer.length) return;
        const next = new Uint8Array(Math.max(this.buffer.length * 2, this.size + extra));
        next.set(this.buffer.subarray(0, this.size));
        this.buffer = next;
    }

    byte(b: number): void {
        if (this.size === this.buffer.length) this.reserve(1);
        this.buffer[this.size++] = b;
    }

    u32(value: number): void {
        this.reserve(5);
        do {
            let b = value & 0x7f;
            value = Math.floor(value / 128);
            if (value !== 0) b |= 0x80;
            this.buffer[this.size++] = b;
        } while (value !== 0);
    }

    bytes(source: Uint8Array, start: number, end: number): void {
        this.reserve(end - start);
        this.buffer.set(source.subarray(start, end), this.size);
        this.size += end - start;
    }

    append(other: Uint8Array | number[]): void {
        this.reserve(other.length);
        this.buffer.set(other, this.size);
        this.size += other.length;
    }

    /** A signed LEB128 integer (`i32.const`/`i64.const` immediates). */
    signed(value: number | bigint): void {
        if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 31) {
            let v = value | 0;
            for (;;) {
                const b = v & 0x7f;
                v >>= 7;
                if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
                    this.byte(b);
                    return;
                }
                this.byte(b | 0x80);
            }
        }
        let v = BigInt(value);
        for (;;) {
            const b = Number(v & 0x7fn);
            v >>= 7n;
            if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
                this.byte(b);
                return;
            }
            this.byte(b | 0x80);
        }
    }

    get length(): number {
        return this.size;
    }

    finish(): Uint8Array {
        return this.buffer.slice(0, this.size);
    }
}

export function encodeU32(value: number): number[] {
    const out: number[] = [];
    do {
        let b = value & 0x7f;
        value = Math.floor(value / 128);
        if (value !== 0) b |= 0x80;
        out.push(b);
    } while (value !== 0);
    return out;
}

/** A section's id and the byte range of its contents. */
export type Section = { id: number; start: number; end: number };

export function readSections(bytes: Uint8Array): Section[] {
    const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    if (bytes.length < 8 || magic.some((b, i) => bytes[i] !== b)) {
        throw new WasmBinaryError('not a WebAssembly module (bad magic or version)');
    }
    const reader = new Reader(bytes, 8);
    const sections: Section[] = [];
    while (reader.offset < bytes.length) {
        const id = reader.byte();
        const size = reader.u32();
        const start = reader.offset;
        if (start + size > bytes.length) throw new WasmBinaryError('section runs past the end of the module');
        sections.push({ id, start, end: start + size });
        reader.offset = start + size;
    }
    return sections;
}

/** The offset of a section's id byte (its header precedes `start`). */
export function headerStart(section: Section): number {
    return section.start - encodeU32(section.end - section.start).length - 1;
}

/** Opcodes with no immediates: unreachable, nop, else, end, return, drop, select, ref.is_null, numeric ops. */
function hasNoImmediates(op: number): boolean {
    return op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b || op === 0xd1 || (op >= 0x45 && op <= 0xc4);
}

/** `0xfc` sub-opcodes and how many single-byte (`b`) or LEB (`l`) immediates follow them. */
const PREFIXED_IMMEDIATES: Record<number, string> = {
    8: 'lb', // memory.init data, memory
    9: 'l', // data.drop
    10: 'bb', // memory.copy
    11: 'b', // memory.fill
    12: 'll', // table.init
    13: 'l', // elem.drop
    14: 'll', // table.copy
    15: 'l', // table.grow
    16: 'l', // table.size
    17: 'l' // table.fill
};

/**
 * Moves `reader` past the immediates of an instruction whose opcode byte was just read, and
 * returns the sub-opcode of a `0xfc` instruction (-1 for any other). Throws for the
 * instructions the engine's rewrites do not decode (SIMD, atomics, exceptions, multi-memory).
 */
export function skipImmediates(reader: Reader, op: number): number {
    if (hasNoImmediates(op)) return -1;
    switch (op) {
        case 0x02: // block, loop, if: a block type (0x40, a value type or a signed type index)
        case 0x03:
        case 0x04:
        case 0x0c: // br, br_if
        case 0x0d:
        case 0x10: // call, return_call
        case 0x12:
        case 0x20: // local.get/set/tee, global.get/set, table.get/set
        case 0x21:
        case 0x22:
        case 0x23:
        case 0x24:
        case 0x25:
        case 0x26:
        case 0x3f: // memory.size, memory.grow: memory index
        case 0x40:
        case 0x41: // i32.const, i64.const
        case 0x42:
        case 0xd0: // ref.null: heap type
        case 0xd2: // ref.func
            reader.skipLeb();
            return -1;
        case 0x0e: {
            const targets = reader.u32();
            for (let i = 0; i <= targets; i++) reader.skipLeb();
            return -1;
        }
        case 0x11: // call_indirect, return_call_indirect: type, table
        case 0x13:
            reader.skipLeb();
            reader.skipLeb();
            return -1;
        case 0x1c: {
            const types = reader.u32();
            reader.offset += types;
            return -1;
        }
        case 0x43:
            reader.offset += 4;
            return -1;
        case 0x44:
            reader.offset += 8;
            return -1;
        case 0xfc: {
            const sub = reader.u32();
            if (sub <= 7) return sub;
            const immediates = PREFIXED_IMMEDIATES[sub];
            if (immediates === undefined) throw new WasmBinaryError(`unsupported instruction 0xfc ${sub}`);
            for (const kind of immediates) {
                if (kind === 'b') reader.byte();
                else reader.skipLeb();
            }
            return sub;
        }
        default:
            if (op >= 0x28 && op <= 0x3e) {
                // Loads and stores: alignment (bit 6 would announce a memory index) and offset.
                if (reader.u32() & 0x40) throw new WasmBinaryError('multiple memories are not supported');
                reader.skipLeb();
                return -1;
            }
            throw new WasmBinaryError(`unsupported opcode 0x${op.toString(16)}`);
    }
}
