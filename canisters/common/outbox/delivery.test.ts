import { deliveryFrom, failedCall, newDelivery, settle, take, type Delivery } from './delivery';
import { backoffDelay, isRetryableReject, NS_PER_SECOND, type RetryPolicy } from './retry-policy';

const S = NS_PER_SECOND;
const policy: RetryPolicy = { initial_delay_ns: S, factor: 2, max_delay_ns: 60n * S, max_attempts: 0, give_up_after_ns: 0n, max_traps: 3 };
const RESEND = 120n * S;

describe('Outbox toolkit > retry policy', () => {
    it.each([
        [1, S],
        [2, 2n * S],
        [3, 4n * S],
        [7, 60n * S],
        [50, 60n * S]
    ])('after %i attempts the next waits %p ns', (attempts, delay) => {
        expect(backoffDelay(policy, attempts)).toBe(delay);
    });

    it.each([
        [1, false],
        [2, true],
        [3, false],
        [4, false],
        [5, true],
        [6, true]
    ])('reject code %i retryable: %p', (code, retryable) => {
        expect(isRetryableReject(code)).toBe(retryable);
    });
});

describe('Outbox toolkit > delivery', () => {
    const fresh = newDelivery(100n);

    it('taking counts the attempt, marks it taken and pushes the next try out by the resend delay', () => {
        expect(take(fresh, 100n, policy, RESEND)).toEqual({ kind: 'Handle', delivery: { ...fresh, attempts: 1, taken_at: 100n, next_at: 100n + RESEND } });
    });

    it('an entry still taken when taken again trapped; at max_traps it is dead-lettered', () => {
        let d: Delivery = fresh;
        const seen: string[] = [];
        for (let i = 0; i < 5; i++) {
            const decision = take(d, 100n + BigInt(i) * RESEND, policy, RESEND);
            seen.push(decision.kind);
            if (decision.kind === 'DeadLetter') {
                expect(decision.reason).toEqual({ kind: 'Trapped', handlings: 3 });
                break;
            }
            d = decision.delivery; // no outcome recorded: the handling trapped
        }
        expect(seen).toEqual(['Handle', 'Handle', 'Handle', 'DeadLetter']);
    });

    it('a recorded outcome clears the trap count', () => {
        const taken = take({ ...fresh, traps: 2 }, 100n, policy, RESEND);
        if (taken.kind !== 'Handle') throw new Error('expected Handle');
        const retried = settle(taken.delivery, { kind: 'Failed', retryable: true, reason: 'reject 5: stopped' }, 200n, policy);
        expect(retried).toEqual({ kind: 'Retry', delivery: { ...taken.delivery, taken_at: undefined, traps: 0, last_error: 'reject 5: stopped', next_at: 200n + S } });
    });

    it.each([
        ['done', { kind: 'Done' as const }, policy, { kind: 'Done' }],
        ['refused', { kind: 'Failed' as const, retryable: false, reason: 'reject 3: no such canister' }, policy, { kind: 'DeadLetter', reason: { kind: 'Refused', error: 'reject 3: no such canister' } }],
        ['out of attempts', { kind: 'Failed' as const, retryable: true, reason: 'reject 2: busy' }, { ...policy, max_attempts: 4 }, { kind: 'DeadLetter', reason: { kind: 'GaveUp', attempts: 4, last_error: 'reject 2: busy' } }],
        ['too old', { kind: 'Failed' as const, retryable: true, reason: 'reject 5: stopped' }, { ...policy, give_up_after_ns: 50n }, { kind: 'DeadLetter', reason: { kind: 'GaveUp', attempts: 4, last_error: 'reject 5: stopped' } }]
    ])('settle: %s', (_name, outcome, p, expected) => {
        expect(settle({ ...fresh, attempts: 4, taken_at: 140n }, outcome, 150n, p)).toEqual(expected);
    });

    it('retries back off with the attempts made', () => {
        const r = settle({ ...fresh, attempts: 3, taken_at: 140n }, { kind: 'Failed', retryable: true, reason: 'x' }, 150n, policy);
        expect(r.kind === 'Retry' && r.delivery.next_at).toBe(150n + 4n * S);
    });

    it('failedCall applies the one reject rule', () => {
        expect(failedCall({ reject_code: 5, message: 'stopped' })).toEqual({ kind: 'Failed', retryable: true, reason: 'reject 5: stopped' });
        expect(failedCall({ reject_code: 4, message: 'no' })).toEqual({ kind: 'Failed', retryable: false, reason: 'reject 4: no' });
    });

    it('a record written by the previous release reads with defaults', () => {
        expect(deliveryFrom({ attempts: 2, next_at: 9n }, 1n)).toEqual({ attempts: 2, next_at: 9n, first_at: 1n, taken_at: undefined, traps: 0, last_error: undefined });
    });
});
