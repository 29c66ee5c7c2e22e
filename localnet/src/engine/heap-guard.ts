/**
 * How a canister's Wasm heap is put back after a trapped execution or a query. Two ways:
 * - `DirtyPageGuard` (modules instrumented by write-tracking.ts): keeps a copy of the
 *   committed heap and, per execution, copies only the 4 KiB pages the execution wrote;
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
    /** The host wrote `[dst, dst+size)` (argument copies and the like). */
    hostWrote(dst: number, size: number): void;
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
    }

    hostWrote(): void {}

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
 * bulk writes mark every page they touch.
 */
const STORE_SPILL = 7;

export class DirtyPageGuard implements HeapGuard {
    /** The heap as of the last commit. */
    private committed: Uint8Array;

    constructor(
        private readonly memory: WebAssembly.Memory,
        private readonly flags: WebAssembly.Memory,
        /** The instrumented module's cache of the last page it marked. */
        private readonly lastPage: WebAssembly.Global
    ) {
        this.committed = new Uint8Array(memory.buffer).slice();
    }

    begin(): void {
        // Flags were cleared after the previous execution: the cache must forget its page too.
        this.lastPage.value = -1;
    }

    hostWrote(dst: number, size: number): void {
        if (size === 0) return;
        const flags = new Uint8Array(this.flags.buffer);
        for (let page = dst >>> PAGE_SHIFT; page <= (dst + size - 1) >>> PAGE_SHIFT; page++) flags[page] = 1;
    }

    commit(): void {
        const heap = new Uint8Array(this.memory.buffer);
        if (heap.length > this.committed.length) {
            const grown = new Uint8Array(heap.length);
            grown.set(this.committed);
            grown.set(heap.subarray(this.committed.length), this.committed.length);
            this.committed = grown;
        }
        this.visitDirty(heap.length, (start, end) => this.committed.set(heap.subarray(start, end), start));
    }

    rollback(): void {
        const heap = new Uint8Array(this.memory.buffer);
        const committed = this.committed;
        this.visitDirty(Math.min(heap.length, committed.length), (start, end) => heap.set(committed.subarray(start, end), start));
        if (heap.length > committed.length) heap.fill(0, committed.length);
    }

    reset(): void {
        this.committed = new Uint8Array(this.memory.buffer).slice();
        new Uint8Array(this.flags.buffer).fill(0);
    }

    rollbackCapturing(): HeapRun[] {
        const heap = new Uint8Array(this.memory.buffer);
        const committed = this.committed;
        const runs: HeapRun[] = [];
        this.visitDirty(heap.length, (start, end) => {
            runs.push({ start, bytes: heap.slice(start, end) });
            const restoredEnd = Math.min(end, committed.length);
            if (start < restoredEnd) heap.set(committed.subarray(start, restoredEnd), start);
        });
        if (heap.length > committed.length) heap.fill(0, committed.length);
        return runs;
    }

    reapply(runs: HeapRun[]): void {
        const heap = new Uint8Array(this.memory.buffer);
        for (const run of runs) {
            heap.set(run.bytes, run.start);
            this.hostWrote(run.start, run.bytes.length);
        }
    }

    /**
     * Calls `copy` for every run of dirty pages below `limit`, extended by `STORE_SPILL` bytes
     * (a store that starts near a page's end spills into the next), then clears every flag.
     */
    private visitDirty(limit: number, copy: (start: number, end: number) => void): void {
        const flags = new Uint8Array(this.flags.buffer);
        const pages = Math.ceil(new Uint8Array(this.memory.buffer).length / TRACKED_PAGE);
        const words = new Uint32Array(this.flags.buffer, 0, Math.ceil(pages / 4));
        let runStart = -1;
        let runEnd = -1;
        const flush = (): void => {
            const start = runStart * TRACKED_PAGE;
            const end = Math.min((runEnd + 1) * TRACKED_PAGE + STORE_SPILL, limit);
            if (start < end) copy(start, end);
        };
        for (let word = 0; word < words.length; word++) {
            if (words[word] === 0) continue;
            for (let page = word * 4; page < word * 4 + 4; page++) {
                if (flags[page] === 0) continue;
                flags[page] = 0;
                if (runStart >= 0 && page <= runEnd + 1) {
                    runEnd = page;
                } else {
                    if (runStart >= 0) flush();
                    runStart = page;
                    runEnd = page;
                }
            }
        }
        if (runStart >= 0) flush();
    }
}
