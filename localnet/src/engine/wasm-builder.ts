/**
 * Builds small WebAssembly modules from raw instruction bytes, for tests and fixtures that
 * need exact, hand-countable code (instruction metering, limits) rather than a toolchain's.
 */
import { Writer } from './wasm-binary';

export const I32 = 0x7f;
export const I64 = 0x7e;

export type FunctionSpec = {
    params?: number[];
    results?: number[];
    /** Local declarations after the parameters: [count, type]. */
    locals?: Array<[number, number]>;
    /** Instructions, the final `end` (0x0b) included. */
    body: number[];
    /** Export name, if exported. */
    export?: string;
};

export type ImportSpec = { module: string; name: string; params?: number[]; results?: number[] };

export type ModuleSpec = {
    imports?: ImportSpec[];
    functions: FunctionSpec[];
    /** Initial pages of the memory exported as `memory`. */
    memoryPages?: number;
    /** Mutable i32 globals with these initial values. */
    globals?: number[];
    /** A function table holding these function indices (imports count first). */
    table?: number[];
    /** Data segments placed at these offsets. */
    data?: Array<{ offset: number; bytes: Uint8Array }>;
};

const name = (w: Writer, text: string): void => {
    const bytes = new TextEncoder().encode(text);
    w.u32(bytes.length);
    w.append(bytes);
};

export function buildModule(spec: ModuleSpec): Uint8Array {
    const imports = spec.imports ?? [];
    const out = new Writer();
    out.append([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const section = (id: number, fill: (w: Writer) => void): void => {
        const w = new Writer();
        fill(w);
        const body = w.finish();
        out.byte(id);
        out.u32(body.length);
        out.append(body);
    };
    const signatures = [...imports, ...spec.functions].map((f) => ({ params: f.params ?? [], results: f.results ?? [] }));
    section(1, (w) => {
        w.u32(signatures.length);
        for (const { params, results } of signatures) w.append([0x60, params.length, ...params, results.length, ...results]);
    });
    section(2, (w) => {
        w.u32(imports.length);
        imports.forEach((imp, i) => {
            name(w, imp.module);
            name(w, imp.name);
            w.byte(0x00);
            w.u32(i);
        });
    });
    section(3, (w) => {
        w.u32(spec.functions.length);
        spec.functions.forEach((_, i) => w.u32(imports.length + i));
    });
    if (spec.table !== undefined) {
        const size = spec.table.length;
        section(4, (w) => w.append([0x01, 0x70, 0x00, size]));
    }
    section(5, (w) => w.append([0x01, 0x00, spec.memoryPages ?? 1]));
    if (spec.globals !== undefined) {
        const globals = spec.globals;
        section(6, (w) => {
            w.u32(globals.length);
            for (const value of globals) {
                w.append([I32, 0x01, 0x41]);
                w.signed(value);
                w.byte(0x0b);
            }
        });
    }
    section(7, (w) => {
        const exported = spec.functions.map((f, i) => ({ f, index: imports.length + i })).filter(({ f }) => f.export !== undefined);
        w.u32(exported.length + 1);
        name(w, 'memory');
        w.append([0x02, 0x00]);
        for (const { f, index } of exported) {
            name(w, f.export!);
            w.byte(0x00);
            w.u32(index);
        }
    });
    if (spec.table !== undefined) {
        const entries = spec.table;
        section(9, (w) => {
            w.append([0x01, 0x00, 0x41, 0x00, 0x0b]);
            w.u32(entries.length);
            for (const index of entries) w.u32(index);
        });
    }
    section(10, (w) => {
        w.u32(spec.functions.length);
        for (const f of spec.functions) {
            const body = new Writer();
            const locals = f.locals ?? [];
            body.u32(locals.length);
            for (const [count, type] of locals) {
                body.u32(count);
                body.byte(type);
            }
            body.append(f.body);
            w.u32(body.length);
            w.append(body.finish());
        }
    });
    if (spec.data !== undefined) {
        const segments = spec.data;
        section(11, (w) => {
            w.u32(segments.length);
            for (const segment of segments) {
                w.append([0x00, 0x41]);
                w.signed(segment.offset);
                w.byte(0x0b);
                w.u32(segment.bytes.length);
                w.append(segment.bytes);
            }
        });
    }
    return out.finish();
}

/** Instruction encoders for readable test bodies. */
export const op = {
    i32: (value: number): number[] => {
        const w = new Writer();
        w.byte(0x41);
        w.signed(value);
        return [...w.finish()];
    },
    i64: (value: number | bigint): number[] => {
        const w = new Writer();
        w.byte(0x42);
        w.signed(value);
        return [...w.finish()];
    },
    call: (index: number): number[] => {
        const w = new Writer();
        w.byte(0x10);
        w.u32(index);
        return [...w.finish()];
    },
    localGet: (index: number): number[] => [0x20, index],
    localSet: (index: number): number[] => [0x21, index],
    localTee: (index: number): number[] => [0x22, index],
    globalGet: (index: number): number[] => [0x23, index],
    globalSet: (index: number): number[] => [0x24, index],
    i32Store: (offset = 0): number[] => [0x36, 0x02, offset],
    i64Store: (offset = 0): number[] => [0x37, 0x03, offset],
    memoryFill: [0xfc, 0x0b, 0x00],
    drop: [0x1a],
    end: [0x0b]
};
