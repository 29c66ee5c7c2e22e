import { ApiErrorIdl, type ApiError } from '../common/errors';
import { c, type Codec, type Infer } from '../common/codec';

/**
 * `ApiError` from shared/common as a codec (IDL + zod), so records that embed an error can
 * be built with the combinators. The structural copy below is checked two ways: the type at
 * compile time (`SameType`), the IDL by a unit test comparing `display()` of both.
 */
const structural = c.variant({
    NotFound: c.record({ entity: c.text, id: c.text }),
    Unauthorized: c.record({ caller: c.principal }),
    InvalidInput: c.record({ field: c.text, message: c.text }),
    Conflict: c.record({ message: c.text }),
    LimitExceeded: c.record({ limit: c.text, max: c.nat64 }),
    Unavailable: c.record({ message: c.text }),
    EmergencyMode: c.record({ message: c.text })
});

type SameType<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const apiErrorMatches: SameType<Infer<typeof structural>, ApiError> = true;
void apiErrorMatches;

/** @internal exported for the drift test only. */
export const ApiErrorStructuralIdl = structural.idl;

/**
 * @example
 * const E = c.record({ error: ApiErrorCodec });
 */
export const ApiErrorCodec: Codec<ApiError> = c.external(ApiErrorIdl, structural.schema as Codec<ApiError>['schema']);
