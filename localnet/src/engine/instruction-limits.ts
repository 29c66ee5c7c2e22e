/**
 * Instruction limits per execution and per round, as the replica configures them
 * (dfinity/ic `rs/config/src/subnet_config.rs` `SchedulerConfig`, and
 * `rs/config/src/execution_environment.rs` for inspect_message and queries), and how
 * PocketIC's `instruction_config: "Benchmarking"` lifts them
 * (`rs/pocket_ic_server/src/pocket_ic.rs`).
 */
import type { SubnetKind } from '../api';

const B = 1_000_000_000n;

export type InstructionLimits = {
    /** An update, replicated query, response callback, cleanup, heartbeat or timer execution. */
    message: bigint;
    /** A non-replicated query (a composite query's whole call graph). */
    query: bigint;
    /** One install_code: start + canister_init, or pre_upgrade + start + post_upgrade together. */
    install: bigint;
    /** `canister_inspect_message`. */
    inspect: bigint;
    /** `max_instructions_per_round`. */
    round: bigint;
    /** `max_instructions_per_slice`: what deterministic time slicing runs of a message per round. */
    slice: bigint;
    /** `max_instructions_per_message_without_dts`. */
    messageWithoutDts: bigint;
};

/** An application (or verified application) subnet. */
export const APPLICATION_SUBNET_LIMITS: InstructionLimits = {
    message: 40n * B,
    query: 5n * B,
    install: 300n * B,
    inspect: 200_000_000n,
    round: 7n * B,
    slice: 2n * B,
    messageWithoutDts: 5n * B
};

/** A system subnet (NNS, II, SNS and plain system subnets): no DTS for messages, 10x budgets. */
export const SYSTEM_SUBNET_LIMITS: InstructionLimits = {
    message: 50n * B,
    query: 5n * B,
    install: 1_000n * B,
    inspect: 200_000_000n,
    // max(message without DTS, slice, install slice) + 2B
    round: 52n * B,
    slice: 2n * B,
    messageWithoutDts: 50n * B
};

/** PocketIC's benchmarking limit, set for messages, slices, rounds and queries (not installs). */
export const BENCHMARKING_LIMIT = 99_999_999_999_999n;

/** The limits `--instruction-limits benchmarking` replaces: what PocketIC's Benchmarking lifts. */
export const BENCHMARKING_OVERRIDES: Partial<InstructionLimits> = {
    message: BENCHMARKING_LIMIT,
    query: BENCHMARKING_LIMIT,
    slice: BENCHMARKING_LIMIT,
    messageWithoutDts: BENCHMARKING_LIMIT,
    round: BENCHMARKING_LIMIT
};

/** Per-execution and per-canister overheads the scheduler counts against the round budget. */
export const INSTRUCTION_OVERHEAD_PER_EXECUTION = 2_000_000n;
export const INSTRUCTION_OVERHEAD_PER_CANISTER = 8_000_000n;

const SYSTEM_KINDS: ReadonlySet<SubnetKind> = new Set(['NNS', 'II', 'SNS', 'System']);

/** The limits of a subnet as PocketIC configures it. */
export function subnetLimits(kind: SubnetKind, instructionConfig: 'Production' | 'Benchmarking'): InstructionLimits {
    const base = SYSTEM_KINDS.has(kind) ? SYSTEM_SUBNET_LIMITS : APPLICATION_SUBNET_LIMITS;
    return instructionConfig === 'Production' ? base : { ...base, ...BENCHMARKING_OVERRIDES };
}

/**
 * How many instructions a canister may start executions with in one round: the scheduler's
 * `R - max(slice, message without DTS) + 1`, so that the round's last execution cannot push
 * it past `R`.
 */
export function roundBudget(limits: InstructionLimits): bigint {
    const slice = limits.slice > limits.messageWithoutDts ? limits.slice : limits.messageWithoutDts;
    return limits.round - slice + 1n;
}

const LIMIT_NAMES: ReadonlyArray<keyof InstructionLimits> = ['message', 'query', 'install', 'inspect', 'round', 'slice', 'messageWithoutDts'];

/**
 * Reads the server's `--instruction-limits` value: `benchmarking` (PocketIC's benchmarking
 * limits on every subnet) or `name=N[,name=N...]` with names from InstructionLimits.
 * Throws a readable error for anything else.
 */
export function parseInstructionLimits(text: string): Partial<InstructionLimits> {
    if (text === 'benchmarking') return { ...BENCHMARKING_OVERRIDES };
    const limits: Partial<InstructionLimits> = {};
    for (const part of text.split(',')) {
        const match = /^([A-Za-z]+)=(\d+)$/.exec(part.trim());
        const name = match?.[1] as keyof InstructionLimits | undefined;
        if (match === null || name === undefined || !LIMIT_NAMES.includes(name)) {
            throw new Error(`instruction limits must be "benchmarking" or name=N pairs (names: ${LIMIT_NAMES.join(', ')}), got ${JSON.stringify(part)}`);
        }
        const value = BigInt(match[2]!);
        if (value <= 0n) throw new Error(`instruction limit ${name} must be positive`);
        limits[name] = value;
    }
    return limits;
}
