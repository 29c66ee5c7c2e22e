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

export class Writer {
    private readonly chunks: number[] = [];

    byte(b: number): void {
        this.chunks.push(b);
    }

    u32(value: number): void {
        this.chunks.push(...encodeU32(value));
    }

    bytes(source: Uint8Array, start: number, end: number): void {
        for (let i = start; i < end; i++) this.chunks.push(source[i]!);
    }

    append(other: Uint8Array | number[]): void {
        for (const b of other) this.chunks.push(b);
    }

    get length(): number {
        return this.chunks.length;
    }

    finish(): Uint8Array {
        return Uint8Array.from(this.chunks);
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
