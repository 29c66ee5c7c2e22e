import { WorkflowErrorWire, type WorkflowError } from './errors';
import { c, type Codec } from '../common/codec';
import { ApiErrorCodec } from '../common/errors';

/** `variant { Ok: T; Err: WorkflowError }` with its TypeScript type. */
export function resultWire<T>(ok: Codec<T>): Codec<{ Ok: T } | { Err: WorkflowError }> {
    return c.variant({ Ok: ok, Err: WorkflowErrorWire });
}

export { PageRequestWire, pageWire, type PageRequest } from '../common/page';

/** `variant { Ok: null; Err: ApiError }`: peer endpoints answer the plain error the monitor/scheduler decode. */
export const NullApiResultWire = c.result(c.null, ApiErrorCodec);

export { DeadLetterPageResultCodec as DeadLetterPageResultWire } from '../common/dead-letter';
