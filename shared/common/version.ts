import { IDL } from '@dfinity/candid';

/** What `get_version` answers, so an upgrade drill can prove which code runs. */
export type VersionInfo = {
    canister: string;
    package_version: string;
    schema_version: number;
    canister_version: bigint;
    build_id: string;
};

export const VersionInfoIdl = IDL.Record({
    canister: IDL.Text,
    package_version: IDL.Text,
    schema_version: IDL.Nat32,
    canister_version: IDL.Nat64,
    build_id: IDL.Text
});
