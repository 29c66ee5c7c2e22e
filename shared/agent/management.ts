/**
 * The few management canister methods the executor uses to create, install and upgrade
 * agents, as Candid types (IC interface specification, "The IC management canister":
 * `create_canister`, `install_chunked_code`). An agent module (about 1.3 MB gzip-compressed)
 * would fit one `install_code` message, but decoding and storing it inside an Azle canister
 * takes longer than an ingress message may; the chunk store keeps the bytes out of the
 * executor's heap and stable memory. Settings the executor does not set are
 * left out: missing `opt` record fields decode as `null`.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

export const CreateCanisterArgsIdl = IDL.Record({
    settings: IDL.Opt(IDL.Record({ controllers: IDL.Opt(IDL.Vec(IDL.Principal)) }))
});
export type CreateCanisterArgs = { settings: [] | [{ controllers: [] | [Principal[]] }] };

export const CanisterIdRecordIdl = IDL.Record({ canister_id: IDL.Principal });
export type CanisterIdRecord = { canister_id: Principal };

export const InstallChunkedCodeArgsIdl = IDL.Record({
    mode: IDL.Variant({ install: IDL.Null, reinstall: IDL.Null, upgrade: IDL.Opt(IDL.Record({ skip_pre_upgrade: IDL.Opt(IDL.Bool) })) }),
    target_canister: IDL.Principal,
    store_canister: IDL.Opt(IDL.Principal),
    chunk_hashes_list: IDL.Vec(IDL.Record({ hash: IDL.Vec(IDL.Nat8) })),
    wasm_module_hash: IDL.Vec(IDL.Nat8),
    arg: IDL.Vec(IDL.Nat8)
});
export type InstallChunkedCodeArgs = {
    mode: { install: null } | { reinstall: null } | { upgrade: [] | [{ skip_pre_upgrade: [] | [boolean] }] };
    target_canister: Principal;
    store_canister: [] | [Principal];
    chunk_hashes_list: { hash: Uint8Array }[];
    wasm_module_hash: Uint8Array;
    arg: Uint8Array;
};

/**
 * The cycles minting canister's `create_canister` (same id on the IC and on local networks):
 * the one way a canister creates a canister on another subnet (the management canister
 * creates on the caller's own). Only the fields the executor sets; `subnet_selection` names a
 * subnet by id.
 */
export const CYCLES_MINTING_CANISTER_ID = 'rkp4c-7iaaa-aaaaa-aaaca-cai';
export const CmcCreateCanisterArgsIdl = IDL.Record({
    settings: IDL.Opt(IDL.Record({ controllers: IDL.Opt(IDL.Vec(IDL.Principal)) })),
    subnet_selection: IDL.Opt(IDL.Variant({ Subnet: IDL.Record({ subnet: IDL.Principal }) })),
    subnet_type: IDL.Opt(IDL.Text)
});
export type CmcCreateCanisterArgs = { settings: [] | [{ controllers: [] | [Principal[]] }]; subnet_selection: [] | [{ Subnet: { subnet: Principal } }]; subnet_type: [] | [string] };
export const CmcCreateCanisterResultIdl = IDL.Variant({
    Ok: IDL.Principal,
    Err: IDL.Variant({ Refunded: IDL.Record({ refund_amount: IDL.Nat, create_error: IDL.Text }), RefundFailed: IDL.Record({ create_error: IDL.Text, refund_error: IDL.Text }) })
});
export type CmcCreateCanisterResult = { Ok: Principal } | { Err: { Refunded: { refund_amount: bigint; create_error: string } } | { RefundFailed: { create_error: string; refund_error: string } } };

export const UploadChunkArgsIdl = IDL.Record({ canister_id: IDL.Principal, chunk: IDL.Vec(IDL.Nat8) });
export const ChunkHashIdl = IDL.Record({ hash: IDL.Vec(IDL.Nat8) });
