/**
 * A {@link GroupPageStore} over plain maps that counts its reads and writes: what a unit test
 * measures an index operation's cost in (each read or write is one stable-map operation in a
 * canister). Test support only; no canister imports it.
 */
import type { GroupHead, GroupPage, GroupPageStore } from './group-pages';

export type CountingGroupStore = GroupPageStore & { reads: number; writes: number; pages: Map<string, GroupPage>; heads: Map<string, GroupHead> };

export function memoryStore(): CountingGroupStore {
    const heads = new Map<string, GroupHead>();
    const pages = new Map<string, GroupPage>();
    const store = {
        reads: 0,
        writes: 0,
        pages,
        heads,
        head: (g: string) => heads.get(g),
        putHead: (g: string, h: GroupHead | undefined) => {
            store.writes += 1;
            void (h === undefined ? heads.delete(g) : heads.set(g, h));
        },
        page: (g: string, n: number) => {
            store.reads += 1;
            return pages.get(`${g}#${n}`);
        },
        putPage: (g: string, n: number, p: GroupPage | undefined) => {
            store.writes += 1;
            void (p === undefined ? pages.delete(`${g}#${n}`) : pages.set(`${g}#${n}`, p));
        }
    };
    return store;
}
