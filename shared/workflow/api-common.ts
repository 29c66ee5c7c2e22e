import { WorkflowErrorWire, type WorkflowError } from './errors';
import { c, type Codec, type Infer } from '../common/codec';
import { ApiErrorCodec } from '../common/errors';
import { DeadLetterCodec } from '../common/dead-letter';

/** `variant { Ok: T; Err: WorkflowError }` with its TypeScript type. */
export function resultWire<T>(ok: Codec<T>): Codec<{ Ok: T } | { Err: WorkflowError }> {
    return c.variant({ Ok: ok, Err: WorkflowErrorWire });
}

/** Cursor pagination: pass back `next_cursor` to get the next page; `limit` is capped. */
export const PageRequestWire = c.record({ cursor: c.opt(c.text), limit: c.nat32 });
export type PageRequest = Infer<typeof PageRequestWire>;

export function pageWire<T>(item: Codec<T>): Codec<{ items: T[]; next_cursor: [] | [string] }> {
    return c.record({ items: c.vec(item), next_cursor: c.opt(c.text) });
}

/** `variant { Ok: null; Err: ApiError }`: peer endpoints answer the plain error the monitor/scheduler decode. */
export const NullApiResultWire = c.result(c.null, ApiErrorCodec);

/** `list_dead_letters` (orchestrator and executor): a page of entries kept with the reason they were not delivered, or the plain ApiError (Unauthorized, InvalidInput). */
export const DeadLetterPageResultWire = c.result(pageWire(DeadLetterCodec), ApiErrorCodec);
