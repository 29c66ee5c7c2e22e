/**
 * A canister's stable memory: 64 KiB pages kept outside the Wasm instance, so it survives
 * upgrades. Writes inside a transaction are journalled (old bytes of each written range), so
 * rolling a trapped message back costs what it wrote, not the size of the memory.
 */
export const WASM_PAGE = 65536;
/** The IC's stable memory limit for 64-bit stable memory on an application subnet (500 GiB). */
export const MAX_STABLE_PAGES = (500 * 1024 * 1024 * 1024) / WASM_PAGE;

type JournalEntry = { offset: number; before: Uint8Array };
type Journal = { entries: JournalEntry[]; pagesAtBegin: number; written: Array<[offset: number, size: number]> | null };

/** What a rolled-back transaction had written, to bring it back later (see `StableMemory.rollbackCapturing`). */
export type StableDelta = { pages: number; writes: Array<{ offset: number; bytes: Uint8Array }> };

export class StableMemory {
    private buffer = new Uint8Array(0);
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
        const needed = (old + delta) * WASM_PAGE;
        if (needed > this.buffer.length) {
            const capacity = Math.max(needed, Math.min(this.buffer.length * 2, needed + 256 * 1024 * 1024));
            const next = new Uint8Array(capacity);
            next.set(this.buffer.subarray(0, this.sizeBytes));
            this.buffer = next;
        } else {
            // Pages dropped by a rollback may hold old bytes: new pages must read as zero.
            this.buffer.fill(0, this.sizeBytes, needed);
        }
        this.pages = old + delta;
        return old;
    }

    /** False when `[offset, offset + size)` is not inside the current memory. */
    inBounds(offset: bigint, size: bigint): boolean {
        return offset >= 0n && size >= 0n && offset + size <= BigInt(this.sizeBytes);
    }

    read(offset: number, size: number): Uint8Array {
        return this.buffer.subarray(offset, offset + size);
    }

    write(offset: number, bytes: Uint8Array): void {
        this.revision++;
        const journal = this.journals[this.journals.length - 1];
        // Bytes beyond the size at the start of the transaction need no journal: a rollback
        // drops those pages, and growing again zeroes them.
        if (journal !== undefined && offset < journal.pagesAtBegin * WASM_PAGE) {
            const end = Math.min(offset + bytes.length, journal.pagesAtBegin * WASM_PAGE);
            journal.entries.push({ offset, before: this.buffer.slice(offset, end) });
        }
        journal?.written?.push([offset, bytes.length]);
        this.buffer.set(bytes, offset);
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
            writes: (journal?.written ?? []).map(([offset, size]) => ({ offset, bytes: this.buffer.slice(offset, offset + size) }))
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
            this.buffer.set(entry.before, entry.offset);
        }
        this.pages = journal.pagesAtBegin;
    }

    /** A copy of the whole memory (`get_stable_memory`). */
    snapshot(): Uint8Array {
        return this.buffer.slice(0, this.sizeBytes);
    }

    /** Replaces the whole memory (`set_stable_memory`); the size is rounded up to whole pages. */
    replace(bytes: Uint8Array): void {
        this.revision++;
        const pages = Math.ceil(bytes.length / WASM_PAGE);
        this.buffer = new Uint8Array(pages * WASM_PAGE);
        this.buffer.set(bytes);
        this.pages = pages;
        this.journals = [];
    }

    clear(): void {
        this.revision++;
        this.buffer = new Uint8Array(0);
        this.pages = 0;
        this.journals = [];
    }
}
