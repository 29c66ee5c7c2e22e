import { IcModel } from '../../../common/testing/ic-model';
import { newDelivery, type Delivery, type HandleOutcome } from '../../../common/outbox/delivery';
import { OutboxRunner, type OutboxStore } from '../../../common/outbox/runner';
import type { EmergencyState } from '../../../../shared/monitoring/emergency';
import { AGENT_RUN_MIN_BALANCE } from '../../../../shared/agent/funding';
import { agentAnswered, emergencyAnswered, FUNDING_RECHECK_RETRY, fundingRead, OUTBOX_BATCH, OUTBOX_RESEND_AFTER_NS, OUTBOX_RETRY, type OutboxSettlement } from './outbox';

const NOW = 1_000_000_000_000n;
const STATE: EmergencyState = { mode: { Emergency: null }, reason: 'oracle down', changed_at: NOW, changed_by: [] };

type Entry = { id: string; delivery: Delivery };

/** One orchestrator outbox entry on the IC model, driven by the real runner; `answer` is the peer's reply to each handling. */
function outboxAnswering(answer: () => HandleOutcome<OutboxSettlement>, policy = OUTBOX_RETRY) {
    const ic = new IcModel(NOW);
    const map = ic.map<Entry>();
    const deadLetters = ic.deadLetters();
    const store: OutboxStore<Entry> = {
        due: (now, limit) => [...map.values()].filter((e) => e.delivery.next_at <= now).slice(0, limit),
        get: (id) => map.get(id),
        put: (e) => void map.set(e.id, e),
        complete: (e) => void map.delete(e.id),
        deadLetter: (e, reason, now) => {
            deadLetters.add(e.id, `entry ${e.id}`, reason, e.delivery.first_at, now);
            map.delete(e.id);
        },
        nextAt: () => [...map.values()].reduce<bigint | undefined>((min, e) => (min === undefined || e.delivery.next_at < min ? e.delivery.next_at : min), undefined),
        idOf: (e) => e.id,
        deliveryOf: (e) => e.delivery,
        withDelivery: (e, delivery) => ({ ...e, delivery })
    };
    const applied: OutboxSettlement[] = [];
    const runner = new OutboxRunner<Entry, OutboxSettlement>(
        { store, handle: () => answer(), onDone: (_e, s) => void (s !== undefined && applied.push(s)), policyOf: () => policy, batch: OUTBOX_BATCH, resendAfterNs: OUTBOX_RESEND_AFTER_NS, now: () => ic.now },
        ic.scheduling
    );
    store.put({ id: 'e1', delivery: newDelivery(NOW) });
    runner.arm();
    return { ic, store, deadLetters, applied, drain: () => runner.drain() };
}

describe('Orchestrator > outbox settlements', () => {
    it('an answer is returned for onDone, not applied by the handling', () => {
        expect(emergencyAnswered({ Ok: STATE })).toEqual({ kind: 'Done', value: { kind: 'AdoptEmergency', state: STATE } });
        expect(emergencyAnswered({ Err: { Unauthorized: null } })).toEqual({ kind: 'Done' });
        expect(agentAnswered('o', { Err: { Unavailable: { message: 'creating' } } })).toEqual({ kind: 'Failed', retryable: true, reason: 'ensure_agent: Unavailable' });
    });

    it('a timely answer of the monitor is adopted once', async () => {
        const o = outboxAnswering(() => emergencyAnswered({ Ok: STATE }));
        await o.ic.runUntil(o.drain, NOW + 10n * OUTBOX_RESEND_AFTER_NS);
        expect(o.applied).toEqual([{ kind: 'AdoptEmergency', state: STATE }]);
        expect(o.store.get('e1')).toBeUndefined();
    });

    it('an answer that comes after its request was dead-lettered is not adopted', async () => {
        let calls = 0;
        const o = outboxAnswering(() => {
            calls += 1;
            if (calls === 1) {
                // While this call is out, the outbox's timer takes the entry again until it is dead-lettered (Trapped).
                for (let i = 0; i < OUTBOX_RETRY.max_traps; i += 1) {
                    o.ic.now += OUTBOX_RESEND_AFTER_NS;
                    o.drain();
                }
            }
            return emergencyAnswered({ Ok: STATE });
        });
        await o.ic.runUntil(o.drain, NOW + 10n * OUTBOX_RESEND_AFTER_NS);
        expect(o.deadLetters.list()).toEqual([expect.objectContaining({ id: 'e1', reason: { kind: 'Trapped', handlings: OUTBOX_RETRY.max_traps } })]);
        expect(o.applied).toEqual([]);
    });

    it("a balance read of the owner's agent is returned for onDone, and still short it is read again", () => {
        expect(fundingRead('o', 'a', AGENT_RUN_MIN_BALANCE, NOW)).toEqual({ kind: 'Done', value: { kind: 'FundingRead', owner: 'o', agent: 'a', balance: AGENT_RUN_MIN_BALANCE, sentAt: NOW } });
        expect(fundingRead('o', 'a', AGENT_RUN_MIN_BALANCE - 1n, NOW)).toMatchObject({ kind: 'Failed', retryable: true, value: { kind: 'FundingRead', owner: 'o', agent: 'a', balance: AGENT_RUN_MIN_BALANCE - 1n, sentAt: NOW } });
    });

    it('a timely balance read that finds the agent short is applied once, and the entry waits to be read again', async () => {
        const o = outboxAnswering(() => fundingRead('o', 'a', 1n, NOW), FUNDING_RECHECK_RETRY);
        expect(await o.ic.round(o.drain, NOW)).toBe(true);
        expect(o.applied).toEqual([{ kind: 'FundingRead', owner: 'o', agent: 'a', balance: 1n, sentAt: NOW }]);
        expect(o.store.get('e1')?.delivery).toMatchObject({ attempts: 1, next_at: NOW + FUNDING_RECHECK_RETRY.initial_delay_ns });
        expect(o.deadLetters.list()).toEqual([]);
    });

    it('a balance read that comes after its request was dead-lettered is not applied', async () => {
        let calls = 0;
        const o = outboxAnswering(() => {
            calls += 1;
            if (calls === 1) {
                for (let i = 0; i < FUNDING_RECHECK_RETRY.max_traps; i += 1) {
                    o.ic.now += OUTBOX_RESEND_AFTER_NS;
                    o.drain();
                }
            }
            return fundingRead('o', 'a', 1n, NOW);
        }, FUNDING_RECHECK_RETRY);
        await o.ic.runUntil(o.drain, NOW + 10n * OUTBOX_RESEND_AFTER_NS);
        expect(o.deadLetters.list()).toEqual([expect.objectContaining({ id: 'e1', reason: { kind: 'Trapped', handlings: FUNDING_RECHECK_RETRY.max_traps } })]);
        expect(o.applied).toEqual([]);
    });
});
