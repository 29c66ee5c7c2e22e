/**
 * Candid types of the management canister (`aaaaa-aa`) methods the emulator implements,
 * from the IC interface specification's `ic.did`.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

export const LogVisibility = IDL.Variant({
    controllers: IDL.Null,
    public: IDL.Null,
    allowed_viewers: IDL.Vec(IDL.Principal)
});
export type LogVisibilityValue = { controllers: null } | { public: null } | { allowed_viewers: Principal[] };

const EnvironmentVariable = IDL.Record({ name: IDL.Text, value: IDL.Text });

export const CanisterSettings = IDL.Record({
    controllers: IDL.Opt(IDL.Vec(IDL.Principal)),
    compute_allocation: IDL.Opt(IDL.Nat),
    memory_allocation: IDL.Opt(IDL.Nat),
    freezing_threshold: IDL.Opt(IDL.Nat),
    reserved_cycles_limit: IDL.Opt(IDL.Nat),
    log_visibility: IDL.Opt(LogVisibility),
    wasm_memory_limit: IDL.Opt(IDL.Nat),
    wasm_memory_threshold: IDL.Opt(IDL.Nat),
    environment_variables: IDL.Opt(IDL.Vec(EnvironmentVariable))
});
export type CanisterSettingsValue = {
    controllers: [] | [Principal[]];
    compute_allocation: [] | [bigint];
    memory_allocation: [] | [bigint];
    freezing_threshold: [] | [bigint];
    reserved_cycles_limit: [] | [bigint];
    log_visibility: [] | [LogVisibilityValue];
    wasm_memory_limit: [] | [bigint];
    wasm_memory_threshold: [] | [bigint];
    environment_variables: [] | [Array<{ name: string; value: string }>];
};

export const CanisterIdRecord = IDL.Record({ canister_id: IDL.Principal });
export type CanisterIdRecordValue = { canister_id: Principal };

export const ProvisionalCreateArgs = IDL.Record({
    amount: IDL.Opt(IDL.Nat),
    settings: IDL.Opt(CanisterSettings),
    specified_id: IDL.Opt(IDL.Principal),
    sender_canister_version: IDL.Opt(IDL.Nat64)
});
export type ProvisionalCreateArgsValue = {
    amount: [] | [bigint];
    settings: [] | [CanisterSettingsValue];
    specified_id: [] | [Principal];
};

export const CreateCanisterArgs = IDL.Record({
    settings: IDL.Opt(CanisterSettings),
    sender_canister_version: IDL.Opt(IDL.Nat64)
});
export type CreateCanisterArgsValue = { settings: [] | [CanisterSettingsValue] };

export const UpgradeOptions = IDL.Record({
    skip_pre_upgrade: IDL.Opt(IDL.Bool),
    wasm_memory_persistence: IDL.Opt(IDL.Variant({ keep: IDL.Null, replace: IDL.Null }))
});
export const InstallMode = IDL.Variant({
    install: IDL.Null,
    reinstall: IDL.Null,
    upgrade: IDL.Opt(UpgradeOptions)
});
export type InstallModeValue =
    | { install: null }
    | { reinstall: null }
    | {
          upgrade: [] | [{ skip_pre_upgrade: [] | [boolean]; wasm_memory_persistence: [] | [{ keep: null } | { replace: null }] }];
      };

export const InstallCodeArgs = IDL.Record({
    mode: InstallMode,
    canister_id: IDL.Principal,
    wasm_module: IDL.Vec(IDL.Nat8),
    arg: IDL.Vec(IDL.Nat8),
    sender_canister_version: IDL.Opt(IDL.Nat64)
});
export type InstallCodeArgsValue = {
    mode: InstallModeValue;
    canister_id: Principal;
    wasm_module: Uint8Array | number[];
    arg: Uint8Array | number[];
};

const ChunkHash = IDL.Record({ hash: IDL.Vec(IDL.Nat8) });
export type ChunkHashValue = { hash: Uint8Array | number[] };

export const InstallChunkedCodeArgs = IDL.Record({
    mode: InstallMode,
    target_canister: IDL.Principal,
    store_canister: IDL.Opt(IDL.Principal),
    chunk_hashes_list: IDL.Vec(ChunkHash),
    wasm_module_hash: IDL.Vec(IDL.Nat8),
    arg: IDL.Vec(IDL.Nat8),
    sender_canister_version: IDL.Opt(IDL.Nat64)
});
export type InstallChunkedCodeArgsValue = {
    mode: InstallModeValue;
    target_canister: Principal;
    store_canister: [] | [Principal];
    chunk_hashes_list: ChunkHashValue[];
    wasm_module_hash: Uint8Array | number[];
    arg: Uint8Array | number[];
};

export const UploadChunkArgs = IDL.Record({ canister_id: IDL.Principal, chunk: IDL.Vec(IDL.Nat8) });
export type UploadChunkArgsValue = { canister_id: Principal; chunk: Uint8Array | number[] };

export const UpdateSettingsArgs = IDL.Record({
    canister_id: IDL.Principal,
    settings: CanisterSettings,
    sender_canister_version: IDL.Opt(IDL.Nat64)
});
export type UpdateSettingsArgsValue = { canister_id: Principal; settings: CanisterSettingsValue };

export const ProvisionalTopUpArgs = IDL.Record({ canister_id: IDL.Principal, amount: IDL.Nat });
export type ProvisionalTopUpArgsValue = { canister_id: Principal; amount: bigint };

export const DefiniteCanisterSettings = IDL.Record({
    controllers: IDL.Vec(IDL.Principal),
    compute_allocation: IDL.Nat,
    memory_allocation: IDL.Nat,
    freezing_threshold: IDL.Nat,
    reserved_cycles_limit: IDL.Nat,
    log_visibility: LogVisibility,
    wasm_memory_limit: IDL.Nat,
    wasm_memory_threshold: IDL.Nat,
    environment_variables: IDL.Vec(EnvironmentVariable)
});

export const CanisterStatusResult = IDL.Record({
    status: IDL.Variant({ running: IDL.Null, stopping: IDL.Null, stopped: IDL.Null }),
    settings: DefiniteCanisterSettings,
    module_hash: IDL.Opt(IDL.Vec(IDL.Nat8)),
    memory_size: IDL.Nat,
    cycles: IDL.Nat,
    reserved_cycles: IDL.Nat,
    idle_cycles_burned_per_day: IDL.Nat,
    query_stats: IDL.Record({
        num_calls_total: IDL.Nat,
        num_instructions_total: IDL.Nat,
        request_payload_bytes_total: IDL.Nat,
        response_payload_bytes_total: IDL.Nat
    })
});

export const StoredChunksResult = IDL.Vec(ChunkHash);
export const UploadChunkResult = ChunkHash;
export const RawRandResult = IDL.Vec(IDL.Nat8);
