import { APPLICATION_SUBNET_LIMITS } from './instruction-limits';
import { RoundBudget } from './round-budget';

const M = 1_000_000n;

describe('Localnet > engine > round budget', () => {
    const budget = (): RoundBudget => new RoundBudget(() => APPLICATION_SUBNET_LIMITS);

    it('lets a canister start executions until it used 2B + 1 instructions this round, overheads included', () => {
        const round = budget();
        round.startRound();
        // 8M for the canister, then 498M + 2M per execution: 4 executions reach 2,008M.
        for (let i = 0; i < 4; i++) {
            expect(round.canStart('a')).toBe(true);
            round.spend('a', 498n * M);
        }
        expect(round.canStart('a')).toBe(false);
        expect(round.canStart('b')).toBe(true);
        round.startRound();
        expect(round.canStart('a')).toBe(true);
    });

    it('keeps a canister busy for the further slices of a message longer than one', () => {
        const round = budget();
        round.startRound();
        round.spend('a', 5_000n * M); // 3 slices of 2B: this round and two more
        round.startRound();
        expect(round.busy('a')).toBe(true);
        expect(round.canStart('a')).toBe(false);
        round.startRound();
        expect(round.busy('a')).toBe(true);
        round.startRound();
        expect(round.busy('a')).toBe(false);
        expect(round.canStart('a')).toBe(true);
    });
});
