import type { Principal } from '@dfinity/principal';
import { c, type Infer } from './codec';

/**
 * The variants of the error every DeFlow canister API shares, as codec fields, so an API with
 * more variants (the workflow APIs' `WorkflowError`) extends them by construction.
 */
export const apiErrorVariants = {
    NotFound: c.record({ entity: c.text, id: c.text }),
    Unauthorized: c.record({ caller: c.principal }),
    InvalidInput: c.record({ field: c.text, message: c.text }),
    Conflict: c.record({ message: c.text }),
    LimitExceeded: c.record({ limit: c.text, max: c.nat64 }),
    Unavailable: c.record({ message: c.text }),
    EmergencyMode: c.record({ message: c.text })
};

/**
 * The error variant shared by every DeFlow canister API. Callers match the tag, never the
 * text: `message` fields are for humans.
 *
 * @example
 * const E = c.record({ error: ApiErrorCodec });
 */
export const ApiErrorCodec = c.variant(apiErrorVariants);
export type ApiError = Infer<typeof ApiErrorCodec>;

export const apiError = {
    notFound: (entity: string, id: string): ApiError => ({ NotFound: { entity, id } }),
    unauthorized: (caller: Principal): ApiError => ({ Unauthorized: { caller } }),
    invalidInput: (field: string, message: string): ApiError => ({ InvalidInput: { field, message } }),
    conflict: (message: string): ApiError => ({ Conflict: { message } }),
    limitExceeded: (limit: string, max: bigint): ApiError => ({ LimitExceeded: { limit, max } }),
    unavailable: (message: string): ApiError => ({ Unavailable: { message } }),
    emergencyMode: (message: string): ApiError => ({ EmergencyMode: { message } })
};
