/**
 * The management canister methods DeFlow's canisters use to look at canisters, as Candid
 * types (IC interface specification, "The IC management canister": `canister_status`,
 * `canister_info`, `deposit_cycles`). Replies are declared with only the fields DeFlow reads:
 * Candid record subtyping lets a reply carry more fields than the decoder knows, so a replica
 * that adds fields (it does, release after release) still decodes.
 *
 * - `canister_status` answers controllers only (reject code 5 otherwise, "Only controllers of
 *   canister … can call ic00 method canister_status"), hence the monitor is a controller of
 *   the canisters it watches.
 * - `canister_info` answers any canister (not ingress): how a canister learns its own module
 *   hash without being its own controller.
 * - `deposit_cycles` moves the cycles attached to the call into the target; anyone may call.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

import type { CanisterStatusReading, RunStatus } from '../monitoring/health';

export const CanisterIdArgIdl = IDL.Record({ canister_id: IDL.Principal });
export type CanisterIdArg = { canister_id: Principal };

/** `canister_status`, the part DeFlow reads. */
export const CanisterStatusReplyIdl = IDL.Record({
    status: IDL.Variant({ running: IDL.Null, stopping: IDL.Null, stopped: IDL.Null }),
    settings: IDL.Record({ freezing_threshold: IDL.Nat }),
    module_hash: IDL.Opt(IDL.Vec(IDL.Nat8)),
    memory_size: IDL.Nat,
    memory_metrics: IDL.Record({ wasm_memory_size: IDL.Nat, stable_memory_size: IDL.Nat }),
    cycles: IDL.Nat,
    idle_cycles_burned_per_day: IDL.Nat,
    version: IDL.Nat64
});
export type CanisterStatusReply = {
    status: { running: null } | { stopping: null } | { stopped: null };
    settings: { freezing_threshold: bigint };
    module_hash: [] | [Uint8Array | number[]];
    memory_size: bigint;
    memory_metrics: { wasm_memory_size: bigint; stable_memory_size: bigint };
    cycles: bigint;
    idle_cycles_burned_per_day: bigint;
    version: bigint;
};

/** `canister_info` with `num_requested_changes = []`: the part DeFlow reads. */
export const CanisterInfoArgIdl = IDL.Record({ canister_id: IDL.Principal, num_requested_changes: IDL.Opt(IDL.Nat64) });
export type CanisterInfoArg = { canister_id: Principal; num_requested_changes: [] | [bigint] };
export const CanisterInfoReplyIdl = IDL.Record({ module_hash: IDL.Opt(IDL.Vec(IDL.Nat8)), controllers: IDL.Vec(IDL.Principal) });
export type CanisterInfoReply = { module_hash: [] | [Uint8Array | number[]]; controllers: Principal[] };

const SECONDS_PER_DAY = 86_400n;

/** Lowercase hex of a module hash (how dfx, icp-cli and the dashboard show it). @example hexOf(new Uint8Array([0xab, 1])) // 'ab01' */
export function hexOf(bytes: Uint8Array | number[]): string {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function runStatusOf(status: CanisterStatusReply['status']): RunStatus {
    if ('running' in status) return { Running: null };
    if ('stopping' in status) return { Stopping: null };
    return { Stopped: null };
}

/**
 * A `canister_status` reply as the monitor keeps it. The freezing limit is the replica's
 * (`idle_cycles_burned_per_day × freezing_threshold / 86,400`, dfinity/ic
 * `rs/cycles_account_manager/src/cycles_account_manager.rs`, `freeze_threshold_cycles`).
 *
 * @example
 * const reading = statusReadingOf(reply, time());
 * reading.cycles - reading.freezing_limit // what the canister can still spend
 */
export function statusReadingOf(reply: CanisterStatusReply, readAt: bigint): CanisterStatusReading {
    const hash = reply.module_hash[0];
    return {
        read_at: readAt,
        status: runStatusOf(reply.status),
        cycles: reply.cycles,
        memory_size: reply.memory_size,
        wasm_memory_size: reply.memory_metrics.wasm_memory_size,
        stable_memory_size: reply.memory_metrics.stable_memory_size,
        idle_cycles_burned_per_day: reply.idle_cycles_burned_per_day,
        freezing_limit: (reply.idle_cycles_burned_per_day * reply.settings.freezing_threshold) / SECONDS_PER_DAY,
        module_hash: hash === undefined ? [] : [hexOf(hash)],
        canister_version: reply.version
    };
}
