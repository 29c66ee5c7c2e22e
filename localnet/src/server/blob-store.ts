/**
 * PocketIC's blob store (`POST /blobstore`): content-addressed uploads, kept in memory for the
 * life of the server, later referenced by id (e.g. `set_stable_memory`).
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { OperationError } from '../api';

/** A stored blob: the bytes exactly as uploaded, and whether they are gzip-compressed. */
export type StoredBlob = { bytes: Uint8Array; gzip: boolean };

/** Blobs by id; see {@link blobStore} for the instance the server uses. */
export class BlobStore {
    private readonly blobs = new Map<string, StoredBlob>();

    /** Stores a blob and returns its id: lowercase hex sha256 of the bytes as uploaded. */
    put(bytes: Uint8Array, gzip: boolean): string {
        const id = createHash('sha256').update(bytes).digest('hex');
        this.blobs.set(id, { bytes, gzip });
        return id;
    }

    /** The blob with this hex id, or `undefined`. */
    get(idHex: string): StoredBlob | undefined {
        return this.blobs.get(idHex.toLowerCase());
    }

    /**
     * The uncompressed content of a blob. Throws `OperationError` (400) for an unknown id or a
     * gzip blob that does not decompress.
     */
    content(idHex: string): Uint8Array {
        const blob = this.get(idHex);
        if (blob === undefined) throw new OperationError(`blob ${idHex} not found in the blob store`);
        if (!blob.gzip) return blob.bytes;
        try {
            return new Uint8Array(gunzipSync(blob.bytes));
        } catch {
            throw new OperationError(`blob ${idHex} is marked gzip but does not decompress`);
        }
    }

    /** Drops every blob (server shutdown). */
    clear(): void {
        this.blobs.clear();
    }
}

/** The server's one blob store, shared by the REST layer and the engine. */
export const blobStore = new BlobStore();
