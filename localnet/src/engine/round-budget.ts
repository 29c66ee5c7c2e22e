/**
 * The scheduler's per-round instruction budget, kept per canister (dfinity/ic
 * `rs/execution_environment/src/scheduler.rs`): a canister starts executions while what it
 * used this round is below `max_instructions_per_round - max(slice, message without DTS) + 1`
 * (2,000,000,001 on an application subnet), each execution counting its instructions plus
 * `instruction_overhead_per_execution` (2M), and the canister `instruction_overhead_per_canister`
 * (8M) once per round. Messages beyond the budget wait, in order, for the next round, so a
 * canister that floods itself spreads the work over rounds as on the IC.
 *
 * Deterministic time slicing runs a long message a slice (2B) per round; the engine runs it at
 * once, but its canister then sits out the rounds the slices would have taken.
 */
import { INSTRUCTION_OVERHEAD_PER_CANISTER, INSTRUCTION_OVERHEAD_PER_EXECUTION, roundBudget, type InstructionLimits } from './instruction-limits';

export class RoundBudget {
    /** Instructions (with overheads) each canister used in the current round. */
    private used = new Map<string, bigint>();
    /** The last round a canister spends on the slices of a message longer than one slice. */
    private readonly busyUntil = new Map<string, number>();
    private round = 0;

    constructor(private readonly limitsOf: (canisterKey: string) => InstructionLimits) {}

    startRound(): void {
        this.round++;
        this.used = new Map();
        for (const [key, last] of this.busyUntil) if (last < this.round) this.busyUntil.delete(key);
    }

    /** Whether the canister is still running a long message's slices this round. */
    busy(canisterKey: string): boolean {
        return (this.busyUntil.get(canisterKey) ?? -1) >= this.round;
    }

    /** Whether the canister may start another execution this round. */
    canStart(canisterKey: string): boolean {
        if (this.busy(canisterKey)) return false;
        return (this.used.get(canisterKey) ?? 0n) < roundBudget(this.limitsOf(canisterKey));
    }

    /** Records an execution of the canister that used `instructions`. */
    spend(canisterKey: string, instructions: bigint): void {
        const before = this.used.get(canisterKey) ?? INSTRUCTION_OVERHEAD_PER_CANISTER;
        this.used.set(canisterKey, before + instructions + INSTRUCTION_OVERHEAD_PER_EXECUTION);
        const slice = this.limitsOf(canisterKey).slice;
        if (instructions > slice) {
            const slices = Number((instructions + slice - 1n) / slice);
            this.busyUntil.set(canisterKey, Math.max(this.busyUntil.get(canisterKey) ?? 0, this.round + slices - 1));
        }
    }
}
