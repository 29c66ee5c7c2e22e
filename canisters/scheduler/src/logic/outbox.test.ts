import { DEFAULT_POLICIES } from '../../../../shared/scheduling/schedule';
import type { RetryPolicy } from '../../../common/outbox/retry-policy';
import { OWNER, makeSchedule } from './test-fixtures';
import { applyStartOutcome, backoffDelay, beginRetry, DEFAULT_RETRY_POLICY, idempotencyKey, newOutboxEntry, type StartOutcome } from './outbox';
import { hours, isoNs, seconds } from './time';

const NOW = isoNs('2025-03-10T12:00:00Z');
const schedule = makeSchedule({ Once: { at: NOW } }, { created_at: NOW, next_due_at: NOW }, DEFAULT_POLICIES);

describe('Scheduler > outbox', () => {
    it('keys a run by schedule and due time', () => {
        expect(idempotencyKey('s1', 100n)).toBe('s1:100');
        const entry = newOutboxEntry(schedule, NOW, NOW);
        expect(entry).toMatchObject({ key: `s1:${NOW}`, attempts: 1, next_attempt_at: NOW + seconds(1), owner: OWNER });
    });

    it.each([
        [1, seconds(1)],
        [2, seconds(2)],
        [3, seconds(4)],
        [6, seconds(32)],
        [7, seconds(60)],
        [50, seconds(60)]
    ])('backoff after %i attempts is %s ns', (attempts, delay) => {
        expect(backoffDelay(DEFAULT_RETRY_POLICY, attempts)).toBe(delay);
    });

    describe('outcomes', () => {
        const entry = { ...newOutboxEntry(schedule, NOW, NOW), attempts: 3 };
        const later = NOW + seconds(10);
        it.each<[string, StartOutcome, string]>([
            ['started', { kind: 'Replied', result: { Ok: { execution_id: 'e1' } } }, 'Settled:Started'],
            ['refused: workflow gone', { kind: 'Replied', result: { Err: { NotFound: { entity: 'workflow', id: 'wf-1' } } } }, 'Settled:Failed'],
            ['orchestrator in emergency mode', { kind: 'Replied', result: { Err: { EmergencyMode: { message: 'on' } } } }, 'Settled:Skipped'],
            ['orchestrator says unavailable', { kind: 'Replied', result: { Err: { Unavailable: { message: 'migrating' } } } }, 'Retry'],
            ['stopped (reject 5)', { kind: 'Rejected', reject_code: 5, message: 'IC0508: canister is stopped' }, 'Retry'],
            ['transient (reject 2)', { kind: 'Rejected', reject_code: 2, message: 'queue full' }, 'Retry'],
            ['unknown (reject 6)', { kind: 'Rejected', reject_code: 6, message: 'timeout' }, 'Retry'],
            ['destination invalid (reject 3)', { kind: 'Rejected', reject_code: 3, message: 'no such canister' }, 'Settled:Failed'],
            ['canister reject (4)', { kind: 'Rejected', reject_code: 4, message: 'rejected' }, 'Settled:Failed']
        ])('%s', (_name, outcome, expected) => {
            const d = applyStartOutcome(entry, outcome, later);
            expect(d.kind === 'Retry' ? 'Retry' : `Settled:${Object.keys(d.outcome)[0]}`).toBe(expected);
            if (d.kind === 'Retry') {
                expect(d.entry.next_attempt_at).toBe(later + seconds(4));
                expect(d.entry.last_error.length).toBe(1);
                expect(d.entry.attempts).toBe(3);
            }
        });

        it('gives up after max_attempts', () => {
            const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, max_attempts: 3 };
            const d = applyStartOutcome(entry, { kind: 'Rejected', reject_code: 5, message: 'stopped' }, later, policy);
            expect(d).toEqual({ kind: 'Settled', outcome: { Failed: { attempts: 3, failure: { Unreachable: { reject_code: 5, message: 'stopped' } } } } });
        });

        it('gives up once older than give_up_after_ns', () => {
            const d = applyStartOutcome(entry, { kind: 'Rejected', reject_code: 5, message: 'stopped' }, NOW + hours(24));
            expect(d.kind).toBe('Settled');
            const fresh = applyStartOutcome(entry, { kind: 'Rejected', reject_code: 5, message: 'stopped' }, NOW + hours(24) - 1n);
            expect(fresh.kind).toBe('Retry');
        });
    });

    it('counts the attempt before a retry is sent, same idempotency key', () => {
        const entry = newOutboxEntry(schedule, NOW, NOW);
        const { entry: next, request } = beginRetry(entry, NOW + seconds(1));
        expect(next.attempts).toBe(2);
        expect(next.next_attempt_at).toBe(NOW + seconds(1) + seconds(2));
        expect(request).toMatchObject({ idempotency_key: entry.key, attempt: 2, due_at: NOW });
    });
});
