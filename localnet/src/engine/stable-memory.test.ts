import { StableMemory, WASM_PAGE } from './stable-memory';

const bytesAt = (memory: StableMemory, offset: number, size: number): number[] => [...memory.read(offset, size)];

describe('Localnet > stable memory > captured transactions', () => {
    it('rolls a capturing transaction back and returns its writes, growth included', () => {
        const memory = new StableMemory();
        memory.grow(1);
        memory.write(10, Uint8Array.of(1, 2, 3));

        memory.begin(true);
        memory.grow(1);
        memory.write(11, Uint8Array.of(9));
        memory.write(WASM_PAGE + 5, Uint8Array.of(7, 7));
        const delta = memory.rollbackCapturing();

        expect(memory.sizePages).toBe(1);
        expect(bytesAt(memory, 10, 3)).toEqual([1, 2, 3]);
        expect(delta.pages).toBe(2);
        expect(delta.writes.map((w) => [w.offset, [...w.bytes]])).toEqual([
            [11, [9]],
            [WASM_PAGE + 5, [7, 7]]
        ]);
    });

    it('reapplies a captured delta inside a new transaction, which a rollback undoes again', () => {
        const memory = new StableMemory();
        memory.grow(1);
        memory.begin(true);
        memory.write(0, Uint8Array.of(5));
        const first = memory.rollbackCapturing();

        memory.begin(true);
        memory.reapply(first);
        expect(bytesAt(memory, 0, 1)).toEqual([5]);
        memory.write(1, Uint8Array.of(6));
        const second = memory.rollbackCapturing();

        expect(bytesAt(memory, 0, 2)).toEqual([0, 0]);
        // The second capture holds both the reapplied and the new writes.
        expect(second.writes.map((w) => w.offset)).toEqual([0, 1]);
    });
});
