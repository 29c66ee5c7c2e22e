import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

/**
 * The error variant shared by every DeFlow canister API. Callers match the tag, never the
 * text: `message` fields are for humans.
 */
export type ApiError =
    | { NotFound: { entity: string; id: string } }
    | { Unauthorized: { caller: Principal } }
    | { InvalidInput: { field: string; message: string } }
    | { Conflict: { message: string } }
    | { LimitExceeded: { limit: string; max: bigint } }
    | { Unavailable: { message: string } }
    | { EmergencyMode: { message: string } };

export const ApiErrorIdl = IDL.Variant({
    NotFound: IDL.Record({ entity: IDL.Text, id: IDL.Text }),
    Unauthorized: IDL.Record({ caller: IDL.Principal }),
    InvalidInput: IDL.Record({ field: IDL.Text, message: IDL.Text }),
    Conflict: IDL.Record({ message: IDL.Text }),
    LimitExceeded: IDL.Record({ limit: IDL.Text, max: IDL.Nat64 }),
    Unavailable: IDL.Record({ message: IDL.Text }),
    EmergencyMode: IDL.Record({ message: IDL.Text })
});

export const apiError = {
    notFound: (entity: string, id: string): ApiError => ({ NotFound: { entity, id } }),
    unauthorized: (caller: Principal): ApiError => ({ Unauthorized: { caller } }),
    invalidInput: (field: string, message: string): ApiError => ({ InvalidInput: { field, message } }),
    conflict: (message: string): ApiError => ({ Conflict: { message } }),
    limitExceeded: (limit: string, max: bigint): ApiError => ({ LimitExceeded: { limit, max } }),
    unavailable: (message: string): ApiError => ({ Unavailable: { message } }),
    emergencyMode: (message: string): ApiError => ({ EmergencyMode: { message } })
};
