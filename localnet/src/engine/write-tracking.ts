/**
 * Dirty-page tracking for canister heaps, so rolling a message back (and discarding a query)
 * costs the pages it wrote instead of a copy of the whole heap.
 *
 * The module is rewritten (module-rewrite.ts) so that every store, `memory.copy`,
 * `memory.fill` and `memory.init` first reports the address it writes to a tiny helper Wasm
 * module (imported as `localnet_tracker.mark` / `mark_range`). Calling Wasm from Wasm costs a
 * few nanoseconds, where a call into JavaScript would cost tens. The helper sets one byte per
 * 4 KiB page in its own memory, which the host reads after the execution.
 */
import type { Writer } from './wasm-binary';

export const TRACKER_MODULE = 'localnet_tracker';
export const PAGE_SHIFT = 12;
export const TRACKED_PAGE = 1 << PAGE_SHIFT;

const I32 = 0x7f;
const I64 = 0x7e;
const F32 = 0x7d;
const F64 = 0x7c;
/** Value type stored by each store opcode (0x36..0x3e). */
const STORE_TYPE: Record<number, number> = { 0x36: I32, 0x37: I64, 0x38: F32, 0x39: F64, 0x3a: I32, 0x3b: I32, 0x3c: I64, 0x3d: I64, 0x3e: I64 };

/** Scratch locals appended to every function: four i32, then one i64, f32 and f64. */
export type Scratch = { a: number; b: number; c: number; page: number; i64: number; f32: number; f64: number };

/** Export name of the global caching the last page marked (reset to -1 before every execution). */
export const LAST_PAGE_EXPORT = '__localnet_last_page';

export function isStore(op: number): boolean {
    return STORE_TYPE[op] !== undefined;
}

function localOp(w: Writer, op: number, index: number): void {
    w.byte(op);
    w.u32(index);
}

/**
 * A store with its page reported first: page = (addr + offset) >> 12, and a call only when
 * it differs from the last page marked (stores cluster, so most stores cost a compare).
 */
export function emitStoreMark(w: Writer, op: number, align: number, offset: number, s: Scratch, markIndex: number, lastPageGlobal: number): void {
    const storeType = STORE_TYPE[op]!;
    const valueLocal = storeType === I32 ? s.b : storeType === I64 ? s.i64 : storeType === F32 ? s.f32 : s.f64;
    localOp(w, 0x21, valueLocal);
    localOp(w, 0x22, s.a);
    if (offset !== 0) {
        w.byte(0x41);
        w.signed(offset | 0);
        w.byte(0x6a);
    }
    w.append([0x41, PAGE_SHIFT, 0x76]);
    localOp(w, 0x22, s.page);
    localOp(w, 0x23, lastPageGlobal);
    w.append([0x47, 0x04, 0x40]); // i32.ne; if
    localOp(w, 0x20, s.page);
    localOp(w, 0x24, lastPageGlobal);
    localOp(w, 0x20, s.page);
    w.byte(0x10);
    w.u32(markIndex);
    w.byte(0x0b);
    localOp(w, 0x20, s.a);
    localOp(w, 0x20, valueLocal);
    w.byte(op);
    w.u32(align);
    w.u32(offset);
}

/** Stack (dst, x, n) → reports [dst, dst+n) before a bulk write, leaving the stack as it was. */
export function emitBulkMark(w: Writer, s: Scratch, markRangeIndex: number): void {
    localOp(w, 0x21, s.c);
    localOp(w, 0x21, s.b);
    localOp(w, 0x22, s.a);
    localOp(w, 0x20, s.c);
    w.byte(0x10);
    w.u32(markRangeIndex);
    localOp(w, 0x20, s.a);
    localOp(w, 0x20, s.b);
    localOp(w, 0x20, s.c);
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
