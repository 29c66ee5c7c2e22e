import { UndoLogGuard, WholeHeapGuard, type HeapGuard } from './heap-guard';
import { createTracker, PAGE_SHIFT, TRACKED_PAGE } from './write-tracking';

const PAGE = 65_536;

type Guarded = {
    guard: HeapGuard;
    heap: () => Uint8Array;
    memory: WebAssembly.Memory;
    /** A guest store: the page is marked through the real tracker first, as instrumented code does. */
    store: (offset: number, bytes: number[]) => void;
    /** A guest bulk write (`memory.fill` and the like): the tracker's `mark_range` first. */
    fill: (offset: number, size: number, value: number) => void;
};

/** An undo-log guard on a real tracker; `beforeGuard` runs marks before the guard exists (a start function). */
function undoLog(beforeGuard: (mark: (page: number) => void) => void = () => undefined): Guarded {
    const memory = new WebAssembly.Memory({ initial: 1 });
    let guard: UndoLogGuard | null = null;
    const tracker = createTracker((page) => guard?.saveBeforeWrite(page));
    const mark = tracker.imports['mark'] as (page: number) => void;
    const markRange = tracker.imports['mark_range'] as (addr: number, size: number) => void;
    beforeGuard(mark);
    const lastPage = new WebAssembly.Global({ value: 'i32', mutable: true }, -1);
    guard = new UndoLogGuard(memory, tracker.flags, lastPage);
    const heap = (): Uint8Array => new Uint8Array(memory.buffer);
    return {
        guard,
        heap,
        memory,
        store: (offset, bytes) => {
            mark(offset >>> PAGE_SHIFT);
            heap().set(bytes, offset);
        },
        fill: (offset, size, value) => {
            markRange(offset, size);
            heap().fill(value, offset, offset + size);
        }
    };
}

function wholeHeap(): Guarded {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const heap = (): Uint8Array => new Uint8Array(memory.buffer);
    return {
        guard: new WholeHeapGuard(memory),
        heap,
        memory,
        store: (offset, bytes) => heap().set(bytes, offset),
        fill: (offset, size, value) => heap().fill(value, offset, offset + size)
    };
}

/** A host write (argument copy): announced to the guard before it is made. */
function hostWrite(guard: HeapGuard, heap: Uint8Array, offset: number, bytes: number[]): void {
    guard.beforeHostWrite(offset, bytes.length);
    heap.set(bytes, offset);
}

describe.each([
    ['undo log', (): Guarded => undoLog()],
    ['whole heap', wholeHeap]
])('Localnet > heap guard (%s) > executions', (_name, make) => {
    it('undoes a trapped execution: guest stores, bulk writes, host writes and pages written twice', () => {
        const { guard, heap, store, fill } = make();
        guard.begin();
        store(100, [1, 2, 3]);
        guard.commit();

        guard.begin();
        store(101, [9]);
        store(101, [8]); // the same page again: the pre-image is the committed byte, not the 9
        fill(10_000, 3 * TRACKED_PAGE, 7);
        hostWrite(guard, heap(), 40_000, [6, 6]);
        hostWrite(guard, heap(), 40_001, [5]);
        guard.rollback();

        expect([...heap().subarray(100, 103)]).toEqual([1, 2, 3]);
        expect(heap().subarray(10_000, 10_000 + 3 * TRACKED_PAGE).every((b) => b === 0)).toBe(true);
        expect([heap()[40_000], heap()[40_001]]).toEqual([0, 0]);
    });

    it('keeps a committed execution, and the next rollback returns to it', () => {
        const { guard, heap, store } = make();
        guard.begin();
        store(200, [1]);
        hostWrite(guard, heap(), 300, [2]);
        guard.commit();
        expect([heap()[200], heap()[300]]).toEqual([1, 2]);

        // The same pages again: the commit must have ended their first writes.
        guard.begin();
        store(200, [3]);
        hostWrite(guard, heap(), 300, [4]);
        guard.rollback();
        expect([heap()[200], heap()[300]]).toEqual([1, 2]);
    });

    it('zeroes the pages a rolled-back execution grew, which stay allocated', () => {
        const { guard, heap, memory, store } = make();
        guard.begin();
        memory.grow(1);
        store(PAGE + 10, [4]);
        store(PAGE - 2, [5, 5, 5, 5]); // crosses into the grown page
        guard.rollback();

        expect(heap().length).toBe(2 * PAGE);
        expect([...heap().subarray(PAGE - 2, PAGE + 2)]).toEqual([0, 0, 0, 0]);
        expect(heap()[PAGE + 10]).toBe(0);
    });

    it('rolls back to the committed heap and returns what the execution wrote', () => {
        const { guard, heap, store } = make();
        guard.begin();
        store(100, [1, 2, 3]);
        guard.commit();

        guard.begin();
        store(101, [9]);
        store(50_000, [8]);
        const runs = guard.rollbackCapturing();

        expect([...heap().subarray(100, 103)]).toEqual([1, 2, 3]);
        expect(heap()[50_000]).toBe(0);
        const replay = new Uint8Array(PAGE);
        for (const run of runs) replay.set(run.bytes, run.start);
        expect([replay[101], replay[50_000]]).toEqual([9, 8]);
    });

    it('reapplies captured runs for the next execution, and a rollback removes them again', () => {
        const { guard, heap, store } = make();
        guard.begin();
        store(7, [4]);
        const runs = guard.rollbackCapturing();

        guard.begin();
        guard.reapply(runs);
        expect(heap()[7]).toBe(4);
        store(50_000, [5]);
        store(8, [6]); // on the reapplied page: its pre-image was saved by reapply
        const next = guard.rollbackCapturing();

        expect([heap()[7], heap()[8], heap()[50_000]]).toEqual([0, 0, 0]);
        const replay = new Uint8Array(PAGE);
        for (const run of next) replay.set(run.bytes, run.start);
        expect([replay[7], replay[8], replay[50_000]]).toEqual([4, 6, 5]);
    });
});

describe('Localnet > heap guard (undo log) > stores across a page boundary', () => {
    it('rolls back the bytes an 8-byte store spills into the next page, which the tracker did not mark', () => {
        const { guard, heap, store } = undoLog();
        guard.begin();
        // An i64 store at the last 4 bytes of tracked page 0: the tracker marks page 0 only.
        store(4092, [1, 2, 3, 4, 5, 6, 7, 8]);
        guard.rollback();
        expect([...heap().subarray(4092, 4100)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    });

    it('restores the oldest bytes when the spill lands on a page saved earlier', () => {
        const { guard, heap, store } = undoLog();
        guard.begin();
        store(4096, [9, 9, 9, 9]); // page 1 saved clean
        store(4092, [1, 2, 3, 4, 5, 6, 7, 8]); // page 0 saved with page 1's new bytes in its spill
        guard.rollback();
        expect([...heap().subarray(4092, 4100)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    });
});

describe('Localnet > heap guard (undo log) > marks before the guard', () => {
    it('forgets the marks of the start function, so the first execution saves those pages', () => {
        const { guard, heap, store } = undoLog((mark) => mark(3));
        guard.begin();
        store(3 * TRACKED_PAGE + 1, [7]);
        guard.rollback();
        expect(heap()[3 * TRACKED_PAGE + 1]).toBe(0);
    });

    it('forgets the marks of an execution ended by a reset (a loaded state)', () => {
        const { guard, heap, store } = undoLog();
        guard.begin();
        store(5, [1]);
        heap().fill(2, 0, 10); // a state loaded over the heap
        guard.reset();

        guard.begin();
        store(5, [3]);
        guard.rollback();
        expect([...heap().subarray(4, 7)]).toEqual([2, 2, 2]);
    });
});

describe('Localnet > heap guard (undo log) > long executions', () => {
    it('rolls back an execution that wrote more pages than the log keeps between executions', () => {
        const { guard, heap, memory, fill } = undoLog();
        memory.grow(15); // 1 MiB: 256 tracked pages
        fill(0, 16 * PAGE, 1);
        guard.begin();
        guard.commit();
        guard.begin();
        fill(0, 16 * PAGE, 2);
        guard.rollback();
        expect(heap().every((b) => b === 1)).toBe(true);
    });
});
