/**
 * Write tracking for canister heaps, so rolling a message back (and discarding a query) costs
 * the pages it wrote instead of a copy of the whole heap, and no copy of the heap is kept.
 *
 * The module is rewritten (module-rewrite.ts) so that every store, `memory.copy`,
 * `memory.fill` and `memory.init` first reports the address it writes to a tiny helper Wasm
 * module (imported as `localnet_tracker.mark` / `mark_range`). Calling Wasm from Wasm costs a
 * few nanoseconds, where a call into JavaScript would cost tens. The helper keeps one flag byte
 * per 4 KiB page in its own memory and calls into JavaScript only on a page's first write in
 * an execution, for the host to save the page's pre-image (the undo log, heap-guard.ts).
 */
import type { Writer } from './wasm-binary';
import { buildModule, op } from './wasm-builder';

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

/** Module and field of the host function the helper calls on a page's first write in an execution. */
export const FIRST_WRITE_IMPORT = { module: 'host', name: 'first_write' } as const;

/**
 * The helper module: one memory of page flags (a byte per 4 KiB page, 16 Wasm pages = 4 GiB
 * of heap) and the two functions the instrumented code calls. A page's first mark in an
 * execution sets its flag and calls the host (`first_write`), which saves the page's
 * pre-image (heap-guard.ts) before the store runs; later marks of the page cost a load.
 *
 * (func $mark (param $page i32)
 *   (if (i32.eqz (i32.load8_u (local.get $page)))
 *     (then (i32.store8 (local.get $page) (i32.const 1)) (call $first_write (local.get $page)))))
 * (func $mark_range (param $addr i32) (param $len i32) (local $page i32) (local $last i32)
 *   (if (local.get $len) (then
 *     (local.set $page (i32.shr_u (local.get $addr) (i32.const 12)))
 *     (local.set $last (i32.shr_u (i32.sub (i32.add (local.get $addr) (local.get $len)) (i32.const 1)) (i32.const 12)))
 *     (loop $next
 *       (if (i32.eqz (i32.load8_u (local.get $page)))
 *         (then (i32.store8 (local.get $page) (i32.const 1)) (call $first_write (local.get $page))))
 *       (local.set $page (i32.add (local.get $page) (i32.const 1)))
 *       (br_if $next (i32.le_u (local.get $page) (local.get $last)))))))
 */
function trackerWasm(): Uint8Array {
    const firstWrite = 0;
    /** `(if (i32.eqz (i32.load8_u page)) (then (i32.store8 page 1) (call first_write page)))` */
    const markLocal = (page: number): number[] => [
        ...op.localGet(page), 0x2d, 0x00, 0x00, 0x45, 0x04, 0x40,
        ...op.localGet(page), ...op.i32(1), 0x3a, 0x00, 0x00,
        ...op.localGet(page), ...op.call(firstWrite),
        0x0b
    ];
    return buildModule({
        imports: [{ module: FIRST_WRITE_IMPORT.module, name: FIRST_WRITE_IMPORT.name, params: [I32] }],
        memoryPages: 16,
        functions: [
            { export: 'mark', params: [I32], body: [...markLocal(0), 0x0b] },
            {
                export: 'mark_range',
                params: [I32, I32],
                locals: [[2, I32]],
                body: [
                    ...op.localGet(1), 0x04, 0x40,
                    ...op.localGet(0), ...op.i32(PAGE_SHIFT), 0x76, ...op.localSet(2),
                    ...op.localGet(0), ...op.localGet(1), 0x6a, ...op.i32(1), 0x6b, ...op.i32(PAGE_SHIFT), 0x76, ...op.localSet(3),
                    0x03, 0x40,
                    ...markLocal(2),
                    ...op.localGet(2), ...op.i32(1), 0x6a, ...op.localSet(2),
                    ...op.localGet(2), ...op.localGet(3), 0x4d, 0x0d, 0x00,
                    0x0b,
                    0x0b,
                    0x0b
                ]
            }
        ]
    });
}

let trackerModule: WebAssembly.Module | null = null;

/**
 * A fresh set of page flags with the functions the instrumented module imports; `firstWrite`
 * is called with a page's index on its first mark since its flag was last cleared.
 */
export function createTracker(firstWrite: (page: number) => void): { imports: WebAssembly.ModuleImports; flags: WebAssembly.Memory } {
    trackerModule ??= new WebAssembly.Module(trackerWasm() as Uint8Array<ArrayBuffer>);
    const instance = new WebAssembly.Instance(trackerModule, { [FIRST_WRITE_IMPORT.module]: { [FIRST_WRITE_IMPORT.name]: firstWrite } });
    return {
        imports: { mark: instance.exports['mark'] as WebAssembly.ExportValue, mark_range: instance.exports['mark_range'] as WebAssembly.ExportValue },
        flags: instance.exports['memory'] as WebAssembly.Memory
    };
}
