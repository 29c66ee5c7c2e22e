import { NORMAL_MODE, type EmergencyState } from '../../../../shared/monitoring/emergency';
import { earliestPropagation, enqueuePropagation, settlePropagation, takeDuePropagations } from './propagation';
import { EXEC, ORCH, SCHED, SEC, T0 } from './test-fixtures';

const emergency: EmergencyState = { mode: { Emergency: null }, reason: 'r', changed_at: T0, changed_by: [] };

describe('Monitor > emergency propagation outbox', () => {
    it('queues one push per peer, a newer state replacing an undelivered one', () => {
        const first = enqueuePropagation([], [ORCH, SCHED, EXEC], emergency, T0);
        const normal = { ...NORMAL_MODE, changed_at: T0 + SEC };
        const second = enqueuePropagation(first, [SCHED], normal, T0 + SEC);
        expect(second).toHaveLength(3);
        expect(second.find((e) => e.target.toText() === SCHED.toText())?.state).toBe(normal);
        expect(earliestPropagation(second)).toBe(T0);
    });

    it.each([
        [{ kind: 'Delivered' } as const, 0, false],
        [{ kind: 'Refused', error_tag: 'Unauthorized' } as const, 0, true],
        [{ kind: 'Rejected', reject_code: 5 } as const, 1, false],
        [{ kind: 'Rejected', reject_code: 3 } as const, 0, true]
    ])('%o leaves %i entries (dropped for good: %s)', (outcome, left, dropped) => {
        const taken = takeDuePropagations(enqueuePropagation([], [ORCH], emergency, T0), T0);
        const [sent] = taken.send;
        const settled = settlePropagation(taken.entries, sent!, outcome);
        expect(settled.entries).toHaveLength(left);
        expect(settled.dropped_for_good).toBe(dropped);
    });

    it('backs off: 1 s, 2 s, 4 s ... capped at 60 s', () => {
        let entries = enqueuePropagation([], [ORCH], emergency, T0);
        const delays: bigint[] = [];
        let now = T0;
        for (let i = 0; i < 8; i += 1) {
            const taken = takeDuePropagations(entries, now);
            entries = taken.entries;
            delays.push(entries[0]!.next_attempt_at - now);
            now = entries[0]!.next_attempt_at;
        }
        expect(delays).toEqual([1n, 2n, 4n, 8n, 16n, 32n, 60n, 60n].map((s) => s * SEC));
    });

    it('a delivered older state does not remove a newer one queued meanwhile', () => {
        const taken = takeDuePropagations(enqueuePropagation([], [ORCH], emergency, T0), T0);
        const requeued = enqueuePropagation(taken.entries, [ORCH], { ...NORMAL_MODE, changed_at: T0 + SEC }, T0 + SEC);
        expect(settlePropagation(requeued, taken.send[0]!, { kind: 'Delivered' }).entries).toHaveLength(1);
    });
});
