/**
 * A canister's stable memory: 64 KiB pages kept outside the Wasm instance, so it survives
 * upgrades. Only pages holding a non-zero byte are allocated: canisters grow stable memory far
 * ahead of use (Azle's memory manager reserves hundreds of MiB that stay zero), and a flat
 * buffer of that size would hold the process's memory for nothing. Writes inside a transaction
 * are journalled (old bytes of each written range), so rolling a trapped message back costs
 * what it wrote, not the size of the memory.
 */
export const WASM_PAGE = 65536;
/** The IC's stable memory limit for 64-bit stable memory on an application subnet (500 GiB). */
export const MAX_STABLE_PAGES = (500 * 1024 * 1024 * 1024) / WASM_PAGE;

type JournalEntry = { offset: number; before: Uint8Array };
type Journal = { entries: JournalEntry[]; pagesAtBegin: number; written: Array<[offset: number, size: number]> | null };

/** What a rolled-back transaction had written, to bring it back later (see `StableMemory.rollbackCapturing`). */
export type StableDelta = { pages: number; writes: Array<{ offset: number; bytes: Uint8Array }> };

/** What a missing page reads as (never written: `read` hands out views of it). */
const ZERO_PAGE = new Uint8Array(WASM_PAGE);

/** True when every byte of `bytes` is zero. */
export function isZero(bytes: Uint8Array): boolean {
    // Word-wise where the view is aligned (whole pages are), byte-wise for the rest.
    const aligned = bytes.byteOffset % 4 === 0 ? Math.floor(bytes.length / 4) : 0;
    const words = aligned === 0 ? new Uint32Array(0) : new Uint32Array(bytes.buffer, bytes.byteOffset, aligned);
    for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
    for (let i = aligned * 4; i < bytes.length; i++) if (bytes[i] !== 0) return false;
    return true;
}

export class StableMemory {
    /** Page contents by page index; a missing page reads as zeros. Nothing is kept at or above `pages`. */
    private data: Array<Uint8Array | undefined> = [];
    private pages = 0;
    /** Nested transactions: an upgrade journals pre_upgrade and post_upgrade as one unit. */
    private journals: Journal[] = [];
    /**
     * Bumped by every change of content or size (and by a rollback, which may undo one), so a
     * saver can tell that nothing changed since it last stored this memory without reading it.
     */
    revision = 0;

    get sizePages(): number {
        return this.pages;
    }

    get sizeBytes(): number {
        return this.pages * WASM_PAGE;
    }

    /** Grows by `delta` pages; returns the old size, or -1 when the limit would be exceeded. */
    grow(delta: number): number {
        this.revision++;
        const old = this.pages;
        if (delta < 0 || old + delta > MAX_STABLE_PAGES) return -1;
        // New pages read as zero: a rollback dropped any content above the old size.
        this.pages = old + delta;
        return old;
    }

    /** Bytes held for non-zero pages (what this memory costs the process). */
    get residentBytes(): number {
        let pages = 0;
        for (const page of this.data) if (page !== undefined) pages++;
        return pages * WASM_PAGE;
    }

    /** False when `[offset, offset + size)` is not inside the current memory. */
    inBounds(offset: bigint, size: bigint): boolean {
        return offset >= 0n && size >= 0n && offset + size <= BigInt(this.sizeBytes);
    }

    /**
     * The bytes of `[offset, offset + size)`, read-only: a view when the range lies in one page
     * (most reads; no allocation), valid until the next write, else a copy.
     */
    read(offset: number, size: number): Uint8Array {
        const first = Math.floor(offset / WASM_PAGE);
        const within = offset - first * WASM_PAGE;
        if (within + size <= WASM_PAGE) return (this.data[first] ?? ZERO_PAGE).subarray(within, within + size);
        const out = new Uint8Array(size);
        for (let done = 0; done < size; ) {
            const index = Math.floor((offset + done) / WASM_PAGE);
            const within = (offset + done) % WASM_PAGE;
            const length = Math.min(WASM_PAGE - within, size - done);
            const page = this.data[index];
            if (page !== undefined) out.set(page.subarray(within, within + length), done);
            done += length;
        }
        return out;
    }

    /** Stores `bytes` at `offset`, allocating a page only for non-zero content. */
    private store(offset: number, bytes: Uint8Array): void {
        const first = Math.floor(offset / WASM_PAGE);
        const within = offset - first * WASM_PAGE;
        const page = this.data[first];
        if (page !== undefined && within + bytes.length <= WASM_PAGE) {
            page.set(bytes, within);
            return;
        }
        for (let done = 0; done < bytes.length; ) {
            const index = Math.floor((offset + done) / WASM_PAGE);
            const within = (offset + done) % WASM_PAGE;
            const length = Math.min(WASM_PAGE - within, bytes.length - done);
            const part = bytes.subarray(done, done + length);
            let page = this.data[index];
            if (page === undefined && !isZero(part)) {
                page = new Uint8Array(WASM_PAGE);
                this.data[index] = page;
            }
            page?.set(part, within);
            done += length;
        }
    }

    write(offset: number, bytes: Uint8Array): void {
        this.revision++;
        const journal = this.journals[this.journals.length - 1];
        // Bytes beyond the size at the start of the transaction need no journal: a rollback
        // drops those pages, and growing again zeroes them.
        if (journal !== undefined && offset < journal.pagesAtBegin * WASM_PAGE) {
            const end = Math.min(offset + bytes.length, journal.pagesAtBegin * WASM_PAGE);
            journal.entries.push({ offset, before: this.read(offset, end - offset).slice() });
        }
        journal?.written?.push([offset, bytes.length]);
        this.store(offset, bytes);
    }

    /**
     * Starts a (possibly nested) transaction; `rollback` undoes everything written since.
     * With `capture`, the written ranges are remembered for `rollbackCapturing`.
     */
    begin(capture = false): void {
        this.journals.push({ entries: [], pagesAtBegin: this.pages, written: capture ? [] : null });
    }

    /** Rolls the innermost (capturing) transaction back, returning what it had written. */
    rollbackCapturing(): StableDelta {
        const journal = this.journals[this.journals.length - 1];
        const delta: StableDelta = {
            pages: this.pages,
            writes: (journal?.written ?? []).map(([offset, size]) => ({ offset, bytes: this.read(offset, size).slice() }))
        };
        this.rollback();
        return delta;
    }

    /** Writes a captured delta again inside the current transaction (so a rollback undoes it). */
    reapply(delta: StableDelta): void {
        if (delta.pages > this.pages) this.grow(delta.pages - this.pages);
        for (const write of delta.writes) this.write(write.offset, write.bytes);
    }

    /** Ends the innermost transaction, keeping its writes (undoable by an outer rollback). */
    commit(): void {
        const journal = this.journals.pop();
        const outer = this.journals[this.journals.length - 1];
        if (journal !== undefined && outer !== undefined) {
            const limit = outer.pagesAtBegin * WASM_PAGE;
            for (const entry of journal.entries) {
                if (entry.offset < limit) {
                    outer.entries.push({ offset: entry.offset, before: entry.before.subarray(0, limit - entry.offset) });
                }
            }
        }
    }

    rollback(): void {
        this.revision++;
        const journal = this.journals.pop();
        if (journal === undefined) return;
        for (let i = journal.entries.length - 1; i >= 0; i--) {
            const entry = journal.entries[i]!;
            this.store(entry.offset, entry.before);
        }
        this.pages = journal.pagesAtBegin;
        if (this.data.length > this.pages) this.data.length = this.pages;
    }

    /** A copy of the whole memory (`get_stable_memory`, saving); zero pages are left untouched. */
    snapshot(): Uint8Array {
        const bytes = new Uint8Array(this.sizeBytes);
        this.data.forEach((page, index) => {
            if (page !== undefined) bytes.set(page, index * WASM_PAGE);
        });
        return bytes;
    }

    /** Replaces the whole memory (`set_stable_memory`); the size is rounded up to whole pages. */
    replace(bytes: Uint8Array): void {
        this.revision++;
        this.pages = Math.ceil(bytes.length / WASM_PAGE);
        this.data = [];
        this.journals = [];
        this.store(0, bytes);
    }

    clear(): void {
        this.revision++;
        this.data = [];
        this.pages = 0;
        this.journals = [];
    }
}
