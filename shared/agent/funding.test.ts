import { AGENT_MIN_BALANCE } from './api';
import { AGENT_RUN_MIN_BALANCE, UNKNOWN_FUNDING, encodeAgentFunding, hasRoomToWait, recordBalance, takeWaiting, withWaiting } from './funding';

const NOW = 1_000n;

describe('Agent funding > accounting', () => {
    it('keeps runs waiting under the run minimum, twice what the agent keeps for itself', () => {
        expect(AGENT_RUN_MIN_BALANCE).toBe(2n * AGENT_MIN_BALANCE);
        const short = recordBalance(UNKNOWN_FUNDING, AGENT_RUN_MIN_BALANCE - 1n, NOW);
        expect(short).toEqual({ funding: { ...UNKNOWN_FUNDING, balance: AGENT_RUN_MIN_BALANCE - 1n, checkedAt: NOW, underfunded: true }, change: 'BecameUnderfunded' });
        expect(recordBalance(short.funding, 1n, NOW).change).toBe('Unchanged');
        const back = recordBalance(short.funding, AGENT_RUN_MIN_BALANCE, NOW + 1n);
        expect(back.change).toBe('BecameFunded');
        expect(back.funding.underfunded).toBe(false);
        expect(recordBalance(UNKNOWN_FUNDING, AGENT_RUN_MIN_BALANCE, NOW).change).toBe('Unchanged');
    });

    it('ignores a read sent before the one recorded: an older read answered after a top-up does not mark the agent short again', () => {
        const toppedUp = recordBalance(recordBalance(UNKNOWN_FUNDING, 1n, NOW).funding, AGENT_RUN_MIN_BALANCE, NOW + 5n).funding;
        const stale = recordBalance(toppedUp, 1n, NOW + 2n);
        expect(stale).toEqual({ funding: toppedUp, change: 'Unchanged' });
        expect(recordBalance(toppedUp, 1n, NOW + 5n).change).toBe('BecameUnderfunded'); // sent in the same round: applied
    });

    it('bounds the runs waiting, and releases them oldest first in batches', () => {
        let f = UNKNOWN_FUNDING;
        for (const id of ['a', 'b', 'c']) f = withWaiting(f, id);
        expect(hasRoomToWait(f, 4)).toBe(true);
        expect(hasRoomToWait(withWaiting(f, 'd'), 4)).toBe(false);
        const first = takeWaiting(f, 2);
        expect(first.release).toEqual(['a', 'b']);
        expect(takeWaiting(first.funding, 2)).toEqual({ funding: { ...f, waiting: [] }, release: ['c'] });
    });

    it('shows nothing before the first read, then the balance, minimum and runs waiting', () => {
        expect(encodeAgentFunding(UNKNOWN_FUNDING)).toEqual([]);
        const { funding } = recordBalance(withWaiting(UNKNOWN_FUNDING, 'x'), 5n, NOW);
        expect(encodeAgentFunding(funding)).toEqual([{ balance: 5n, checked_at: NOW, minimum: AGENT_RUN_MIN_BALANCE, underfunded: true, waiting_runs: 1 }]);
    });
});
