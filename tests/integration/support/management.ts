/**
 * A minimal actor interface for the management canister, for what pic-js does not offer as a
 * deferred operation (submit now, await later): `stop_canister` while a call context is open.
 */
import type { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

type Idl = typeof IDL;

export const managementIdlFactory = ({ IDL: I }: { IDL: Idl }): IDL.ServiceClass =>
    I.Service({
        stop_canister: I.Func([I.Record({ canister_id: I.Principal })], [], []),
        start_canister: I.Func([I.Record({ canister_id: I.Principal })], [], [])
    });

export interface ManagementService {
    stop_canister: (arg: { canister_id: Principal }) => Promise<void>;
    start_canister: (arg: { canister_id: Principal }) => Promise<void>;
}
