import { NORMAL_MODE, type EmergencyState } from '../../../../shared/monitoring/emergency';
import type { HandleOutcome } from '../../../common/outbox/delivery';
import { IcModel } from '../../../common/testing/ic-model';
import { OutboxRunner } from '../../../common/outbox/runner';
import { deliveryOfPush, enqueuePropagation, PROPAGATION_BATCH, PROPAGATION_RESEND_AFTER_NS, PROPAGATION_RETRY, propagationStore, type PropagationEntry } from './propagation';
import { EXEC, ORCH, SCHED, SEC, T0 } from './test-fixtures';

const emergency: EmergencyState = { mode: { Emergency: null }, reason: 'r', changed_at: T0, changed_by: [] };

/** The monitor's real push store on the IC model, driven by the real outbox runner. */
function monitorOutbox(handle: (e: PropagationEntry) => HandleOutcome | Promise<HandleOutcome>) {
    const ic = new IcModel(T0);
    const cell = ic.cell<PropagationEntry[]>([]);
    const deadLetters = ic.deadLetters();
    const store = propagationStore(cell, deadLetters);
    const runner = new OutboxRunner({ store, handle, policyOf: () => PROPAGATION_RETRY, batch: PROPAGATION_BATCH, resendAfterNs: PROPAGATION_RESEND_AFTER_NS, now: () => ic.now }, ic.scheduling);
    const enqueue = (targets: typeof ORCH[], state: EmergencyState): void => {
        cell.set(enqueuePropagation(cell.get(), targets, state, ic.now));
        runner.arm();
    };
    return { ic, cell, deadLetters, runner, enqueue, drain: () => runner.drain() };
}

describe('Monitor > emergency propagation outbox', () => {
    it('queues one push per peer, a newer state replacing an undelivered one', () => {
        const first = enqueuePropagation([], [ORCH, SCHED, EXEC], emergency, T0);
        const normal = { ...NORMAL_MODE, changed_at: T0 + SEC };
        const second = enqueuePropagation(first, [SCHED], normal, T0 + SEC);
        expect(second).toHaveLength(3);
        expect(second.find((e) => e.target.toText() === SCHED.toText())?.state).toBe(normal);
    });

    it('reads a push stored before the shared outbox (no delivery record) from its own fields', () => {
        const old: PropagationEntry = { target: ORCH, state: emergency, attempts: 4, next_attempt_at: T0 + 8n * SEC };
        expect(deliveryOfPush(old)).toEqual({ attempts: 4, next_at: T0 + 8n * SEC, first_at: T0 + 8n * SEC, taken_at: undefined, traps: 0, last_error: undefined });
    });

    it('keeps the bookkeeping in delivery only: a push stored before the shared outbox is retried from its fields and rewritten without them', async () => {
        const m = monitorOutbox(() => ({ kind: 'Failed', retryable: true, reason: 'reject 2: queue full' }));
        m.cell.set([{ target: ORCH, state: emergency, attempts: 4, next_attempt_at: T0 }]);
        m.runner.arm();
        await m.ic.round(m.drain, T0);
        const [stored] = m.cell.get();
        expect(Object.keys(stored!).sort()).toEqual(['delivery', 'state', 'target']);
        expect(stored!.delivery).toMatchObject({ attempts: 5, last_error: 'reject 2: queue full' });
    });

    it.each([
        ['delivered', { kind: 'Done' } as const, 0, []],
        ['refused by the peer', { kind: 'Failed', retryable: false, reason: 'Unauthorized' } as const, 0, [{ Refused: { error: 'Unauthorized' } }]],
        ['rejected, retryable (5)', { kind: 'Failed', retryable: true, reason: 'reject 5: stopped' } as const, 1, []]
    ])('a push %s: the entries left and the dead letters', async (_name, outcome, left, dead) => {
        const m = monitorOutbox(() => outcome);
        m.enqueue([ORCH], emergency);
        await m.ic.round(m.drain, T0);
        expect(m.cell.get()).toHaveLength(left);
        expect(m.deadLetters.list().map((d) => ({ [d.reason.kind]: d.reason.kind === 'Refused' ? { error: d.reason.error } : {} }))).toEqual(dead);
    });

    it('backs off between retries: 1 s, 2 s, 4 s ... capped at 60 s', async () => {
        const sentAt: bigint[] = [];
        const m = monitorOutbox(() => {
            sentAt.push(m.ic.now);
            return { kind: 'Failed', retryable: true, reason: 'reject 2: queue full' };
        });
        m.enqueue([ORCH], emergency);
        await m.ic.runUntil(m.drain, T0 + 200n * SEC);
        const gaps = sentAt.slice(1).map((t, i) => (t - sentAt[i]!) / SEC);
        expect(gaps.slice(0, 8)).toEqual([1n, 2n, 4n, 8n, 16n, 32n, 60n, 60n]);
    });

    it('a newer state queued while an older push is in flight is not settled by the older reply', async () => {
        let requeue = true;
        const m = monitorOutbox(() => {
            if (requeue) m.enqueue([ORCH], { ...NORMAL_MODE, changed_at: T0 + SEC });
            requeue = false;
            return { kind: 'Done' };
        });
        m.enqueue([ORCH], emergency);
        await m.ic.round(m.drain, T0);
        expect(m.cell.get().map((e) => e.state.changed_at)).toEqual([T0 + SEC]);
        await m.ic.round(m.drain, T0);
        expect(m.cell.get()).toEqual([]);
    });

    it('a push that traps every time is dead-lettered after max_traps handlings; the pushes behind it are delivered', async () => {
        const delivered: string[] = [];
        const m = monitorOutbox((e) => {
            if (e.target.toText() === ORCH.toText()) throw new Error('poison');
            delivered.push(e.target.toText());
            return { kind: 'Done' };
        });
        m.enqueue([ORCH, SCHED, EXEC], emergency);
        await m.ic.runUntil(m.drain, T0 + 10n * PROPAGATION_RESEND_AFTER_NS);
        expect(delivered.sort()).toEqual([SCHED.toText(), EXEC.toText()].sort());
        expect(m.ic.traps).toHaveLength(PROPAGATION_RETRY.max_traps);
        expect(m.deadLetters.list()).toEqual([expect.objectContaining({ what: expect.stringContaining(ORCH.toText()), reason: { kind: 'Trapped', handlings: PROPAGATION_RETRY.max_traps } })]);
        expect(m.cell.get()).toEqual([]);
    });
});
