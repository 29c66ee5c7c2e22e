import { settle, take } from '../../../common/outbox/delivery';
import { newOutboxEntry, outboxDeliveryOf, withOutboxDelivery, type StoredOutboxEntry } from './outbox-entry';
import { OUTBOX_RESEND_AFTER_NS, OUTBOX_RETRY, type OutboxMessage } from './outbox';

const NOW = 1_000_000_000_000n;
const SEC = 1_000_000_000n;
const MESSAGE: OutboxMessage = { kind: 'CancelDispatched', executionId: 'ex-1' };

describe('Orchestrator > outbox entries', () => {
    it('a new entry is due at its due time, no attempt made yet, with delivery as its only bookkeeping', () => {
        const e = newOutboxEntry('0000000000000001', MESSAGE, NOW, NOW + 5n * SEC);
        expect(Object.keys(e).sort()).toEqual(['createdAt', 'delivery', 'id', 'message', 'schema_version']);
        expect(outboxDeliveryOf(e)).toMatchObject({ attempts: 0, next_at: NOW + 5n * SEC, first_at: NOW });
    });

    it("reads an entry of the first release (tries, nextAt) as the outbox's bookkeeping", () => {
        const old: StoredOutboxEntry = { schema_version: 1, id: '0000000000000002', message: MESSAGE, createdAt: NOW, tries: 3, nextAt: NOW + 8n * SEC };
        expect(outboxDeliveryOf(old)).toEqual({ attempts: 3, next_at: NOW + 8n * SEC, first_at: NOW, taken_at: undefined, traps: 0, last_error: undefined });
    });

    it('keeps the bookkeeping in delivery only: an entry of the first release is retried from its fields and rewritten without them', () => {
        const old: StoredOutboxEntry = { schema_version: 1, id: '0000000000000003', message: MESSAGE, createdAt: NOW, tries: 3, nextAt: NOW + 8n * SEC };
        const taken = take(outboxDeliveryOf(old), NOW + 8n * SEC, OUTBOX_RETRY, OUTBOX_RESEND_AFTER_NS);
        if (taken.kind !== 'Handle') throw new Error('expected Handle');
        const retried = settle(taken.delivery, { kind: 'Failed', retryable: true, reason: 'reject 2: queue full' }, NOW + 8n * SEC, OUTBOX_RETRY);
        if (retried.kind !== 'Retry') throw new Error('expected Retry');
        const rewritten = withOutboxDelivery(old, retried.delivery);
        expect(Object.keys(rewritten).sort()).toEqual(['createdAt', 'delivery', 'id', 'message', 'schema_version']);
        expect(outboxDeliveryOf(rewritten)).toMatchObject({ attempts: 4, first_at: NOW, last_error: 'reject 2: queue full' });
        expect(rewritten.message).toEqual(MESSAGE);
    });
});
