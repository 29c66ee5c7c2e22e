import { recordStatusRead } from './status';
import { planTopUps } from './top-up';
import { EXEC, ORCH, SCHED, T0, freshState } from './test-fixtures';

const T = 1_000_000_000_000n;
const reading = (cycles: bigint) => ({
    read_at: T0,
    status: { Running: null },
    cycles,
    memory_size: 1n,
    wasm_memory_size: 1n,
    stable_memory_size: 0n,
    idle_cycles_burned_per_day: 1n,
    freezing_limit: 0n,
    module_hash: [] as [],
    canister_version: 1n
});

describe('Monitor > top-up from the reserve', () => {
    const policy = { below: 2n * T, amount: T, reserve_floor: 5n * T };
    let s = freshState();
    s = recordStatusRead(s, ORCH, { kind: 'Read', reading: reading(T) });
    s = recordStatusRead(s, EXEC, { kind: 'Read', reading: reading(3n * T) });

    it('tops up the peers below the threshold; never one without a reading; nothing without a policy', () => {
        expect(planTopUps(s.canisters, policy, 10n * T)).toEqual([{ canister: ORCH, amount: T }]);
        expect(planTopUps(s.canisters, undefined, 10n * T)).toEqual([]);
        expect(planTopUps(recordStatusRead(s, SCHED, { kind: 'Read', reading: reading(2n * T) }).canisters, policy, 10n * T)).toHaveLength(1);
    });

    it('keeps the reserve at or above its floor', () => {
        const both = recordStatusRead(s, SCHED, { kind: 'Read', reading: reading(0n) }).canisters;
        expect(planTopUps(both, policy, 7n * T)).toEqual([{ canister: ORCH, amount: T }, { canister: SCHED, amount: T }]);
        expect(planTopUps(both, policy, 7n * T - 1n)).toEqual([{ canister: ORCH, amount: T }]);
        expect(planTopUps(both, policy, 6n * T - 1n)).toEqual([]);
    });
});
