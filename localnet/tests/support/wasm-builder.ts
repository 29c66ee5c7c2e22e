/**
 * A minimal Wasm module writer for conformance tests that need a canister which is not Azle:
 * `ic0` imports by name and signature, one memory, a function table for callbacks, exported
 * functions with hand-written bodies, and data segments.
 */
type ValueType = 'i32' | 'i64';
export type Signature = { params: ValueType[]; results: ValueType[] };
export type Func = { name?: string; signature: Signature; locals?: ValueType[]; body: number[] };

const VALUE_TYPE: Record<ValueType, number> = { i32: 0x7f, i64: 0x7e };

export function u32(value: number): number[] {
    const out: number[] = [];
    do {
        let byte = value & 0x7f;
        value = Math.floor(value / 128);
        if (value !== 0) byte |= 0x80;
        out.push(byte);
    } while (value !== 0);
    return out;
}

function sleb(value: bigint): number[] {
    const out: number[] = [];
    for (;;) {
        const byte = Number(value & 0x7fn);
        value >>= 7n;
        const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0);
        out.push(done ? byte : byte | 0x80);
        if (done) return out;
    }
}

const name = (text: string): number[] => {
    const bytes = [...new TextEncoder().encode(text)];
    return [...u32(bytes.length), ...bytes];
};
const vector = (items: number[][]): number[] => [...u32(items.length), ...items.flat()];
const section = (id: number, content: number[]): number[] => [id, ...u32(content.length), ...content];

/** Instruction encoders for function bodies. */
export const op = {
    i32: (value: number): number[] => [0x41, ...sleb(BigInt(value))],
    i64: (value: bigint): number[] => [0x42, ...sleb(value)],
    call: (index: number): number[] => [0x10, ...u32(index)],
    drop: [0x1a],
    localGet: (index: number): number[] => [0x20, ...u32(index)],
    localSet: (index: number): number[] => [0x21, ...u32(index)],
    i32Add: [0x6a],
    /** `i32.store` / `i64.store` at the address on the stack (offset 0). */
    i32Store: [0x36, 0x02, 0x00],
    i64Store: [0x37, 0x03, 0x00]
};

export class WasmModuleBuilder {
    private readonly imports: Array<{ name: string; signature: Signature }> = [];
    private readonly funcs: Func[] = [];
    private readonly table: number[] = [];
    private readonly data: Array<{ offset: number; bytes: Uint8Array }> = [];

    /** Imports `ic0.<name>`; returns its function index. Import every one before defining functions. */
    importIc0(importName: string, signature: Signature): number {
        if (this.funcs.length > 0) throw new Error('imports come before functions');
        this.imports.push({ name: importName, signature });
        return this.imports.length - 1;
    }

    /** Defines a function (exported when named); returns its function index. */
    func(func: Func): number {
        this.funcs.push(func);
        return this.imports.length + this.funcs.length - 1;
    }

    /** Puts a function into the table; returns its table index (what `call_new` takes as a callback). */
    tableEntry(funcIndex: number): number {
        this.table.push(funcIndex);
        return this.table.length - 1;
    }

    dataAt(offset: number, bytes: Uint8Array): void {
        this.data.push({ offset, bytes });
    }

    build(): Uint8Array {
        const signatures: string[] = [];
        const typeOf = (signature: Signature): number => {
            const key = JSON.stringify(signature);
            if (!signatures.includes(key)) signatures.push(key);
            return signatures.indexOf(key);
        };
        const importEntries = this.imports.map((entry) => [...name('ic0'), ...name(entry.name), 0x00, ...u32(typeOf(entry.signature))]);
        const funcTypes = this.funcs.map((func) => u32(typeOf(func.signature)));
        const types = signatures.map((key) => {
            const signature = JSON.parse(key) as Signature;
            return [0x60, ...vector(signature.params.map((t) => [VALUE_TYPE[t]])), ...vector(signature.results.map((t) => [VALUE_TYPE[t]]))];
        });
        const exports: number[][] = [[...name('memory'), 0x02, 0x00]];
        this.funcs.forEach((func, i) => {
            if (func.name !== undefined) exports.push([...name(func.name), 0x00, ...u32(this.imports.length + i)]);
        });
        const codes = this.funcs.map((func) => {
            const locals = (func.locals ?? []).map((t) => [0x01, VALUE_TYPE[t]]);
            const body = [...vector(locals), ...func.body, 0x0b];
            return [...u32(body.length), ...body];
        });
        const bytes = [
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
            ...section(1, vector(types)),
            ...section(2, vector(importEntries)),
            ...section(3, vector(funcTypes)),
            ...section(4, vector([[0x70, 0x00, ...u32(Math.max(this.table.length, 1))]])),
            ...section(5, vector([[0x00, 0x01]])),
            ...section(7, vector(exports)),
            ...(this.table.length > 0 ? section(9, vector([[0x00, 0x41, 0x00, 0x0b, ...vector(this.table.map((f) => u32(f)))]])) : []),
            ...section(10, vector(codes)),
            ...(this.data.length > 0 ? section(11, vector(this.data.map((d) => [0x00, 0x41, ...sleb(BigInt(d.offset)), 0x0b, ...u32(d.bytes.length), ...d.bytes]))) : [])
        ];
        return Uint8Array.from(bytes);
    }
}
