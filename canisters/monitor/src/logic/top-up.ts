import type { Principal } from '@dfinity/principal';
import type { TopUpPolicy } from '../../../../shared/monitoring/top-up';
import type { CanisterRecord } from './state';

/** One deposit to make. */
export type TopUp = { canister: Principal; amount: bigint };

/**
 * The deposits one check makes: each peer whose last `canister_status` reading is below
 * `policy.below` gets `policy.amount`, in the order of the records, while the reserve stays at
 * or above `policy.reserve_floor`. A peer with no reading is not topped up (its balance is
 * unknown); `reserve` is the monitor's own balance now.
 *
 * @example
 * planTopUps(state.canisters, policy, canisterCycleBalance()) // [{ canister, amount }]
 */
export function planTopUps(records: readonly CanisterRecord[], policy: TopUpPolicy | undefined, reserve: bigint): TopUp[] {
    if (policy === undefined) return [];
    const out: TopUp[] = [];
    let left = reserve;
    for (const r of records) {
        const cycles = r.status?.cycles;
        if (cycles === undefined || cycles >= policy.below) continue;
        if (left - policy.amount < policy.reserve_floor) break;
        left -= policy.amount;
        out.push({ canister: r.canister, amount: policy.amount });
    }
    return out;
}
