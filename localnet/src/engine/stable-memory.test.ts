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

describe('Localnet > stable memory > sparse pages', () => {
    it('holds only pages with non-zero content, however far it has grown', () => {
        const memory = new StableMemory();
        memory.grow(4096); // 256 MiB
        memory.write(3 * WASM_PAGE - 2, Uint8Array.of(1, 2, 3, 4));
        memory.write(100 * WASM_PAGE, new Uint8Array(WASM_PAGE)); // zeros allocate nothing

        expect(memory.residentBytes).toBe(2 * WASM_PAGE);
        expect(bytesAt(memory, 3 * WASM_PAGE - 3, 6)).toEqual([0, 1, 2, 3, 4, 0]);
        expect(memory.snapshot().length).toBe(4096 * WASM_PAGE);
    });

    it('keeps only the non-zero pages of a replaced memory, and reads it back whole', () => {
        const bytes = new Uint8Array(8 * WASM_PAGE + 10);
        bytes[5 * WASM_PAGE + 1] = 9;
        bytes[8 * WASM_PAGE + 9] = 8;
        const memory = new StableMemory();
        memory.replace(bytes);

        expect(memory.sizePages).toBe(9);
        expect(memory.residentBytes).toBe(2 * WASM_PAGE);
        const copy = memory.snapshot();
        expect(Buffer.from(copy.subarray(0, bytes.length)).equals(Buffer.from(bytes))).toBe(true);
    });

    it('reads pages a rolled-back transaction grew and wrote as zero when grown again', () => {
        const memory = new StableMemory();
        memory.grow(1);
        memory.begin();
        memory.grow(2);
        memory.write(WASM_PAGE + 3, Uint8Array.of(7));
        memory.write(1, Uint8Array.of(6));
        memory.rollback();

        // Page 0 stays allocated (restored to zeros); page 1, above the old size, is dropped.
        expect(memory.residentBytes).toBe(WASM_PAGE);
        memory.grow(2);
        expect(bytesAt(memory, 0, 2)).toEqual([0, 0]);
        expect(bytesAt(memory, WASM_PAGE + 3, 1)).toEqual([0]);
    });
});
