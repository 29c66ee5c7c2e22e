import { backoffDelayMs, nextRetryAt, retryPolicyFor, seedFromText } from './retry';
import type { NodeError } from './execution';
import { NO_RETRY, type RecoveryPolicy, type RetryPolicy } from './recovery';

const p = (over: Partial<RetryPolicy> = {}): RetryPolicy => ({ maxRetries: 3, initialDelayMs: 1000, backoffFactor: 2, maxDelayMs: 10_000, jitter: false, ...over });
const NOW = 1_000_000_000_000n;
const ms = (n: number): bigint => BigInt(n) * 1_000_000n;

describe('Retry schedule > nextRetryAt', () => {
    const cases: [string, RetryPolicy, number, ReturnType<typeof nextRetryAt>][] = [
        ['first failure → attempt 2 after initial delay', p(), 1, { kind: 'RetryAt', attempt: 2, delayMs: 1000, dueAt: NOW + ms(1000) }],
        ['second failure doubles', p(), 2, { kind: 'RetryAt', attempt: 3, delayMs: 2000, dueAt: NOW + ms(2000) }],
        ['third failure doubles again', p(), 3, { kind: 'RetryAt', attempt: 4, delayMs: 4000, dueAt: NOW + ms(4000) }],
        ['after max retries → exhausted', p(), 4, { kind: 'Exhausted', attempts: 4 }],
        ['no retries → exhausted at once', p({ maxRetries: 0 }), 1, { kind: 'Exhausted', attempts: 1 }],
        ['capped by max delay', p({ maxRetries: 10, maxDelayMs: 5000 }), 5, { kind: 'RetryAt', attempt: 6, delayMs: 5000, dueAt: NOW + ms(5000) }],
        ['factor 1 is constant', p({ backoffFactor: 1 }), 3, { kind: 'RetryAt', attempt: 4, delayMs: 1000, dueAt: NOW + ms(1000) }],
        ['fractional factor floors', p({ backoffFactor: 1.5 }), 3, { kind: 'RetryAt', attempt: 4, delayMs: 2250, dueAt: NOW + ms(2250) }],
        ['zero initial delay retries immediately', p({ initialDelayMs: 0, maxDelayMs: 0 }), 1, { kind: 'RetryAt', attempt: 2, delayMs: 0, dueAt: NOW }],
        ['huge exponent does not overflow past the cap', p({ maxRetries: 10, backoffFactor: 10, maxDelayMs: 86_400_000 }), 10, { kind: 'RetryAt', attempt: 11, delayMs: 86_400_000, dueAt: NOW + ms(86_400_000) }],
        ['max retries 10 → attempt 11 is the last', p({ maxRetries: 10 }), 11, { kind: 'Exhausted', attempts: 11 }]
    ];
    it.each(cases)('%s', (_label, policy, failed, expected) => {
        expect(nextRetryAt(policy, failed, NOW)).toEqual(expected);
    });
});

describe('Retry schedule > jitter', () => {
    it('stays within [delay/2, delay] and is deterministic for a seed', () => {
        const policy = p({ jitter: true, maxRetries: 10, maxDelayMs: 60_000 });
        for (let attempt = 2; attempt <= 8; attempt++) {
            const plain = backoffDelayMs({ ...policy, jitter: false }, attempt);
            for (const seed of [0, 1, 42, seedFromText('ex-1/price')]) {
                const d = backoffDelayMs(policy, attempt, seed);
                expect(d).toBeGreaterThanOrEqual(Math.floor(plain / 2));
                expect(d).toBeLessThanOrEqual(plain);
                expect(backoffDelayMs(policy, attempt, seed)).toBe(d);
            }
        }
    });

    it('spreads different seeds', () => {
        const policy = p({ jitter: true, initialDelayMs: 10_000, maxDelayMs: 10_000 });
        const values = new Set(Array.from({ length: 20 }, (_, i) => backoffDelayMs(policy, 2, seedFromText(`ex-${i}`))));
        expect(values.size).toBeGreaterThan(10);
    });
});

describe('Retry schedule > policy by error class', () => {
    const fast = p({ maxRetries: 5, initialDelayMs: 10, maxDelayMs: 10 });
    const slow = p({ maxRetries: 1, initialDelayMs: 60_000, maxDelayMs: 60_000 });
    const recovery: RecoveryPolicy = {
        retry: p(),
        fallback: { kind: 'StopExecution' },
        emergencyActions: [],
        retryOn: [
            { errors: [{ kind: 'ErrCase', case: 'InsufficientFunds' }], retry: NO_RETRY },
            { errors: [{ kind: 'ErrCase', case: 'TemporarilyUnavailable' }, { kind: 'RejectCode', code: 2 }], retry: fast },
            { errors: [{ kind: 'Kind', errorKind: 'TimedOut' }], retry: slow },
            { errors: [{ kind: 'Kind', errorKind: 'ReplyErr' }], retry: slow }
        ]
    };
    const replyErr = (detail?: string, kase = 'Err'): NodeError => ({ kind: 'ReplyErr', message: 'x', case: kase, detail });
    it.each<[string, NodeError, RetryPolicy]>([
        ['Err case matched by the inner variant case: no retry', replyErr('InsufficientFunds'), NO_RETRY],
        ['a transient Err case: fast retries', replyErr('TemporarilyUnavailable'), fast],
        ['the same class by reject code', { kind: 'Unavailable', message: 'x', rejectCode: 2 }, fast],
        ['a timeout', { kind: 'TimedOut', message: 'x' }, slow],
        ['first matching rule wins over a later, wider one', replyErr('InsufficientFunds'), NO_RETRY],
        ['any other Err: the ReplyErr kind rule', replyErr('BadFee'), slow],
        ['a named case matched by the reply case itself', replyErr(undefined, 'TemporarilyUnavailable'), fast],
        ['no rule matches: the node default', { kind: 'Rejected', message: 'x', rejectCode: 5 }, p()]
    ])('%s', (_label, error, expected) => {
        expect(retryPolicyFor(recovery, error)).toEqual(expected);
    });

    it('a policy without rules always uses its default', () => {
        expect(retryPolicyFor({ ...recovery, retryOn: undefined }, replyErr('InsufficientFunds'))).toEqual(p());
    });
});
