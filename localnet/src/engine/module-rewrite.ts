/**
 * The one rewrite every canister module goes through before it is compiled, doing either or
 * both of:
 * - write tracking (write-tracking.ts): every store and bulk write reports its page, so a
 *   rollback copies back only the pages an execution wrote;
 * - instruction metering (metering.ts): per-basic-block counter updates with the replica's
 *   instruction weights, so executions have real instruction counts and limits.
 *
 * Helper functions are imported from the engine's namespace (`localnet_tracker`): `mark`,
 * `mark_range` (tracking), `out_of_instructions` (metering). Adding imports shifts every defined
 * function's index, so calls, `ref.func`, element segments, exports and the start function
 * are renumbered; the `name` section is dropped (it would name the wrong functions). Globals,
 * types and the metering's size-charging function are appended, so their indices shift
 * nothing. Modules using instructions the decoder does not handle (SIMD, threads, exceptions,
 * 64-bit or multiple memories) are left as they are: whole-heap snapshots, no metering.
 */
import { chargeSizeBody, COUNTER_EXPORT, counterGlobalEntry, emitCharge, injectionPoints, OUT_OF_INSTRUCTIONS_IMPORT, type MeteringIndices } from './metering';
import { readSections, Reader, skipImmediates, Writer, WasmBinaryError, type Section } from './wasm-binary';
import { emitBulkMark, emitStoreMark, isStore, LAST_PAGE_EXPORT, TRACKER_MODULE, type Scratch } from './write-tracking';

export type RewriteOptions = { trackWrites: boolean; meter: boolean };

class Unsupported extends Error {}

const I32 = 0x7f;
const I64 = 0x7e;
const F32 = 0x7d;
const F64 = 0x7c;

/**
 * Returns the rewritten module, or null when nothing is asked for or the module uses
 * instructions the rewrite does not handle (the caller then runs it as it is).
 */
export function rewriteModule(bytes: Uint8Array, options: RewriteOptions): Uint8Array | null {
    if (!options.trackWrites && !options.meter) return null;
    try {
        return rewrite(bytes, options);
    } catch (error) {
        if (error instanceof Unsupported || error instanceof WasmBinaryError) return null;
        throw error;
    }
}

/** Everything the section rewriters need to know about the module and what is added to it. */
type Plan = {
    options: RewriteOptions;
    /** Parameter count of every type. */
    params: number[];
    functionTypes: number[];
    importedFunctions: number;
    addedImports: Array<{ name: string; type: number }>;
    addedTypes: number[][];
    addedGlobals: Uint8Array[];
    addedExports: Array<{ name: string; global: number }>;
    lastPageGlobal: number;
    metering: MeteringIndices;
    chargeSizeType: number;
    shift: (index: number) => number;
};

function rewrite(bytes: Uint8Array, options: RewriteOptions): Uint8Array {
    const sections = readSections(bytes);
    const plan = planRewrite(bytes, sections, options);
    const out = new Writer();
    out.bytes(bytes, 0, 8);
    const emit = (id: number, body: Uint8Array): void => {
        out.byte(id);
        out.u32(body.length);
        out.append(body);
    };
    const hasGlobals = sections.some((s) => s.id === 6);
    let globalsEmitted = false;
    const emitNewGlobals = (): void => {
        globalsEmitted = true;
        if (plan.addedGlobals.length === 0) return;
        const w = new Writer();
        w.u32(plan.addedGlobals.length);
        for (const entry of plan.addedGlobals) w.append(entry);
        emit(6, w.finish());
    };
    for (const section of sections) {
        // A module without a global section gets one before the first section that follows it.
        if (!hasGlobals && !globalsEmitted && [7, 8, 9, 10, 11, 12].includes(section.id)) emitNewGlobals();
        const r = new Reader(bytes, section.start);
        switch (section.id) {
            case 0: {
                if (r.name() !== 'name') emit(0, bytes.subarray(section.start, section.end));
                break;
            }
            case 1:
                emit(1, appendEntries(bytes, section, plan.addedTypes.map((params) => typeEntry(params))));
                break;
            case 2:
                emit(2, appendEntries(bytes, section, plan.addedImports.map((i) => importEntry(i.name, i.type))));
                break;
            case 3:
                emit(3, appendEntries(bytes, section, options.meter ? [encodeU32(plan.chargeSizeType)] : []));
                break;
            case 6:
                emit(6, appendEntries(bytes, section, plan.addedGlobals));
                globalsEmitted = true;
                break;
            case 7:
                emit(7, rewriteExports(bytes, section, plan));
                break;
            case 8: {
                const w = new Writer();
                w.u32(plan.shift(r.u32()));
                emit(8, w.finish());
                break;
            }
            case 9:
                emit(9, rewriteElements(bytes, section, plan.shift));
                break;
            case 10:
                emit(10, rewriteCode(bytes, section, plan));
                break;
            default:
                emit(section.id, bytes.subarray(section.start, section.end));
        }
    }
    if (!globalsEmitted) emitNewGlobals();
    return out.finish();
}

function planRewrite(bytes: Uint8Array, sections: Section[], options: RewriteOptions): Plan {
    const section = (id: number): Section | undefined => sections.find((s) => s.id === id);
    const typeSection = section(1);
    const importSection = section(2);
    if (typeSection === undefined) throw new Unsupported('a module without types');
    if (importSection === undefined) throw new Unsupported('a module without imports');
    if (section(7) === undefined) throw new Unsupported('a module without exports');
    if (section(10) !== undefined && section(3) === undefined) throw new Unsupported('code without a function section');

    const params: number[] = [];
    const types = new Reader(bytes, typeSection.start);
    for (let i = types.u32(); i > 0; i--) {
        if (types.byte() !== 0x60) throw new Unsupported('non-function type');
        const p = types.u32();
        types.offset += p;
        params.push(p);
        const results = types.u32();
        types.offset += results;
    }

    let importedFunctions = 0;
    let importedGlobals = 0;
    const imports = new Reader(bytes, importSection.start);
    for (let i = imports.u32(); i > 0; i--) {
        imports.name();
        imports.name();
        const kind = imports.byte();
        if (kind === 0) {
            imports.u32();
            importedFunctions++;
        } else if (kind === 1) {
            imports.byte();
            imports.skipLimits();
        } else if (kind === 2) {
            if (bytes[imports.offset]! & 0x04) throw new Unsupported('64-bit memory');
            imports.skipLimits();
        } else if (kind === 3) {
            imports.offset += 2;
            importedGlobals++;
        } else throw new Unsupported('import kind');
    }
    const memorySection = section(5);
    if (memorySection !== undefined) {
        const memories = new Reader(bytes, memorySection.start);
        if (memories.u32() > 0 && bytes[memories.offset]! & 0x04) throw new Unsupported('64-bit memory');
    }
    const functionTypes: number[] = [];
    const functionSection = section(3);
    if (functionSection !== undefined) {
        const functions = new Reader(bytes, functionSection.start);
        for (let i = functions.u32(); i > 0; i--) functionTypes.push(functions.u32());
    }
    const globalSection = section(6);
    const definedGlobals = globalSection === undefined ? 0 : new Reader(bytes, globalSection.start).u32();

    const addedTypes: number[][] = [];
    const addedImports: Array<{ name: string; type: number }> = [];
    const addedGlobals: Uint8Array[] = [];
    const addedExports: Array<{ name: string; global: number }> = [];
    const addType = (typeParams: number[], results: number[] = []): number => {
        addedTypes.push([typeParams.length, ...typeParams, results.length, ...results]);
        return params.length + addedTypes.length - 1;
    };
    const addGlobal = (entry: Uint8Array, exportName: string): number => {
        const index = importedGlobals + definedGlobals + addedGlobals.length;
        addedGlobals.push(entry);
        addedExports.push({ name: exportName, global: index });
        return index;
    };
    let lastPageGlobal = -1;
    if (options.trackWrites) {
        addedImports.push({ name: 'mark', type: addType([I32]) }, { name: 'mark_range', type: addType([I32, I32]) });
        lastPageGlobal = addGlobal(Uint8Array.from([I32, 0x01, 0x41, 0x7f, 0x0b]), LAST_PAGE_EXPORT); // (mut i32) -1
    }
    const metering: MeteringIndices = { counterGlobal: -1, outOfInstructions: -1, chargeSize: -1 };
    let chargeSizeType = -1;
    if (options.meter) {
        metering.outOfInstructions = importedFunctions + addedImports.length;
        addedImports.push({ name: OUT_OF_INSTRUCTIONS_IMPORT, type: addType([]) });
        metering.counterGlobal = addGlobal(counterGlobalEntry(), COUNTER_EXPORT);
        chargeSizeType = addType([I64], [I64]);
    }
    const shiftBy = addedImports.length;
    metering.chargeSize = importedFunctions + shiftBy + functionTypes.length;
    return {
        options,
        params,
        functionTypes,
        importedFunctions,
        addedImports,
        addedTypes,
        addedGlobals,
        addedExports,
        lastPageGlobal,
        metering,
        chargeSizeType,
        shift: (index) => (index >= importedFunctions ? index + shiftBy : index)
    };
}

function encodeU32(value: number): Uint8Array {
    const w = new Writer();
    w.u32(value);
    return w.finish();
}

/** A vector section with `entries` appended after its own. */
function appendEntries(bytes: Uint8Array, section: Section, entries: Array<Uint8Array | number[]>): Uint8Array {
    const r = new Reader(bytes, section.start);
    const count = r.u32();
    const w = new Writer();
    w.u32(count + entries.length);
    w.bytes(bytes, r.offset, section.end);
    for (const entry of entries) w.append(entry);
    return w.finish();
}

/** `(params..., results...)` counts and value types, as `addType` collects them. */
function typeEntry(signature: number[]): number[] {
    return [0x60, ...signature];
}

function importEntry(name: string, type: number): Uint8Array {
    const w = new Writer();
    const moduleName = new TextEncoder().encode(TRACKER_MODULE);
    const field = new TextEncoder().encode(name);
    w.u32(moduleName.length);
    w.append(moduleName);
    w.u32(field.length);
    w.append(field);
    w.byte(0);
    w.u32(type);
    return w.finish();
}

function rewriteExports(bytes: Uint8Array, section: Section, plan: Plan): Uint8Array {
    const r = new Reader(bytes, section.start);
    const count = r.u32();
    const w = new Writer();
    w.u32(count + plan.addedExports.length);
    for (const added of plan.addedExports) {
        const name = new TextEncoder().encode(added.name);
        w.u32(name.length);
        w.append(name);
        w.byte(0x03);
        w.u32(added.global);
    }
    for (let i = 0; i < count; i++) {
        const nameStart = r.offset;
        r.name();
        w.bytes(bytes, nameStart, r.offset);
        const kind = r.byte();
        const index = r.u32();
        w.byte(kind);
        w.u32(kind === 0 ? plan.shift(index) : index);
    }
    return w.finish();
}

function copyConstExpr(bytes: Uint8Array, r: Reader, w: Writer, shift: (i: number) => number): void {
    for (;;) {
        const op = r.byte();
        w.byte(op);
        if (op === 0x0b) return;
        if (op === 0xd2) w.u32(shift(r.u32()));
        else if (op === 0x41 || op === 0x42 || op === 0x23) {
            const start = r.offset;
            r.skipLeb();
            w.bytes(bytes, start, r.offset);
        } else if (op === 0xd0) w.byte(r.byte());
        else if (op === 0x43 || op === 0x44) {
            const size = op === 0x43 ? 4 : 8;
            w.bytes(bytes, r.offset, r.offset + size);
            r.offset += size;
        } else if (![0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e].includes(op)) throw new Unsupported('const expr');
    }
}

function rewriteElements(bytes: Uint8Array, section: Section, shift: (i: number) => number): Uint8Array {
    const r = new Reader(bytes, section.start);
    const count = r.u32();
    const w = new Writer();
    w.u32(count);
    for (let i = 0; i < count; i++) {
        const flags = r.u32();
        w.u32(flags);
        if (flags === 2 || flags === 6) w.u32(r.u32()); // table index
        if ((flags & 1) === 0) copyConstExpr(bytes, r, w, shift); // active: offset
        const usesExpressions = (flags & 4) !== 0;
        if ((flags & 3) !== 0) w.byte(r.byte()); // elemkind or reftype
        const items = r.u32();
        w.u32(items);
        for (let j = 0; j < items; j++) {
            if (usesExpressions) copyConstExpr(bytes, r, w, shift);
            else w.u32(shift(r.u32()));
        }
    }
    return w.finish();
}

function rewriteCode(bytes: Uint8Array, section: Section, plan: Plan): Uint8Array {
    const r = new Reader(bytes, section.start);
    const count = r.u32();
    const w = new Writer();
    w.u32(count + (plan.options.meter ? 1 : 0));
    for (let f = 0; f < count; f++) {
        const size = r.u32();
        const end = r.offset + size;
        const body = new Writer();
        const declCount = r.u32();
        let locals = plan.params[plan.functionTypes[f]!] ?? 0;
        const declStart = r.offset;
        for (let d = 0; d < declCount; d++) {
            locals += r.u32();
            r.byte();
        }
        const track = plan.options.trackWrites;
        body.u32(declCount + (track ? 4 : 0));
        body.bytes(bytes, declStart, r.offset);
        // Scratch locals for write tracking: four i32, then one i64, f32 and f64.
        if (track) body.append([4, I32, 1, I64, 1, F32, 1, F64]);
        const scratch: Scratch = { a: locals, b: locals + 1, c: locals + 2, page: locals + 3, i64: locals + 4, f32: locals + 5, f64: locals + 6 };
        rewriteInstructions(bytes, r, end, body, scratch, plan);
        w.u32(body.length);
        w.append(body.finish());
    }
    if (plan.options.meter) w.append(chargeSizeBody(plan.metering));
    return w.finish();
}

function rewriteInstructions(bytes: Uint8Array, r: Reader, end: number, w: Writer, scratch: Scratch, plan: Plan): void {
    const { trackWrites, meter } = plan.options;
    const points = meter ? injectionPoints(bytes, r.offset, end) : [];
    const markIndex = plan.importedFunctions;
    let next = 0;
    while (r.offset < end) {
        const at = r.offset;
        while (next < points.length && points[next]!.offset === at) emitCharge(w, points[next++]!, plan.metering);
        const op = r.byte();
        if (trackWrites && isStore(op)) {
            emitStoreMark(w, op, r.u32(), r.u32(), scratch, markIndex, plan.lastPageGlobal);
            continue;
        }
        if (op === 0x10 || op === 0x12 || op === 0xd2) {
            // call, return_call, ref.func: function indices move past the added imports.
            w.byte(op);
            w.u32(plan.shift(r.u32()));
            continue;
        }
        const sub = skipImmediates(r, op);
        if (trackWrites && op === 0xfc && (sub === 8 || sub === 10 || sub === 11)) emitBulkMark(w, scratch, markIndex + 1);
        w.bytes(bytes, at, r.offset);
    }
}
