/**
 * A group index with O(1)-seekable pages: the ids of one group (an owner's workflows, a
 * workflow's executions) in id order, cut into pages of about {@link PAGE_IDS} ids stored
 * under `${group}#${page number}`. Azle's StableBTreeMap cannot seek to a key (its
 * `keys(start)` walks from the front), so a listing that continues after a cursor finds the
 * cursor's page by binary search over page numbers with exact `get`s: a page of results costs
 * O(log pages + pages read), never a walk over every stored record.
 *
 * Pages partition the id space by their `min` (the first id the page was created with; it
 * never changes), so deletions leave the search valid. Ids of a group are mostly added in
 * increasing order (they are allocated in sequence); a rebuild after an upgrade adds the
 * stored ones newest first, in front of the pages written meanwhile; an id between existing
 * ones goes into its page in order. Emptied pages at the front are dropped; the group's head
 * records the first and last page numbers. Pure over {@link GroupPageStore}, so it is unit
 * tested over plain maps; `stable-group-pages.ts` backs it with stable memory.
 */

/** Ids per page before a new page is opened: small, since every add outside a batch rewrites its page, large enough that a seek is a few gets. */
export const PAGE_IDS = 32;

export type GroupPage = { min: string; ids: string[] };
export type GroupHead = { first: number; last: number; count: number };

export interface GroupPageStore {
    head(group: string): GroupHead | undefined;
    putHead(group: string, head: GroupHead | undefined): void;
    page(group: string, n: number): GroupPage | undefined;
    putPage(group: string, n: number, page: GroupPage | undefined): void;
}

/** A listing page: ids in the asked order, and whether more follow (`scanBudget` ids examined at most). */
export type GroupListing = { ids: string[]; more: boolean; lastExamined: string | undefined };

/**
 * A write-back cache over a store for one batch: every head and page is read at most once and
 * written once at {@link flush}, however many adds touch it.
 */
class BatchStore implements GroupPageStore {
    private readonly heads = new Map<string, GroupHead | undefined>();
    private readonly pages = new Map<string, { group: string; n: number; page: GroupPage | undefined }>();
    private readonly dirtyHeads = new Set<string>();
    private readonly dirtyPages = new Set<string>();

    constructor(private readonly base: GroupPageStore) {}

    head(group: string): GroupHead | undefined {
        if (!this.heads.has(group)) this.heads.set(group, this.base.head(group));
        return this.heads.get(group);
    }

    putHead(group: string, head: GroupHead | undefined): void {
        this.heads.set(group, head);
        this.dirtyHeads.add(group);
    }

    page(group: string, n: number): GroupPage | undefined {
        const key = `${group}#${n}`;
        if (!this.pages.has(key)) this.pages.set(key, { group, n, page: this.base.page(group, n) });
        return this.pages.get(key)!.page;
    }

    putPage(group: string, n: number, page: GroupPage | undefined): void {
        const key = `${group}#${n}`;
        this.pages.set(key, { group, n, page });
        this.dirtyPages.add(key);
    }

    flush(): void {
        for (const key of this.dirtyPages) {
            const { group, n, page } = this.pages.get(key)!;
            this.base.putPage(group, n, page);
        }
        for (const group of this.dirtyHeads) this.base.putHead(group, this.heads.get(group));
    }
}

export class GroupPages {
    private store: GroupPageStore;

    constructor(private readonly base: GroupPageStore) {
        this.store = base;
    }

    /**
     * Runs `work` with every read and write of this index buffered, then writes each touched
     * head and page once: a bulk load or an index rebuild adding many ids to a few groups
     * rewrites a page once per batch instead of once per id. Nested calls join the outer batch.
     * If `work` throws nothing is written (the message traps and rolls back anyway).
     */
    batch<T>(work: () => T): T {
        if (this.store !== this.base) return work();
        const buffered = new BatchStore(this.base);
        this.store = buffered;
        try {
            const result = work();
            buffered.flush();
            return result;
        } finally {
            this.store = this.base;
        }
    }

    /** Adds every `[group, id]` of `entries`, each touched page written once (see {@link batch}). */
    addMany(entries: Iterable<[group: string, id: string]>): void {
        this.batch(() => {
            for (const [group, id] of entries) this.add(group, id);
        });
    }

    /** How many ids the group holds (read from its head). */
    count(group: string): number {
        return this.store.head(group)?.count ?? 0;
    }

    /** Adds `id` to `group` (idempotent). */
    add(group: string, id: string): void {
        const head = this.store.head(group);
        if (head === undefined) {
            this.store.putPage(group, 0, { min: id, ids: [id] });
            this.store.putHead(group, { first: 0, last: 0, count: 1 });
            return;
        }
        const last = this.mustPage(group, head.last);
        const newest = last.ids[last.ids.length - 1];
        if (newest === undefined ? id >= last.min : id > newest) {
            if (last.ids.length < PAGE_IDS) {
                this.store.putPage(group, head.last, { ...last, ids: [...last.ids, id] });
                this.store.putHead(group, { ...head, count: head.count + 1 });
            } else {
                this.store.putPage(group, head.last + 1, { min: id, ids: [id] });
                this.store.putHead(group, { ...head, last: head.last + 1, count: head.count + 1 });
            }
            return;
        }
        const n = this.pageOf(group, head, id);
        if (n === undefined) {
            // Older than every page: the first page takes it (its min may move down, no page
            // precedes it) or, full, a new first page opens. A rebuild adds newest first, so
            // its pages stay bounded too.
            const firstPage = this.mustPage(group, head.first);
            if (firstPage.ids.length < PAGE_IDS) {
                this.store.putPage(group, head.first, { min: id, ids: [id, ...firstPage.ids] });
                this.store.putHead(group, { ...head, count: head.count + 1 });
            } else {
                this.store.putPage(group, head.first - 1, { min: id, ids: [id] });
                this.store.putHead(group, { ...head, first: head.first - 1, count: head.count + 1 });
            }
            return;
        }
        const page = this.mustPage(group, n);
        if (page.ids.includes(id)) return;
        this.store.putPage(group, n, { ...page, ids: [...page.ids, id].sort() });
        this.store.putHead(group, { ...head, count: head.count + 1 });
    }

    /** Removes `id` from `group` (nothing if absent). */
    remove(group: string, id: string): void {
        const head = this.store.head(group);
        if (head === undefined) return;
        const n = this.pageOf(group, head, id);
        if (n === undefined) return;
        const page = this.mustPage(group, n);
        if (!page.ids.includes(id)) return;
        const ids = page.ids.filter((x) => x !== id);
        if (head.count === 1) {
            this.store.putPage(group, n, undefined);
            this.store.putHead(group, undefined);
            return;
        }
        let first = head.first;
        this.store.putPage(group, n, { ...page, ids });
        // Drop emptied pages at the front so the search range stays what the group holds.
        while (first < head.last && (this.store.page(group, first)?.ids.length ?? 0) === 0) {
            this.store.putPage(group, first, undefined);
            first += 1;
        }
        this.store.putHead(group, { ...head, first, count: head.count - 1 });
    }

    /**
     * Ids of `group` in `order`, strictly after `cursor` in that order (from the start without
     * one), for which `keep` holds, at most `limit`. At most `scanBudget` ids are examined, so
     * a sparse filter ends a page early with `more` set: the caller continues from
     * `lastExamined`, and one call's reads stay bounded whatever the group holds.
     */
    list(group: string, order: 'OldestFirst' | 'NewestFirst', cursor: string | undefined, limit: number, keep: (id: string) => boolean, scanBudget: number): GroupListing {
        const head = this.store.head(group);
        if (head === undefined) return { ids: [], more: false, lastExamined: undefined };
        return this.walk(group, head, cursor, order === 'OldestFirst' ? 1 : -1, limit, keep, scanBudget);
    }

    private walk(group: string, head: GroupHead, from: string | undefined, step: 1 | -1, limit: number, keep: (id: string) => boolean, scanBudget: number): GroupListing {
        const ids: string[] = [];
        let examined = 0;
        let lastExamined: string | undefined;
        const start = from === undefined ? (step === 1 ? head.first : head.last) : (this.pageOf(group, head, from) ?? (step === 1 ? head.first : head.first - 1));
        for (let n = start; n >= head.first && n <= head.last; n += step) {
            const page = this.store.page(group, n);
            if (page === undefined) continue;
            const inOrder = step === 1 ? page.ids : [...page.ids].reverse();
            for (const id of inOrder) {
                if (from !== undefined && (step === 1 ? id <= from : id >= from)) continue;
                if (ids.length === limit || examined === scanBudget) return { ids, more: true, lastExamined };
                examined += 1;
                lastExamined = id;
                if (keep(id)) ids.push(id);
            }
        }
        return { ids, more: false, lastExamined };
    }

    /** The page whose range holds `id`: the last page with `min <= id` (binary search over page numbers). */
    private pageOf(group: string, head: GroupHead, id: string): number | undefined {
        let lo = head.first;
        let hi = head.last;
        let found: number | undefined;
        while (lo <= hi) {
            const mid = Math.floor((lo + hi) / 2);
            if (this.mustPage(group, mid).min <= id) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private mustPage(group: string, n: number): GroupPage {
        const page = this.store.page(group, n);
        if (page === undefined) throw new Error(`invariant: page ${n} of index group ${group} missing`);
        return page;
    }
}

/** Runs `work` inside a {@link GroupPages.batch} of every index in `indexes`. */
export function inBatches<T>(indexes: GroupPages[], work: () => T): T {
    const [first, ...rest] = indexes;
    return first === undefined ? work() : first.batch(() => inBatches(rest, work));
}
