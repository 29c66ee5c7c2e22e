import { c, type Codec, type Infer } from './codec';

/**
 * Largest page every DeFlow listing returns (`list_workflows`, `list_executions`,
 * `list_persistent_scheduled_executions`); a larger `limit` is served as this many, with a
 * cursor. A listed item costs ~15-18M instructions (read, then Candid encoding in the
 * canister), so 20 keep a page under 10% of the 5B query limit (docs/architecture.md, Scale).
 */
export const MAX_PAGE_SIZE = 20;

/**
 * Items a page holds: no limit (or 0) asks for a full page; above the cap is served as the cap
 * (the page's cursor continues), so a caller written for a larger cap keeps working.
 *
 * @example pageLimit(undefined) // 20; pageLimit(3) // 3; pageLimit(100) // MAX_PAGE_SIZE
 */
export function pageLimit(requested: number | undefined): number {
    return requested === undefined || requested === 0 ? MAX_PAGE_SIZE : Math.min(requested, MAX_PAGE_SIZE);
}

/** Cursor pagination: pass back `next_cursor` to get the next page; `limit` is capped at {@link MAX_PAGE_SIZE}. */
export const PageRequestWire = c.record({ cursor: c.opt(c.text), limit: c.nat32 });
export type PageRequest = Infer<typeof PageRequestWire>;

export function pageWire<T>(item: Codec<T>): Codec<{ items: T[]; next_cursor: [] | [string] }> {
    return c.record({ items: c.vec(item), next_cursor: c.opt(c.text) });
}
