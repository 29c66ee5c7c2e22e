/**
 * How a canister's Wasm heap is put back after a trapped execution or a query. Two ways:
 * - `UndoLogGuard` (modules instrumented by write-tracking.ts): saves the pre-image of each
 *   4 KiB page before an execution first writes it, and writes them back on rollback;
 * - `WholeHeapGuard` (any other module): snapshots and restores the whole heap.
 * Wasm memory cannot shrink: pages grown by a discarded execution stay, zeroed.
 */
import { PAGE_SHIFT, TRACKED_PAGE } from './write-tracking';

/** Bytes an execution wrote, kept after it was rolled back (a composite query's caller between calls). */
export type HeapRun = { start: number; bytes: Uint8Array };

export interface HeapGuard {
    /** Called before an execution. */
    begin(): void;
    /** Keeps what the execution wrote. */
    commit(): void;
    /** Puts the heap back as it was at `begin`. */
    rollback(): void;
    /** The host is about to write `[dst, dst+size)` (argument copies and the like). */
    beforeHostWrite(dst: number, size: number): void;
    /** The heap was replaced wholesale (a saved state was loaded). */
    reset(): void;
    /** Like `rollback`, returning what the execution had written so `reapply` can bring it back. */
    rollbackCapturing(): HeapRun[];
    /** After `begin`: writes runs captured by `rollbackCapturing` back, undone by the next rollback. */
    reapply(runs: HeapRun[]): void;
}

export class WholeHeapGuard implements HeapGuard {
    private snapshot: Uint8Array | null = null;

    constructor(private readonly memory: WebAssembly.Memory) {}

    begin(): void {
        this.snapshot ??= new Uint8Array(this.memory.buffer).slice();
    }

    commit(): void {
        this.snapshot = null;
    }

    rollback(): void {
        const snapshot = this.snapshot;
        if (snapshot === null) return;
        const heap = new Uint8Array(this.memory.buffer);
        heap.set(snapshot);
        if (heap.length > snapshot.length) heap.fill(0, snapshot.length);
        // Not kept for the next execution: no copy of the heap outlives the one it guards.
        this.snapshot = null;
    }

    beforeHostWrite(): void {}

    reset(): void {
        this.snapshot = null;
    }

    rollbackCapturing(): HeapRun[] {
        const runs = [{ start: 0, bytes: new Uint8Array(this.memory.buffer).slice() }];
        this.rollback();
        return runs;
    }

    reapply(runs: HeapRun[]): void {
        const heap = new Uint8Array(this.memory.buffer);
        for (const run of runs) heap.set(run.bytes, run.start);
    }
}

/**
 * Bytes a marked store can write past its page: the tracker marks the page of a store's first
 * byte, and the widest store it instruments is 8 bytes (SIMD modules are not instrumented);
 * bulk writes mark every page they touch. A pre-image covers its page and the spill, and the
 * log is undone newest first, so every byte ends with its oldest saved value.
 */
const STORE_SPILL = 7;
/** Bytes of one pre-image slot: a page and what a store on it can spill into the next. */
const SLOT = TRACKED_PAGE + STORE_SPILL;
/** Pre-image slots kept allocated between executions; an execution that needed more gives the rest back. */
const RETAINED_SLOTS = 64;

/**
 * An undo log: before an execution's first write to a 4 KiB page (the instrumented module's
 * tracker calls `saveBeforeWrite`, the host calls `beforeHostWrite`), the page's bytes are
 * saved; a rollback writes them back, a commit drops them. So no copy of the heap is kept, and
 * an execution costs a copy of the pages it wrote.
 */
export class UndoLogGuard implements HeapGuard {
    /** Pages marked in this execution, in order; their flags are cleared when it ends. */
    private pages = new Int32Array(RETAINED_SLOTS);
    /** Per marked page, the bytes of its pre-image in `preImages` (0: none, the page is above the heap at `begin`). */
    private lengths = new Int32Array(RETAINED_SLOTS);
    private preImages = new Uint8Array(RETAINED_SLOTS * SLOT);
    private marked = 0;
    /** Heap size at `begin`: what lies above was grown by this execution and is zeroed on rollback. */
    private sizeAtBegin: number;

    constructor(
        private readonly memory: WebAssembly.Memory,
        private readonly flags: WebAssembly.Memory,
        /** The instrumented module's cache of the last page it marked. */
        private readonly lastPage: WebAssembly.Global
    ) {
        // The start function ran before this guard existed: its marks are part of the initial heap.
        new Uint8Array(flags.buffer).fill(0);
        this.sizeAtBegin = memory.buffer.byteLength;
    }

    begin(): void {
        this.endExecution();
        this.sizeAtBegin = this.memory.buffer.byteLength;
        // Flags were cleared after the previous execution: the cache must forget its page too.
        this.lastPage.value = -1;
    }

    /** Called by the tracker on `page`'s first mark in this execution, before the write. */
    saveBeforeWrite(page: number): void {
        if (this.marked === this.pages.length) this.growLog();
        const start = page * TRACKED_PAGE;
        const end = Math.min(start + SLOT, this.sizeAtBegin);
        const slot = this.marked++;
        this.pages[slot] = page;
        this.lengths[slot] = Math.max(end - start, 0);
        if (end > start) this.preImages.set(new Uint8Array(this.memory.buffer, start, end - start), slot * SLOT);
    }

    beforeHostWrite(dst: number, size: number): void {
        if (size === 0) return;
        const flags = new Uint8Array(this.flags.buffer);
        for (let page = dst >>> PAGE_SHIFT; page <= (dst + size - 1) >>> PAGE_SHIFT; page++) {
            if (flags[page] !== 0) continue;
            flags[page] = 1;
            this.saveBeforeWrite(page);
        }
    }

    commit(): void {
        this.endExecution();
    }

    rollback(): void {
        const heap = new Uint8Array(this.memory.buffer);
        for (let slot = this.marked - 1; slot >= 0; slot--) {
            const length = this.lengths[slot]!;
            if (length > 0) heap.set(this.preImages.subarray(slot * SLOT, slot * SLOT + length), this.pages[slot]! * TRACKED_PAGE);
        }
        if (heap.length > this.sizeAtBegin) heap.fill(0, this.sizeAtBegin);
        this.endExecution();
    }

    reset(): void {
        new Uint8Array(this.flags.buffer).fill(0);
        this.marked = 0;
        this.sizeAtBegin = this.memory.buffer.byteLength;
    }

    rollbackCapturing(): HeapRun[] {
        const heap = new Uint8Array(this.memory.buffer);
        const runs: HeapRun[] = [];
        for (let slot = 0; slot < this.marked; slot++) {
            const start = this.pages[slot]! * TRACKED_PAGE;
            const end = Math.min(start + SLOT, heap.length);
            if (start < end) runs.push({ start, bytes: heap.slice(start, end) });
        }
        this.rollback();
        return runs;
    }

    reapply(runs: HeapRun[]): void {
        const heap = new Uint8Array(this.memory.buffer);
        for (const run of runs) {
            this.beforeHostWrite(run.start, run.bytes.length);
            heap.set(run.bytes, run.start);
        }
    }

    /** Forgets the log: clears the flags of the pages it marked and gives back a grown log's memory. */
    private endExecution(): void {
        const flags = new Uint8Array(this.flags.buffer);
        for (let slot = 0; slot < this.marked; slot++) flags[this.pages[slot]!] = 0;
        this.marked = 0;
        if (this.pages.length > RETAINED_SLOTS) {
            this.pages = new Int32Array(RETAINED_SLOTS);
            this.lengths = new Int32Array(RETAINED_SLOTS);
            this.preImages = new Uint8Array(RETAINED_SLOTS * SLOT);
        }
    }

    private growLog(): void {
        const capacity = this.pages.length * 2;
        const pages = new Int32Array(capacity);
        pages.set(this.pages);
        const lengths = new Int32Array(capacity);
        lengths.set(this.lengths);
        const preImages = new Uint8Array(capacity * SLOT);
        preImages.set(this.preImages);
        this.pages = pages;
        this.lengths = lengths;
        this.preImages = preImages;
    }
}
