/**
 * {@link GroupPages} in stable memory: heads and pages in two StableBTreeMaps, values in the
 * compact encoding of `page-codec.ts` (pages and heads written as JSON by older releases are
 * still read, and rewritten compact when next touched).
 */
import { StableBTreeMap } from 'azle';

import { GroupPages, type GroupHead, type GroupPage } from './group-pages';
import { headSerializer, jsonStringKey, pageSerializer } from './page-codec';

export function stableGroupPages(headsMemoryId: number, pagesMemoryId: number): GroupPages {
    const heads = new StableBTreeMap<string, GroupHead>(headsMemoryId, jsonStringKey, headSerializer);
    const pages = new StableBTreeMap<string, GroupPage>(pagesMemoryId, jsonStringKey, pageSerializer);
    const pageKey = (group: string, n: number): string => `${group}#${n}`;
    return new GroupPages({
        head: (group) => heads.get(group),
        putHead: (group, head) => (head === undefined ? heads.remove(group) : heads.insert(group, head)),
        page: (group, n) => pages.get(pageKey(group, n)),
        putPage: (group, n, page) => (page === undefined ? pages.remove(pageKey(group, n)) : pages.insert(pageKey(group, n), page))
    });
}
