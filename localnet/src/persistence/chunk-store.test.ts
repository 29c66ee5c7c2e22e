import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CHUNK_BYTES, ChunkStore } from './chunk-store';

describe('Localnet > persistence > chunk store', () => {
    const fresh = (): string => join(mkdtempSync(join(tmpdir(), 'chunks-')), 'chunks');

    it('reads back what it stored, including a short last chunk', () => {
        const store = new ChunkStore(fresh());
        const bytes = Uint8Array.from({ length: CHUNK_BYTES * 2 + 100 }, (_, i) => i % 251);
        const stored = store.put(bytes);
        expect(stored.chunks).toHaveLength(3);
        expect(Buffer.from(store.get(stored)).equals(Buffer.from(bytes))).toBe(true);
    });

    it('writes only the chunks that changed since the last save, and identical chunks once', () => {
        const dir = fresh();
        const store = new ChunkStore(dir);
        const memory = new Uint8Array(CHUNK_BYTES * 8); // eight zero chunks: one stored
        store.put(memory);
        expect(store.stats.chunksWritten).toBe(1);
        memory[CHUNK_BYTES * 5 + 7] = 1;
        const before = store.stats.bytesWritten;
        const second = store.put(memory);
        expect(store.stats.chunksWritten).toBe(2);
        expect(store.stats.bytesWritten - before).toBe(CHUNK_BYTES);
        // A store opened later on the same folder knows what is there and writes nothing.
        const reopened = new ChunkStore(dir);
        reopened.put(memory);
        expect(reopened.stats.chunksWritten).toBe(0);
        expect(reopened.get(second)[CHUNK_BYTES * 5 + 7]).toBe(1);
    });

    it('collects the chunks no save refers to', () => {
        const dir = fresh();
        const store = new ChunkStore(dir);
        const kept = store.put(new Uint8Array(10).fill(1));
        store.put(new Uint8Array(10).fill(2));
        expect(store.collect(new Set(kept.chunks))).toBe(1);
        expect(readdirSync(dir)).toEqual([`${kept.chunks[0]}.bin`]);
    });
});
