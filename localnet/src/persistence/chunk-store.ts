/**
 * A content-addressed store of memory chunks in a folder: a heap or stable memory is saved as
 * the list of the hashes of its fixed-size chunks, and a chunk is written only when no chunk
 * with its content is stored yet. Saving a memory again therefore writes only the chunks that
 * changed, identical chunks (zero pages, the same module's data) are stored once, and a save
 * never rewrites what is already on disk.
 *
 * Files are written to a temporary name and renamed, so a crash mid-save leaves no partial
 * chunk under a real name. {@link ChunkStore.collect} deletes the chunks no manifest lists.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { isZero } from '../engine/stable-memory';

/** Bytes per chunk: small enough that a message's writes dirty few, large enough to keep file counts low. */
export const CHUNK_BYTES = 256 * 1024;

/** A memory as stored: its length and the hash of each chunk (the last one may be short). */
export type StoredMemory = { length: number; chunks: string[] };

/** What a save wrote, for reports and tests. */
export type WriteStats = { chunksWritten: number; bytesWritten: number; chunksSeen: number };

export class ChunkStore {
    private readonly known = new Set<string>();
    readonly stats: WriteStats = { chunksWritten: 0, bytesWritten: 0, chunksSeen: 0 };

    constructor(private readonly dir: string) {
        mkdirSync(dir, { recursive: true });
        for (const name of readdirSync(dir)) if (name.endsWith('.bin')) this.known.add(name.slice(0, -'.bin'.length));
    }

    /** Stores `bytes` (writing only chunks not stored yet) and returns how to read it back. */
    put(bytes: Uint8Array): StoredMemory {
        const chunks: string[] = [];
        for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
            const chunk = bytes.subarray(offset, Math.min(offset + CHUNK_BYTES, bytes.length));
            const hash = createHash('sha256').update(chunk).digest('hex');
            this.stats.chunksSeen++;
            if (!this.known.has(hash)) {
                const path = join(this.dir, `${hash}.bin`);
                writeFileSync(`${path}.tmp`, chunk);
                renameSync(`${path}.tmp`, path);
                this.known.add(hash);
                this.stats.chunksWritten++;
                this.stats.bytesWritten += chunk.length;
            }
            chunks.push(hash);
        }
        return { length: bytes.length, chunks };
    }

    /**
     * Reads a stored memory back; throws when a chunk is missing or has the wrong size. Zero
     * chunks are not copied: the fresh buffer's pages stay untouched, so they cost no memory
     * until written (most of a stable memory is zero).
     */
    get(memory: StoredMemory): Uint8Array {
        const bytes = new Uint8Array(memory.length);
        memory.chunks.forEach((hash, index) => {
            const chunk = readFileSync(join(this.dir, `${hash}.bin`));
            const offset = index * CHUNK_BYTES;
            const expected = Math.min(CHUNK_BYTES, memory.length - offset);
            if (chunk.length !== expected) throw new Error(`chunk ${hash} has ${chunk.length} bytes, expected ${expected}`);
            if (!isZero(chunk)) bytes.set(chunk, offset);
        });
        return bytes;
    }

    /** Deletes every chunk (and leftover temporary file) that `live` does not list. */
    collect(live: ReadonlySet<string>): number {
        let removed = 0;
        if (!existsSync(this.dir)) return 0;
        for (const name of readdirSync(this.dir)) {
            const hash = name.endsWith('.bin') ? name.slice(0, -'.bin'.length) : null;
            if (hash !== null && live.has(hash)) continue;
            rmSync(join(this.dir, name), { force: true });
            if (hash !== null) this.known.delete(hash);
            removed++;
        }
        return removed;
    }
}
