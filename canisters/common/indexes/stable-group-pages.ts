/** {@link GroupPages} in stable memory: heads and pages in two StableBTreeMaps. */
import { StableBTreeMap } from 'azle';

import { GroupPages, type GroupHead, type GroupPage } from './group-pages';

type Stored<T> = { schema_version: 1 } & T;

export function stableGroupPages(headsMemoryId: number, pagesMemoryId: number): GroupPages {
    const heads = new StableBTreeMap<string, Stored<GroupHead>>(headsMemoryId);
    const pages = new StableBTreeMap<string, Stored<GroupPage>>(pagesMemoryId);
    const pageKey = (group: string, n: number): string => `${group}#${n}`;
    return new GroupPages({
        head: (group) => heads.get(group),
        putHead: (group, head) => (head === undefined ? heads.remove(group) : heads.insert(group, { schema_version: 1, ...head })),
        page: (group, n) => pages.get(pageKey(group, n)),
        putPage: (group, n, page) => (page === undefined ? pages.remove(pageKey(group, n)) : pages.insert(pageKey(group, n), { schema_version: 1, ...page }))
    });
}
