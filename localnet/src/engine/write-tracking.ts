/**
 * Dirty-page tracking for canister heaps, so rolling a message back (and discarding a query)
 * costs the pages it wrote instead of a copy of the whole heap.
 *
 * The module is rewritten so that every store, `memory.copy`, `memory.fill` and
 * `memory.init` first reports the address it writes to a tiny helper Wasm module (imported
 * as `localnet_tracker.mark` / `mark_range`). Calling Wasm from Wasm costs a few
 * nanoseconds, where a call into JavaScript would cost tens. The helper sets one byte per
 * 4 KiB page in its own memory, which the host reads after the execution.
 *
 * Adding the two imports shifts every defined function's index by two, so calls, `ref.func`,
 * element segments, exports and the start function are renumbered; the `name` section is
 * dropped (it would name the wrong functions). Modules using instructions this rewriter does
 * not decode (SIMD, threads) are left as they are and run with whole-heap snapshots.
 */
import { readSections, Reader, Writer, WasmBinaryError, type Section } from './wasm-binary';

export const TRACKER_MODULE = 'localnet_tracker';
export const PAGE_SHIFT = 12;
export const TRACKED_PAGE = 1 << PAGE_SHIFT;

class Unsupported extends Error {}

const I32 = 0x7f;
const I64 = 0x7e;
const F32 = 0x7d;
const F64 = 0x7c;
/** Value type stored by each store opcode (0x36..0x3e). */
const STORE_TYPE: Record<number, number> = { 0x36: I32, 0x37: I64, 0x38: F32, 0x39: F64, 0x3a: I32, 0x3b: I32, 0x3c: I64, 0x3d: I64, 0x3e: I64 };

/** Scratch locals appended to every function: four i32, then one i64, f32 and f64. */
type Scratch = { a: number; b: number; c: number; page: number; i64: number; f32: number; f64: number };

/** Export name of the global caching the last page marked (reset to -1 before every execution). */
export const LAST_PAGE_EXPORT = '__localnet_last_page';

/**
 * Returns the instrumented module, or null when the module uses instructions the rewriter
 * does not handle (the caller then falls back to whole-heap snapshots).
 */
export function instrumentWrites(bytes: Uint8Array): Uint8Array | null {
    try {
        return rewrite(bytes);
    } catch (error) {
        if (error instanceof Unsupported || error instanceof WasmBinaryError) return null;
        throw error;
    }
}

function rewrite(bytes: Uint8Array): Uint8Array {
    const all = readSections(bytes);
    // Function types: parameter counts, and the type indices of the two tracker imports.
    const typeSection = all.find((s) => s.id === 1);
    const params: number[] = [];
    if (typeSection !== undefined) {
        const r = new Reader(bytes, typeSection.start);
        const count = r.u32();
        for (let i = 0; i < count; i++) {
            if (r.byte() !== 0x60) throw new Unsupported('non-function type');
            const p = r.u32();
            r.offset += p;
            params.push(p);
            const results = r.u32();
            r.offset += results;
        }
    }
    const markType = params.length;
    const markRangeType = params.length + 1;

    let importedFunctions = 0;
    let importedGlobals = 0;
    const importSection = all.find((s) => s.id === 2);
    if (importSection !== undefined) {
        const r = new Reader(bytes, importSection.start);
        const count = r.u32();
        for (let i = 0; i < count; i++) {
            r.name();
            r.name();
            const kind = r.byte();
            if (kind === 0) {
                r.u32();
                importedFunctions++;
            } else if (kind === 1) {
                r.byte();
                r.skipLimits();
            } else if (kind === 2) r.skipLimits();
            else if (kind === 3) {
                r.offset += 2;
                importedGlobals++;
            }
            else throw new Unsupported('import kind');
        }
    }
    const shift = (index: number): number => (index >= importedFunctions ? index + 2 : index);
    const globalSection = all.find((s) => s.id === 6);
    if (globalSection === undefined) throw new Unsupported('a module without globals');
    const definedGlobals = new Reader(bytes, globalSection.start).u32();
    const lastPageGlobal = importedGlobals + definedGlobals;
    const markIndex = importedFunctions;
    const markRangeIndex = importedFunctions + 1;

    const functionSection = all.find((s) => s.id === 3);
    const functionTypes: number[] = [];
    if (functionSection !== undefined) {
        const r = new Reader(bytes, functionSection.start);
        const count = r.u32();
        for (let i = 0; i < count; i++) functionTypes.push(r.u32());
    }

    const out = new Writer();
    out.bytes(bytes, 0, 8);
    const emit = (id: number, body: Uint8Array): void => {
        out.byte(id);
        out.u32(body.length);
        out.append(body);
    };
    for (const section of all) {
        switch (section.id) {
            case 0: {
                const r = new Reader(bytes, section.start);
                const length = r.u32();
                const name = new TextDecoder().decode(bytes.subarray(r.offset, r.offset + length));
                if (name !== 'name') emit(0, bytes.subarray(section.start, section.end));
                break;
            }
            case 1: {
                const r = new Reader(bytes, section.start);
                const count = r.u32();
                const w = new Writer();
                w.u32(count + 2);
                w.bytes(bytes, r.offset, section.end);
                w.append([0x60, 1, I32, 0]); // mark(page)
                w.append([0x60, 2, I32, I32, 0]); // mark_range(addr, len)
                emit(1, w.finish());
                break;
            }
            case 2:
                emit(2, rewriteImports(bytes, section, markType, markRangeType));
                break;
            case 6: {
                const r = new Reader(bytes, section.start);
                const count = r.u32();
                const w = new Writer();
                w.u32(count + 1);
                w.bytes(bytes, r.offset, section.end);
                w.append([I32, 0x01, 0x41, 0x7f, 0x0b]); // (global (mut i32) (i32.const -1))
                emit(6, w.finish());
                break;
            }
            case 7:
                emit(7, rewriteExports(bytes, section, shift, lastPageGlobal));
                break;
            case 8: {
                const w = new Writer();
                w.u32(shift(new Reader(bytes, section.start).u32()));
                emit(8, w.finish());
                break;
            }
            case 9:
                emit(9, rewriteElements(bytes, section, shift));
                break;
            case 10:
                emit(10, rewriteCode(bytes, section, functionTypes, params, shift, markIndex, markRangeIndex, lastPageGlobal));
                break;
            default:
                emit(section.id, bytes.subarray(section.start, section.end));
        }
    }
    if (importSection === undefined) throw new Unsupported('a module without imports');
    if (typeSection === undefined) throw new Unsupported('a module without types');
    return out.finish();
}

function rewriteImports(bytes: Uint8Array, section: Section, markType: number, markRangeType: number): Uint8Array {
    const r = new Reader(bytes, section.start);
    const count = r.u32();
    const w = new Writer();
    w.u32(count + 2);
    w.bytes(bytes, r.offset, section.end);
    const moduleName = new TextEncoder().encode(TRACKER_MODULE);
    for (const [name, type] of [['mark', markType], ['mark_range', markRangeType]] as const) {
        const field = new TextEncoder().encode(name);
        w.u32(moduleName.length);
        w.append(moduleName);
        w.u32(field.length);
        w.append(field);
        w.byte(0);
        w.u32(type);
    }
    return w.finish();
}

function rewriteExports(bytes: Uint8Array, section: Section, shift: (i: number) => number, lastPageGlobal: number): Uint8Array {
    const r = new Reader(bytes, section.start);
    const count = r.u32();
    const w = new Writer();
    w.u32(count + 1);
    const name = new TextEncoder().encode(LAST_PAGE_EXPORT);
    w.u32(name.length);
    w.append(name);
    w.byte(0x03);
    w.u32(lastPageGlobal);
    for (let i = 0; i < count; i++) {
        const nameStart = r.offset;
        r.name();
        w.bytes(bytes, nameStart, r.offset);
        const kind = r.byte();
        const index = r.u32();
        w.byte(kind);
        w.u32(kind === 0 ? shift(index) : index);
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

function rewriteCode(
    bytes: Uint8Array,
    section: Section,
    functionTypes: number[],
    params: number[],
    shift: (i: number) => number,
    markIndex: number,
    markRangeIndex: number,
    lastPageGlobal: number
): Uint8Array {
    const r = new Reader(bytes, section.start);
    const count = r.u32();
    const w = new Writer();
    w.u32(count);
    for (let f = 0; f < count; f++) {
        const size = r.u32();
        const end = r.offset + size;
        const body = new Writer();
        const declCount = r.u32();
        let locals = params[functionTypes[f]!] ?? 0;
        const declStart = r.offset;
        for (let d = 0; d < declCount; d++) {
            locals += r.u32();
            r.byte();
        }
        body.u32(declCount + 4);
        body.bytes(bytes, declStart, r.offset);
        body.append([4, I32, 1, I64, 1, F32, 1, F64]);
        const scratch: Scratch = { a: locals, b: locals + 1, c: locals + 2, page: locals + 3, i64: locals + 4, f32: locals + 5, f64: locals + 6 };
        rewriteInstructions(bytes, r, end, body, scratch, shift, markIndex, markRangeIndex, lastPageGlobal);
        w.u32(body.length);
        w.append(body.finish());
    }
    return w.finish();
}

function rewriteInstructions(
    bytes: Uint8Array,
    r: Reader,
    end: number,
    w: Writer,
    s: Scratch,
    shift: (i: number) => number,
    markIndex: number,
    markRangeIndex: number,
    lastPageGlobal: number
): void {
    const copyLeb = (): void => {
        const start = r.offset;
        r.skipLeb();
        w.bytes(bytes, start, r.offset);
    };
    const localOp = (op: number, index: number): void => {
        w.byte(op);
        w.u32(index);
    };
    /** Stack (dst, x, n) → reports [dst, dst+n) before a bulk write, leaving the stack as it was. */
    const markBulk = (): void => {
        localOp(0x21, s.c);
        localOp(0x21, s.b);
        localOp(0x22, s.a);
        localOp(0x20, s.c);
        w.byte(0x10);
        w.u32(markRangeIndex);
        localOp(0x20, s.a);
        localOp(0x20, s.b);
        localOp(0x20, s.c);
    };
    while (r.offset < end) {
        const op = r.byte();
        const storeType = STORE_TYPE[op];
        if (storeType !== undefined) {
            const align = r.u32();
            const offset = r.u32();
            const valueLocal = storeType === I32 ? s.b : storeType === I64 ? s.i64 : storeType === F32 ? s.f32 : s.f64;
            // page = (addr + offset) >> 12; a call only when it differs from the last page
            // marked: stores cluster, so most stores cost a compare and no call.
            localOp(0x21, valueLocal);
            localOp(0x22, s.a);
            if (offset !== 0) {
                w.byte(0x41);
                writeSigned32(w, offset | 0);
                w.byte(0x6a);
            }
            w.append([0x41, PAGE_SHIFT, 0x76]);
            localOp(0x22, s.page);
            localOp(0x23, lastPageGlobal);
            w.append([0x47, 0x04, 0x40]); // i32.ne; if
            localOp(0x20, s.page);
            localOp(0x24, lastPageGlobal);
            localOp(0x20, s.page);
            w.byte(0x10);
            w.u32(markIndex);
            w.byte(0x0b);
            localOp(0x20, s.a);
            localOp(0x20, valueLocal);
            w.byte(op);
            w.u32(align);
            w.u32(offset);
            continue;
        }
        switch (op) {
            case 0x02:
            case 0x03:
            case 0x04:
                w.byte(op);
                copyLeb(); // block type: 0x40, a value type, or a signed type index
                break;
            case 0x0c:
            case 0x0d:
            case 0x20:
            case 0x21:
            case 0x22:
            case 0x23:
            case 0x24:
            case 0x25:
            case 0x26:
                w.byte(op);
                copyLeb();
                break;
            case 0x0e: {
                w.byte(op);
                const targets = r.u32();
                w.u32(targets);
                for (let i = 0; i <= targets; i++) copyLeb();
                break;
            }
            case 0x10:
            case 0x12:
                w.byte(op);
                w.u32(shift(r.u32()));
                break;
            case 0x11:
            case 0x13:
                w.byte(op);
                copyLeb();
                copyLeb();
                break;
            case 0x1c: {
                w.byte(op);
                const types = r.u32();
                w.u32(types);
                for (let i = 0; i < types; i++) w.byte(r.byte());
                break;
            }
            case 0x3f:
            case 0x40:
                w.byte(op);
                w.byte(r.byte());
                break;
            case 0x41:
            case 0x42:
                w.byte(op);
                copyLeb();
                break;
            case 0x43:
                w.byte(op);
                w.bytes(bytes, r.offset, r.offset + 4);
                r.offset += 4;
                break;
            case 0x44:
                w.byte(op);
                w.bytes(bytes, r.offset, r.offset + 8);
                r.offset += 8;
                break;
            case 0x28: case 0x29: case 0x2a: case 0x2b: case 0x2c: case 0x2d: case 0x2e:
            case 0x2f: case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35:
                w.byte(op);
                copyLeb();
                copyLeb();
                break;
            case 0xd0:
                w.byte(op);
                w.byte(r.byte());
                break;
            case 0xd2:
                w.byte(op);
                w.u32(shift(r.u32()));
                break;
            case 0xfc: {
                const sub = r.u32();
                if (sub === 8 || sub === 10 || sub === 11) markBulk();
                w.byte(op);
                w.u32(sub);
                if (sub <= 7) break;
                if (sub === 8) {
                    copyLeb();
                    w.byte(r.byte());
                } else if (sub === 10) {
                    w.byte(r.byte());
                    w.byte(r.byte());
                } else if (sub === 11) w.byte(r.byte());
                else if (sub === 12 || sub === 14) {
                    copyLeb();
                    copyLeb();
                } else if (sub === 9 || sub === 13 || sub === 15 || sub === 16 || sub === 17) copyLeb();
                else throw new Unsupported(`0xfc ${sub}`);
                break;
            }
            default:
                if (op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b || op === 0xd1 || (op >= 0x45 && op <= 0xc4)) {
                    w.byte(op);
                    break;
                }
                throw new Unsupported(`opcode 0x${op.toString(16)}`);
        }
    }
}

function writeSigned32(w: Writer, value: number): void {
    for (;;) {
        const b = value & 0x7f;
        value >>= 7;
        if ((value === 0 && (b & 0x40) === 0) || (value === -1 && (b & 0x40) !== 0)) {
            w.byte(b);
            return;
        }
        w.byte(b | 0x80);
    }
}

/**
 * The helper module: one memory of page flags (a byte per 4 KiB page, 16 Wasm pages = 4 GiB
 * of heap) and the two functions the instrumented code calls.
 *
 * (func $mark (param $page i32) (i32.store8 (local.get $page) (i32.const 1)))
 * (func $mark_range (param $addr i32) (param $len i32) (local $page i32) (local $last i32)
 *   (if (local.get $len) (then
 *     (local.set $page (i32.shr_u (local.get $addr) (i32.const 12)))
 *     (local.set $last (i32.shr_u (i32.sub (i32.add (local.get $addr) (local.get $len)) (i32.const 1)) (i32.const 12)))
 *     (loop $next (i32.store8 (local.get $page) (i32.const 1))
 *       (local.set $page (i32.add (local.get $page) (i32.const 1)))
 *       (br_if $next (i32.le_u (local.get $page) (local.get $last)))))))
 */
const TRACKER_WASM = Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    // types: (i32)->(), (i32,i32)->()
    0x01, 0x0a, 0x02, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x02, 0x7f, 0x7f, 0x00,
    // functions
    0x03, 0x03, 0x02, 0x00, 0x01,
    // memory: 16 pages, max 16
    0x05, 0x04, 0x01, 0x01, 0x10, 0x10,
    // exports: mark, mark_range, flags
    0x07, 0x1d, 0x03,
    0x04, 0x6d, 0x61, 0x72, 0x6b, 0x00, 0x00,
    0x0a, 0x6d, 0x61, 0x72, 0x6b, 0x5f, 0x72, 0x61, 0x6e, 0x67, 0x65, 0x00, 0x01,
    0x05, 0x66, 0x6c, 0x61, 0x67, 0x73, 0x02, 0x00,
    // code
    0x0a, 0x41, 0x02,
    // mark
    0x09, 0x00, 0x20, 0x00, 0x41, 0x01, 0x3a, 0x00, 0x00, 0x0b,
    // mark_range
    0x35, 0x01, 0x02, 0x7f,
    0x20, 0x01, 0x04, 0x40,
    0x20, 0x00, 0x41, 0x0c, 0x76, 0x21, 0x02,
    0x20, 0x00, 0x20, 0x01, 0x6a, 0x41, 0x01, 0x6b, 0x41, 0x0c, 0x76, 0x21, 0x03,
    0x03, 0x40,
    0x20, 0x02, 0x41, 0x01, 0x3a, 0x00, 0x00,
    0x20, 0x02, 0x41, 0x01, 0x6a, 0x21, 0x02,
    0x20, 0x02, 0x20, 0x03, 0x4d, 0x0d, 0x00,
    0x0b, 0x0b, 0x0b
]);

let trackerModule: WebAssembly.Module | null = null;

/** A fresh set of page flags with the functions the instrumented module imports. */
export function createTracker(): { imports: WebAssembly.ModuleImports; flags: WebAssembly.Memory } {
    trackerModule ??= new WebAssembly.Module(TRACKER_WASM);
    const instance = new WebAssembly.Instance(trackerModule, {});
    return {
        imports: { mark: instance.exports['mark'] as WebAssembly.ExportValue, mark_range: instance.exports['mark_range'] as WebAssembly.ExportValue },
        flags: instance.exports['flags'] as WebAssembly.Memory
    };
}
