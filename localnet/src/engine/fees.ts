/**
 * The IC's cycles fee schedule, as data, and the arithmetic of every fee line the replica
 * charges. Pure functions of bigints: the engine decides when to charge (replica.ts,
 * management.ts, system-api.ts), this module decides how much.
 *
 * Sources (dfinity/ic): `rs/config/src/subnet_config.rs` (`CyclesAccountManagerConfig::
 * application_subnet`, the scheduler's message limits) and
 * `rs/cycles_account_manager/src/cycles_account_manager.rs` (scaling by subnet size, execution
 * prepayment and refund, call prepayment, response refund, storage and freezing threshold).
 * `MAX_INTER_CANISTER_PAYLOAD_IN_BYTES` is in `rs/types/types/src/messages.rs`.
 */
import type { SubnetKind } from '../api';

/** Fees of a 13-node reference subnet and the size they are scaled to. */
export type FeeSchedule = {
    /** Fees below are for this many nodes; a subnet pays `fee × subnetSize / referenceSubnetSize`. */
    referenceSubnetSize: bigint;
    subnetSize: bigint;
    canisterCreationFee: bigint;
    updateMessageExecutionFee: bigint;
    /** Per 10 instructions, so that fees below one cycle per instruction are expressible. */
    tenUpdateInstructionsExecutionFee: bigint;
    xnetCallFee: bigint;
    xnetByteTransmissionFee: bigint;
    ingressMessageReceptionFee: bigint;
    ingressByteReceptionFee: bigint;
    gibStoragePerSecondFee: bigint;
    computePercentAllocatedPerSecondFee: bigint;
    /** How often storage and compute allocation are charged (the replica: every 10 s). */
    secondsBetweenAllocationCharges: bigint;
    /** The instruction limit an update message's execution is prepaid for (DTS enabled). */
    maxInstructionsPerMessage: bigint;
    /** The instruction limit an install_code message is prepaid for. */
    maxInstructionsPerInstallCode: bigint;
    /** Instructions `upload_chunk` charges (DEFAULT_UPLOAD_CHUNK_INSTRUCTIONS). */
    uploadChunkInstructions: bigint;
    /** HTTPS outcalls: `(linear + quadratic·n)·n + perRequestByte·n·request + perResponseByte·n·max_response`. */
    httpRequestLinearBaselineFee: bigint;
    httpRequestQuadraticBaselineFee: bigint;
    httpRequestPerByteFee: bigint;
    httpResponsePerByteFee: bigint;
};

const B = 1_000_000_000n;
export const SECONDS_PER_DAY = 86_400n;
const GIB = 1024n * 1024n * 1024n;
/** The largest request or response payload between canisters (2 MiB): the response reservation. */
export const MAX_INTER_CANISTER_PAYLOAD_BYTES = 2n * 1024n * 1024n;

/** `CyclesAccountManagerConfig::application_subnet()` for the 13-node reference subnet. */
export const APPLICATION_SUBNET_FEES: FeeSchedule = {
    referenceSubnetSize: 13n,
    subnetSize: 13n,
    canisterCreationFee: 500_000_000_000n,
    updateMessageExecutionFee: 5_000_000n,
    tenUpdateInstructionsExecutionFee: 10n,
    xnetCallFee: 260_000n,
    xnetByteTransmissionFee: 1_000n,
    ingressMessageReceptionFee: 1_200_000n,
    ingressByteReceptionFee: 2_000n,
    gibStoragePerSecondFee: 127_000n,
    computePercentAllocatedPerSecondFee: 10_000_000n,
    secondsBetweenAllocationCharges: 10n,
    maxInstructionsPerMessage: 40n * B,
    maxInstructionsPerInstallCode: 300n * B,
    uploadChunkInstructions: 200_000_000n,
    httpRequestLinearBaselineFee: 3_000_000n,
    httpRequestQuadraticBaselineFee: 60_000n,
    httpRequestPerByteFee: 400n,
    httpResponsePerByteFee: 800n
};

/** `CyclesAccountManagerConfig::system_subnet()` / a `cost_schedule: "Free"` subnet: nothing is charged. */
export const FREE_FEES: FeeSchedule = {
    ...APPLICATION_SUBNET_FEES,
    canisterCreationFee: 0n,
    updateMessageExecutionFee: 0n,
    tenUpdateInstructionsExecutionFee: 0n,
    xnetCallFee: 0n,
    xnetByteTransmissionFee: 0n,
    ingressMessageReceptionFee: 0n,
    ingressByteReceptionFee: 0n,
    gibStoragePerSecondFee: 0n,
    computePercentAllocatedPerSecondFee: 0n,
    httpRequestLinearBaselineFee: 0n,
    httpRequestQuadraticBaselineFee: 0n,
    httpRequestPerByteFee: 0n,
    httpResponsePerByteFee: 0n
};

/** Node counts PocketIC gives each subnet kind (as on the ICP mainnet). */
const SUBNET_SIZES: Record<SubnetKind, bigint> = {
    Application: 13n,
    VerifiedApplication: 13n,
    Fiduciary: 34n,
    System: 13n,
    NNS: 40n,
    SNS: 34n,
    II: 34n,
    Bitcoin: 13n
};

/** Fiduciary subnets are application subnets (they charge); the named system subnets do not. */
const CHARGING_KINDS: ReadonlySet<SubnetKind> = new Set(['Application', 'VerifiedApplication', 'Fiduciary']);

export type CostSchedule = 'Normal' | 'Free';

/** The fee schedule of a subnet of `kind` with the instance config's `cost_schedule`. */
export function feeScheduleFor(kind: SubnetKind, costSchedule: CostSchedule): FeeSchedule {
    const base = costSchedule === 'Free' || !CHARGING_KINDS.has(kind) ? FREE_FEES : APPLICATION_SUBNET_FEES;
    return { ...base, subnetSize: SUBNET_SIZES[kind] };
}

/** A fee of the reference subnet scaled to the subnet's size (rounded down, as the replica does). */
export function scale(fees: FeeSchedule, cycles: bigint): bigint {
    return (cycles * fees.subnetSize) / fees.referenceSubnetSize;
}

/** The instruction-dependent part of an execution's cost. */
export function instructionsCost(fees: FeeSchedule, instructions: bigint): bigint {
    return scale(fees, (fees.tenUpdateInstructionsExecutionFee * instructions) / 10n);
}

/** Cost of an execution of `instructions`: the per-message fee plus the per-instruction fee. */
export function executionCost(fees: FeeSchedule, instructions: bigint): bigint {
    return scale(fees, fees.updateMessageExecutionFee + (fees.tenUpdateInstructionsExecutionFee * instructions) / 10n);
}

/**
 * What the prepayment for `prepaidFor` instructions leaves to refund once the execution used
 * `used` of them (never more than prepaid).
 */
export function unusedExecutionRefund(fees: FeeSchedule, prepaidFor: bigint, used: bigint): bigint {
    const unused = used >= prepaidFor ? 0n : prepaidFor - used;
    return instructionsCost(fees, unused);
}

/** Charged to the receiving canister for an ingress message of `bytes` bytes. */
export function ingressInductionCost(fees: FeeSchedule, bytes: bigint): bigint {
    return scale(fees, fees.ingressMessageReceptionFee) + scale(fees, fees.ingressByteReceptionFee) * bytes;
}

/** Sending a request of `payloadBytes` (method name + argument), including the largest possible response. */
export function callTransmissionFee(fees: FeeSchedule, payloadBytes: bigint): bigint {
    return (
        scale(fees, fees.xnetCallFee) +
        scale(fees, fees.xnetByteTransmissionFee * payloadBytes) +
        responseTransmissionPrepayment(fees)
    );
}

/** The part of a call's prepayment that pays for transmitting the largest allowed response. */
export function responseTransmissionPrepayment(fees: FeeSchedule): bigint {
    return scale(fees, fees.xnetByteTransmissionFee * MAX_INTER_CANISTER_PAYLOAD_BYTES);
}

/** The prepayment for executing the response callback at the message instruction limit. */
export function responseExecutionPrepayment(fees: FeeSchedule): bigint {
    return executionCost(fees, fees.maxInstructionsPerMessage);
}

/** `ic0.cost_call`: everything `call_perform` withdraws, the amount above the freezing limit it needs. */
export function callTotalFee(fees: FeeSchedule, payloadBytes: bigint): bigint {
    return callTransmissionFee(fees, payloadBytes) + responseExecutionPrepayment(fees);
}

/** Given back with a response of `responseBytes`: the unused part of the response reservation. */
export function responseTransmissionRefund(fees: FeeSchedule, responseBytes: bigint): bigint {
    const used = scale(fees, fees.xnetByteTransmissionFee * responseBytes);
    const prepaid = responseTransmissionPrepayment(fees);
    return used >= prepaid ? 0n : prepaid - used;
}

/** Storage cost of `bytes` for `seconds`. */
export function memoryCost(fees: FeeSchedule, bytes: bigint, seconds: bigint): bigint {
    return scale(fees, (bytes * fees.gibStoragePerSecondFee * seconds) / GIB);
}

export function computeAllocationCost(fees: FeeSchedule, percent: bigint, seconds: bigint): bigint {
    return scale(fees, fees.computePercentAllocatedPerSecondFee * seconds * percent);
}

export type ResourceUse = {
    memoryBytes: bigint;
    /** `memory_allocation`: reserved bytes (0 = best effort, pay for what is used). */
    memoryAllocation: bigint;
    computeAllocation: bigint;
};

/** Memory is charged for what is reserved or, above that, what is used. */
function chargedBytes(use: ResourceUse): bigint {
    return use.memoryAllocation > use.memoryBytes ? use.memoryAllocation : use.memoryBytes;
}

/** `idle_cycles_burned_per_day`: what storage and compute allocation cost per day. */
export function idleCyclesBurnedPerDay(fees: FeeSchedule, use: ResourceUse): bigint {
    return memoryCost(fees, chargedBytes(use), SECONDS_PER_DAY) + computeAllocationCost(fees, use.computeAllocation, SECONDS_PER_DAY);
}

/**
 * The freezing limit: the balance below which a canister is frozen, i.e. what it burns idle in
 * `freezingThresholdSeconds` (minus reserved cycles, which pay for storage first).
 */
export function freezingLimit(fees: FeeSchedule, use: ResourceUse, freezingThresholdSeconds: bigint, reservedCycles = 0n): bigint {
    const threshold = (idleCyclesBurnedPerDay(fees, use) * freezingThresholdSeconds) / SECONDS_PER_DAY;
    return threshold > reservedCycles ? threshold - reservedCycles : 0n;
}

/**
 * Storage and compute allocation owed for `seconds`, computed as the replica does: the daily
 * rate of each resource, times the whole seconds elapsed, divided by a day.
 */
export function resourceCharge(fees: FeeSchedule, use: ResourceUse, seconds: bigint): bigint {
    const memory = (memoryCost(fees, chargedBytes(use), SECONDS_PER_DAY) * seconds) / SECONDS_PER_DAY;
    const compute = (computeAllocationCost(fees, use.computeAllocation, SECONDS_PER_DAY) * seconds) / SECONDS_PER_DAY;
    return memory + compute;
}

/** An HTTPS outcall's fee on a subnet of `subnetSize` nodes (the interface specification's formula, not scaled). */
export function httpRequestFee(fees: FeeSchedule, requestBytes: bigint, maxResponseBytes: bigint): bigint {
    const n = fees.subnetSize;
    return (
        (fees.httpRequestLinearBaselineFee + fees.httpRequestQuadraticBaselineFee * n) * n +
        fees.httpRequestPerByteFee * n * requestBytes +
        fees.httpResponsePerByteFee * n * maxResponseBytes
    );
}

export function canisterCreationFee(fees: FeeSchedule): bigint {
    return scale(fees, fees.canisterCreationFee);
}

/** Cycles above the freezing limit, the most any withdrawal may take. */
export function liquidBalance(balance: bigint, limit: bigint): bigint {
    return balance > limit ? balance - limit : 0n;
}

/** Whether `requested` can be withdrawn without the balance dropping below the freezing limit. */
export function canWithdraw(balance: bigint, requested: bigint, limit: bigint): boolean {
    return requested <= liquidBalance(balance, limit);
}

/**
 * The replica's `CanisterOutOfCyclesError` text; the shortfall is shown only to a controller
 * (`reveal_top_up`).
 */
export function outOfCyclesMessage(canister: string, available: bigint, requested: bigint, limit: bigint, revealTopUp: boolean): string {
    if (!revealTopUp) return `Canister ${canister} is out of cycles`;
    const shortfall = limit + requested - available;
    return `Canister ${canister} is out of cycles: please top up the canister with at least ${shortfall > 0n ? shortfall : 0n} additional cycles`;
}
