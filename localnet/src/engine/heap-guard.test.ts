import { DirtyPageGuard, WholeHeapGuard, type HeapGuard } from './heap-guard';

const PAGE = 65_536;

function dirtyGuard(): { guard: DirtyPageGuard; heap: () => Uint8Array; memory: WebAssembly.Memory } {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const flags = new WebAssembly.Memory({ initial: 1 });
    const lastPage = new WebAssembly.Global({ value: 'i32', mutable: true }, -1);
    return { guard: new DirtyPageGuard(memory, flags, lastPage), heap: () => new Uint8Array(memory.buffer), memory };
}

/** A guest write: the instrumented module marks the page it stores to, as `hostWrote` does. */
function write(guard: HeapGuard, heap: Uint8Array, offset: number, bytes: number[]): void {
    heap.set(bytes, offset);
    guard.hostWrote(offset, bytes.length);
}

describe.each([
    ['dirty pages', (): { guard: HeapGuard; heap: () => Uint8Array; memory: WebAssembly.Memory } => dirtyGuard()],
    [
        'whole heap',
        (): { guard: HeapGuard; heap: () => Uint8Array; memory: WebAssembly.Memory } => {
            const memory = new WebAssembly.Memory({ initial: 1 });
            return { guard: new WholeHeapGuard(memory), heap: () => new Uint8Array(memory.buffer), memory };
        }
    ]
])('Localnet > heap guard (%s) > captured executions', (_name, make) => {
    it('rolls back to the committed heap and returns what the execution wrote', () => {
        const { guard, heap } = make();
        guard.begin();
        write(guard, heap(), 100, [1, 2, 3]);
        guard.commit();

        guard.begin();
        write(guard, heap(), 101, [9]);
        write(guard, heap(), 50_000, [8]);
        const runs = guard.rollbackCapturing();

        expect([...heap().subarray(100, 103)]).toEqual([1, 2, 3]);
        expect(heap()[50_000]).toBe(0);
        const replay = new Uint8Array(PAGE);
        for (const run of runs) replay.set(run.bytes, run.start);
        expect([replay[101], replay[50_000]]).toEqual([9, 8]);
    });

    it('reapplies captured runs for the next execution, and a rollback removes them again', () => {
        const { guard, heap } = make();
        guard.begin();
        write(guard, heap(), 7, [4]);
        const runs = guard.rollbackCapturing();

        guard.begin();
        guard.reapply(runs);
        expect(heap()[7]).toBe(4);
        // On another tracked page than the reapplied byte: its rollback relies on reapply's marks.
        write(guard, heap(), 50_000, [5]);
        const next = guard.rollbackCapturing();

        expect([heap()[7], heap()[50_000]]).toEqual([0, 0]);
        const replay = new Uint8Array(PAGE);
        for (const run of next) replay.set(run.bytes, run.start);
        expect([replay[7], replay[50_000]]).toEqual([4, 5]);
    });
});

describe('Localnet > heap guard (dirty pages) > stores across a page boundary', () => {
    it('rolls back the bytes an 8-byte store spills into the next page, which the tracker did not mark', () => {
        const { guard, heap } = dirtyGuard();
        guard.begin();
        // An i64 store at the last 4 bytes of tracked page 0: the tracker marks page 0 only.
        heap().set([1, 2, 3, 4, 5, 6, 7, 8], 4092);
        guard.hostWrote(4092, 1);
        guard.rollback();
        expect([...heap().subarray(4092, 4100)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    });
});
