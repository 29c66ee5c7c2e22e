/**
 * What each `ic0` call costs in instructions, charged before the call does anything (so a
 * call whose size argument alone exceeds the limit fails with IC0522 before any copy or
 * check), as the replica's linker does (dfinity/ic
 * `rs/embedders/src/wasmtime_embedder/system_api/linker.rs`, `charge_for_cpu` /
 * `charge_for_cpu_and_mem`):
 * - a fixed overhead per call (`system_api_complexity.rs`, module `overhead`; stable memory
 *   calls from `overhead_native`, as the replica implements them in Wasm);
 * - plus one instruction per byte the call copies (application subnets,
 *   `get_num_instructions_from_bytes`), 50 per byte for payload bytes that leave the sandbox
 *   (`BYTE_TRANSMISSION_COST_FACTOR`: reply, reject, call arguments);
 * - stable writes also cost 1,000 per 4 KiB page first dirtied by the execution
 *   (`dirty_page_overhead`, `rs/config/src/subnet_config.rs`).
 */
const BYTE_TRANSMISSION_COST_FACTOR = 50;
/** Canister log capacity the `debug_print` charge is bounded by (4 KiB). */
const CANISTER_LOG_CAPACITY = 4096;
export const STABLE_DIRTY_PAGE_OVERHEAD = 1_000;

type Args = ReadonlyArray<number | bigint>;

/** What a metered execution charges through. */
export type InstructionMeter = {
    /** Subtracts from the execution's counter; throws `InstructionLimitExceeded` below zero. */
    charge(instructions: number): void;
    /** How many 4 KiB stable pages in the range this execution had not written yet (now marked). */
    newlyDirtiedStablePages(offset: bigint, size: bigint): number;
};

/** A call's charge: its overhead, and the variable part, read from its arguments. */
export type SystemApiCharge = { overhead: number; bytes?: (args: Args, meter: InstructionMeter) => number };

const size = (index: number) => (args: Args): number => Number(BigInt.asUintN(64, BigInt(args[index]!)));
const transmitted = (index: number) => (args: Args): number => BYTE_TRANSMISSION_COST_FACTOR * size(index)(args);
const fixed = (overhead: number): SystemApiCharge => ({ overhead });

export const SYSTEM_API_CHARGES: Record<string, SystemApiCharge> = {
    msg_arg_data_size: fixed(500),
    msg_arg_data_copy: { overhead: 500, bytes: size(2) },
    msg_caller_size: fixed(500),
    msg_caller_copy: { overhead: 500, bytes: size(2) },
    msg_reject_code: fixed(500),
    msg_reject_msg_size: fixed(500),
    msg_reject_msg_copy: { overhead: 500, bytes: size(2) },
    msg_reply_data_append: { overhead: 500, bytes: transmitted(1) },
    msg_reply: fixed(500),
    msg_reject: { overhead: 500, bytes: transmitted(1) },
    msg_cycles_available128: fixed(500),
    msg_cycles_refunded128: fixed(500),
    msg_cycles_accept128: fixed(500),
    cycles_burn128: fixed(500),
    canister_self_size: fixed(500),
    canister_self_copy: { overhead: 500, bytes: size(2) },
    canister_cycle_balance128: fixed(500),
    canister_liquid_cycle_balance128: fixed(500),
    canister_status: fixed(500),
    canister_version: fixed(500),
    msg_method_name_size: fixed(500),
    msg_method_name_copy: { overhead: 500, bytes: size(2) },
    accept_message: fixed(500),
    call_new: { overhead: 1_500, bytes: (args) => size(1)(args) + size(3)(args) },
    call_on_cleanup: fixed(500),
    call_data_append: { overhead: 500, bytes: transmitted(1) },
    call_cycles_add128: fixed(500),
    call_with_best_effort_response: fixed(500),
    call_perform: fixed(5_000),
    cost_call: fixed(500),
    stable64_size: fixed(0),
    stable64_grow: fixed(100),
    stable64_write: {
        overhead: 20,
        bytes: (args, meter) => size(2)(args) + STABLE_DIRTY_PAGE_OVERHEAD * meter.newlyDirtiedStablePages(BigInt(args[0]!), BigInt(args[2]!))
    },
    stable64_read: { overhead: 20, bytes: size(2) },
    certified_data_set: { overhead: 500, bytes: size(1) },
    data_certificate_present: fixed(500),
    data_certificate_size: fixed(500),
    data_certificate_copy: { overhead: 500, bytes: size(2) },
    time: fixed(500),
    global_timer_set: fixed(500),
    performance_counter: fixed(200),
    is_controller: { overhead: 1_000, bytes: size(1) },
    in_replicated_execution: fixed(500),
    // The replica also charges for the log record (twice the bytes kept, bounded by the log's
    // capacity) and for bytes sent to a log that has room; this server keeps no canister log,
    // so the charge is that of a full one.
    debug_print: { overhead: 100, bytes: (args) => size(1)(args) + 2 * Math.min(size(1)(args), CANISTER_LOG_CAPACITY) },
    trap: { overhead: 500, bytes: size(1) },
    // The imports Azle does not use, with the same overheads as their siblings above.
    subnet_self_size: fixed(500),
    subnet_self_copy: { overhead: 500, bytes: size(2) },
    root_key_size: fixed(500),
    root_key_copy: { overhead: 500, bytes: size(2) },
    msg_caller_info_data_size: fixed(500),
    msg_caller_info_data_copy: { overhead: 500, bytes: size(2) },
    msg_caller_info_signer_size: fixed(500),
    msg_caller_info_signer_copy: { overhead: 500, bytes: size(2) },
    msg_deadline: fixed(500),
    cost_create_canister: fixed(500),
    cost_http_request: fixed(500),
    cost_sign_with_ecdsa: { overhead: 500, bytes: size(1) },
    cost_sign_with_schnorr: { overhead: 500, bytes: size(1) },
    cost_vetkd_derive_key: { overhead: 500, bytes: size(1) },
    env_var_count: fixed(500),
    env_var_name_size: fixed(500),
    env_var_name_copy: { overhead: 500, bytes: size(3) },
    env_var_name_exists: { overhead: 500, bytes: size(1) },
    env_var_value_size: { overhead: 500, bytes: size(1) },
    env_var_value_copy: { overhead: 500, bytes: (args) => size(1)(args) + size(4)(args) },
    mint_cycles128: fixed(500),
    msg_cycles_available: fixed(500),
    msg_cycles_refunded: fixed(500),
    msg_cycles_accept: fixed(500),
    canister_cycle_balance: fixed(500),
    call_cycles_add: fixed(500),
    stable_size: fixed(0),
    stable_grow: fixed(100),
    stable_write: {
        overhead: 20,
        bytes: (args, meter) => size(2)(args) + STABLE_DIRTY_PAGE_OVERHEAD * meter.newlyDirtiedStablePages(BigInt(args[0]!), BigInt(args[2]!))
    },
    stable_read: { overhead: 20, bytes: size(2) }
};

/**
 * Wraps every import so it is charged first. Imports without an entry in the table are
 * wrapped with no charge (the table's unit test requires an entry for each).
 */
export function chargedImports(imports: WebAssembly.ModuleImports, meter: InstructionMeter): WebAssembly.ModuleImports {
    const charged: WebAssembly.ModuleImports = {};
    for (const [name, value] of Object.entries(imports)) {
        const charge = SYSTEM_API_CHARGES[name];
        if (typeof value !== 'function' || charge === undefined) {
            charged[name] = value;
            continue;
        }
        const fn = value as (...args: Array<number | bigint>) => unknown;
        const { overhead, bytes } = charge;
        charged[name] =
            bytes === undefined
                ? (...args: Array<number | bigint>) => {
                      meter.charge(overhead);
                      return fn(...args);
                  }
                : (...args: Array<number | bigint>) => {
                      meter.charge(overhead + bytes(args, meter));
                      return fn(...args);
                  };
    }
    return charged;
}
