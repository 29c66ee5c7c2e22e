/**
 * Charging canisters as the replica's cycles account manager does: prepaying an execution
 * and refunding what it did not use, ingress induction, storage over time, and the freezing
 * limit every withdrawal respects. The amounts come from `fees.ts`; this module applies them
 * to a canister's balance.
 */
import { RejectCode, type Reject } from '../api';
import type { Canister } from './canister';
import { reject } from './errors';
import type { ExecutionResult } from './wasm-runtime';
import {
    canWithdraw,
    executionCost,
    freezingLimit,
    idleCyclesBurnedPerDay,
    outOfCyclesMessage,
    resourceCharge,
    unusedExecutionRefund,
    type FeeSchedule,
    type ResourceUse
} from './fees';

const NANOS_PER_SECOND = 1_000_000_000n;

/**
 * The instructions an execution is charged for: the metered count (metering.ts plus the
 * system API's charges). The one place the count comes from.
 */
export function chargedInstructions(result: ExecutionResult): bigint {
    return result.instructions;
}

/** An execution's prepayment: the instruction limit it was paid for and the cycles taken. */
export type Prepayment = { instructions: bigint; cycles: bigint };

export class CyclesAccount {
    constructor(private readonly feesOfSubnet: (subnetIndex: number) => FeeSchedule) {}

    fees(canister: Canister): FeeSchedule {
        return this.feesOfSubnet(canister.subnetIndex);
    }

    /** What a subnet charges, by its index (for a canister not created yet). */
    subnetFees(subnetIndex: number): FeeSchedule {
        return this.feesOfSubnet(subnetIndex);
    }

    resourceUse(canister: Canister): ResourceUse {
        return {
            memoryBytes: canister.memorySize(),
            memoryAllocation: canister.settings.memoryAllocation,
            computeAllocation: canister.settings.computeAllocation
        };
    }

    idleCyclesBurnedPerDay(canister: Canister): bigint {
        return idleCyclesBurnedPerDay(this.fees(canister), this.resourceUse(canister));
    }

    /** The balance below which the canister is frozen. */
    freezingLimit(canister: Canister): bigint {
        return freezingLimit(this.fees(canister), this.resourceUse(canister), canister.settings.freezingThreshold);
    }

    /** Whether the canister is frozen now (its balance is below its freezing limit). */
    isFrozen(canister: Canister): boolean {
        return canister.cycles < this.freezingLimit(canister);
    }

    /**
     * Takes `amount` from the balance if that leaves it at or above the freezing limit;
     * otherwise the replica's out-of-cycles reject (IC0207), the shortfall shown to controllers.
     */
    consume(canister: Canister, amount: bigint, revealTopUp: boolean): Reject | null {
        const limit = this.freezingLimit(canister);
        if (!canWithdraw(canister.cycles, amount, limit)) {
            return outOfCycles(outOfCyclesMessage(canister.idText, canister.cycles, amount, limit, revealTopUp));
        }
        canister.cycles -= amount;
        return null;
    }

    /** Prepays an execution for `instructions` (the message limit) plus the per-message fee. */
    prepayExecution(canister: Canister, instructions: bigint, revealTopUp: boolean): Prepayment | Reject {
        const cycles = executionCost(this.fees(canister), instructions);
        const refused = this.consume(canister, cycles, revealTopUp);
        return refused ?? { instructions, cycles };
    }

    /** Gives back what a prepaid execution did not use. */
    settleExecution(canister: Canister, prepayment: Prepayment, used: bigint): void {
        const refund = unusedExecutionRefund(this.fees(canister), prepayment.instructions, used);
        canister.cycles += refund < prepayment.cycles ? refund : prepayment.cycles;
    }

    /**
     * Charges storage and compute allocation for the whole seconds since the last charge, at
     * most every `secondsBetweenAllocationCharges`. Returns false when the balance (the
     * freezing limit does not apply here) cannot pay: the canister ran dry.
     */
    chargeResources(canister: Canister, now: bigint): boolean {
        const fees = this.fees(canister);
        const elapsed = now - canister.lastResourceCharge;
        if (elapsed < fees.secondsBetweenAllocationCharges * NANOS_PER_SECOND) return true;
        canister.lastResourceCharge = now;
        const owed = resourceCharge(fees, this.resourceUse(canister), elapsed / NANOS_PER_SECOND);
        if (owed > canister.cycles) return false;
        canister.cycles -= owed;
        return true;
    }
}

export function outOfCycles(message: string): Reject {
    return reject(RejectCode.SysTransient, 'CanisterOutOfCycles', message);
}
