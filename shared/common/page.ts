import { c, type Codec, type Infer } from './codec';

/** Cursor pagination: pass back `next_cursor` to get the next page; `limit` is capped. */
export const PageRequestWire = c.record({ cursor: c.opt(c.text), limit: c.nat32 });
export type PageRequest = Infer<typeof PageRequestWire>;

export function pageWire<T>(item: Codec<T>): Codec<{ items: T[]; next_cursor: [] | [string] }> {
    return c.record({ items: c.vec(item), next_cursor: c.opt(c.text) });
}
