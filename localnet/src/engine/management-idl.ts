/**
 * Candid types of the management canister (`aaaaa-aa`) methods the emulator implements,
 * from the IC interface specification's `ic.did` and, for the newest fields, the
 * `ic-management-canister-types` crate (0.7.1, dfinity/cdk-rs) that icp-cli decodes with.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

export const Visibility = IDL.Variant({
    controllers: IDL.Null,
    public: IDL.Null,
    allowed_viewers: IDL.Vec(IDL.Principal)
});
export type VisibilityValue = { controllers: null } | { public: null } | { allowed_viewers: Principal[] };

const EnvironmentVariable = IDL.Record({ name: IDL.Text, value: IDL.Text });

export const CanisterSettings = IDL.Record({
    controllers: IDL.Opt(IDL.Vec(IDL.Principal)),
    compute_allocation: IDL.Opt(IDL.Nat),
    memory_allocation: IDL.Opt(IDL.Nat),
    freezing_threshold: IDL.Opt(IDL.Nat),
    reserved_cycles_limit: IDL.Opt(IDL.Nat),
    log_visibility: IDL.Opt(Visibility),
    log_memory_limit: IDL.Opt(IDL.Nat),
    snapshot_visibility: IDL.Opt(Visibility),
    status_visibility: IDL.Opt(Visibility),
    wasm_memory_limit: IDL.Opt(IDL.Nat),
    wasm_memory_threshold: IDL.Opt(IDL.Nat),
    minimum_incoming_canister_call_cycles: IDL.Opt(IDL.Nat),
    environment_variables: IDL.Opt(IDL.Vec(EnvironmentVariable))
});
export type CanisterSettingsValue = {
    controllers: [] | [Principal[]];
    compute_allocation: [] | [bigint];
    memory_allocation: [] | [bigint];
    freezing_threshold: [] | [bigint];
    reserved_cycles_limit: [] | [bigint];
    log_visibility: [] | [VisibilityValue];
    log_memory_limit?: [] | [bigint];
    snapshot_visibility?: [] | [VisibilityValue];
    status_visibility?: [] | [VisibilityValue];
    wasm_memory_limit: [] | [bigint];
    wasm_memory_threshold: [] | [bigint];
    minimum_incoming_canister_call_cycles?: [] | [bigint];
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
    log_visibility: Visibility,
    log_memory_limit: IDL.Nat,
    snapshot_visibility: Visibility,
    status_visibility: Visibility,
    wasm_memory_limit: IDL.Nat,
    wasm_memory_threshold: IDL.Nat,
    minimum_incoming_canister_call_cycles: IDL.Nat,
    environment_variables: IDL.Vec(EnvironmentVariable)
});

/** What `memory_size` is made of, as the replica itemises it. */
export const MemoryMetrics = IDL.Record({
    wasm_memory_size: IDL.Nat,
    stable_memory_size: IDL.Nat,
    global_memory_size: IDL.Nat,
    wasm_binary_size: IDL.Nat,
    custom_sections_size: IDL.Nat,
    canister_history_size: IDL.Nat,
    wasm_chunk_store_size: IDL.Nat,
    snapshots_size: IDL.Nat,
    log_memory_store_size: IDL.Nat
});

export const CanisterStatusResult = IDL.Record({
    status: IDL.Variant({ running: IDL.Null, stopping: IDL.Null, stopped: IDL.Null }),
    ready_for_migration: IDL.Bool,
    version: IDL.Nat64,
    settings: DefiniteCanisterSettings,
    module_hash: IDL.Opt(IDL.Vec(IDL.Nat8)),
    memory_size: IDL.Nat,
    memory_metrics: MemoryMetrics,
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

export const CanisterInfoArgs = IDL.Record({ canister_id: IDL.Principal, num_requested_changes: IDL.Opt(IDL.Nat64) });
export type CanisterInfoArgsValue = { canister_id: Principal; num_requested_changes: [] | [bigint] };

const ChangeOrigin = IDL.Variant({
    from_user: IDL.Record({ user_id: IDL.Principal }),
    from_canister: IDL.Record({ canister_id: IDL.Principal, canister_version: IDL.Opt(IDL.Nat64) })
});

const ChangeDetails = IDL.Variant({
    creation: IDL.Record({ controllers: IDL.Vec(IDL.Principal), environment_variables_hash: IDL.Opt(IDL.Vec(IDL.Nat8)) }),
    code_uninstall: IDL.Null,
    code_deployment: IDL.Record({
        mode: IDL.Variant({ install: IDL.Null, reinstall: IDL.Null, upgrade: IDL.Null }),
        module_hash: IDL.Vec(IDL.Nat8)
    }),
    controllers_change: IDL.Record({ controllers: IDL.Vec(IDL.Principal) })
});

export const CanisterInfoResult = IDL.Record({
    total_num_changes: IDL.Nat64,
    recent_changes: IDL.Vec(
        IDL.Record({
            timestamp_nanos: IDL.Nat64,
            canister_version: IDL.Nat64,
            origin: ChangeOrigin,
            // Sent bare: decoders that read it as `opt` (ic-management-canister-types 0.5+)
            // accept a bare value, older ones need it.
            details: ChangeDetails
        })
    ),
    module_hash: IDL.Opt(IDL.Vec(IDL.Nat8)),
    controllers: IDL.Vec(IDL.Principal)
});

export const StoredChunksResult = IDL.Vec(ChunkHash);
export const UploadChunkResult = ChunkHash;
export const RawRandResult = IDL.Vec(IDL.Nat8);
