import { GroupPages, PAGE_IDS } from './group-pages';
import { memoryStore } from './memory-group-store';

const id = (n: number): string => `ex-${n.toString().padStart(10, '0')}`;
const all = (): boolean => true;

function filled(count: number): { index: GroupPages; store: ReturnType<typeof memoryStore> } {
    const store = memoryStore();
    const index = new GroupPages(store);
    for (let n = 1; n <= count; n++) index.add('alice', id(n));
    return { index, store };
}

describe('GroupPages', () => {
    it('lists a group in id order both ways, continuing after a cursor', () => {
        const { index } = filled(250);
        const first = index.list('alice', 'OldestFirst', undefined, 3, all, 1000);
        expect(first).toEqual({ ids: [id(1), id(2), id(3)], more: true, lastExamined: id(3) });
        expect(index.list('alice', 'OldestFirst', id(199), 2, all, 1000).ids).toEqual([id(200), id(201)]);
        expect(index.list('alice', 'NewestFirst', undefined, 2, all, 1000).ids).toEqual([id(250), id(249)]);
        expect(index.list('alice', 'NewestFirst', id(101), 2, all, 1000).ids).toEqual([id(100), id(99)]);
        expect(index.list('alice', 'OldestFirst', id(249), 5, all, 1000)).toEqual({ ids: [id(250)], more: false, lastExamined: id(250) });
        expect(index.count('alice')).toBe(250);
        expect(index.list('bob', 'OldestFirst', undefined, 5, all, 1000).ids).toEqual([]);
    });

    it('reads O(log pages) pages to continue a listing deep in a large group', () => {
        const { index, store } = filled(100 * PAGE_IDS);
        store.reads = 0;
        index.list('alice', 'OldestFirst', id(77 * PAGE_IDS + 5), 10, all, 1000);
        expect(store.reads).toBeLessThanOrEqual(Math.ceil(Math.log2(100)) + 2);
    });

    it('ends a sparse page early once the scan budget is spent, with a cursor to go on', () => {
        const { index } = filled(50);
        const even = (x: string): boolean => Number(x.slice(3)) % 2 === 0;
        const page = index.list('alice', 'OldestFirst', undefined, 10, even, 5);
        expect(page).toEqual({ ids: [id(2), id(4)], more: true, lastExamined: id(5) });
        expect(index.list('alice', 'OldestFirst', page.lastExamined, 2, even, 5).ids).toEqual([id(6), id(8)]);
    });

    it('removes ids, drops emptied front pages and forgets an emptied group', () => {
        const { index, store } = filled(2 * PAGE_IDS + 1);
        for (let n = 1; n <= PAGE_IDS; n++) index.remove('alice', id(n));
        expect(store.pages.has('alice#0')).toBe(false);
        expect(index.list('alice', 'OldestFirst', undefined, 1, all, 10).ids).toEqual([id(PAGE_IDS + 1)]);
        index.remove('alice', id(PAGE_IDS + 7));
        expect(index.list('alice', 'OldestFirst', id(PAGE_IDS + 6), 1, all, 10).ids).toEqual([id(PAGE_IDS + 8)]);
        index.remove('alice', 'ex-absent');
        for (let n = PAGE_IDS + 1; n <= 2 * PAGE_IDS + 1; n++) index.remove('alice', id(n));
        expect(index.count('alice')).toBe(0);
        expect(store.pages.size).toBe(0);
    });

    it('takes a rebuild of older ids (newest first) in bounded pages, and adds nothing twice', () => {
        const store = memoryStore();
        const index = new GroupPages(store);
        for (let n = 200; n <= 450; n++) index.add('alice', id(n));
        for (let n = 450; n >= 1; n--) index.add('alice', id(n));
        index.add('alice', id(300));
        expect(Math.max(...[...store.pages.values()].map((p) => p.ids.length))).toBeLessThanOrEqual(PAGE_IDS);
        expect(index.count('alice')).toBe(450);
        const listed: string[] = [];
        let cursor: string | undefined;
        for (;;) {
            const page = index.list('alice', 'OldestFirst', cursor, 40, all, 1000);
            listed.push(...page.ids);
            if (!page.more) break;
            cursor = page.lastExamined;
        }
        expect(listed).toEqual(Array.from({ length: 450 }, (_, k) => id(k + 1)));
    });

    it('adds a batch with each touched page and head written once, to the same index as one add at a time', () => {
        const entries: [string, string][] = [];
        for (let n = 300; n >= 1; n--) entries.push(['alice', id(n)], ['bob', id(n)]);
        const one = memoryStore();
        const single = new GroupPages(one);
        for (const [group, x] of entries) single.add(group, x);
        const many = memoryStore();
        new GroupPages(many).addMany(entries);
        expect(many.pages).toEqual(one.pages);
        expect(many.heads).toEqual(one.heads);
        // 2 groups x ceil(300 / PAGE_IDS) pages, plus the 2 heads.
        expect(many.writes).toBe(2 * Math.ceil(300 / PAGE_IDS) + 2);
        expect(one.writes).toBe(2 * entries.length);
    });

    it('writes nothing from a batch whose work throws, and lets a nested batch join the outer one', () => {
        const store = memoryStore();
        const index = new GroupPages(store);
        expect(() =>
            index.batch(() => {
                index.add('alice', id(1));
                throw new Error('trap');
            })
        ).toThrow('trap');
        expect(store.writes).toBe(0);
        index.batch(() => {
            index.add('alice', id(1));
            index.batch(() => index.add('alice', id(2)));
            expect(store.writes).toBe(0);
            expect(index.count('alice')).toBe(2);
        });
        expect(store.writes).toBe(2);
        index.add('alice', id(3));
        expect(index.list('alice', 'OldestFirst', undefined, 5, all, 10).ids).toEqual([id(1), id(2), id(3)]);
    });
});
