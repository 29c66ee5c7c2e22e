import { IDL } from '@dfinity/candid';
import type { NodeTask } from '../../../../shared/workflow';
import { acceptAttempt, attemptKeyText, cancelScheduled, runnableAttempts, type AttemptRequest, type StoredAttempt } from './attempts';
import { failedCall, newDelivery, settle, take } from '../../../common/outbox/delivery';
import { attemptIndexTimes, retentionDropCount } from './index-times';
import { completeCall, reportDelivered, reportDelivery, reportPending, runDue, withReportDelivery, REPORT_RESEND_AFTER_NS, REPORT_RETRY, deferCall, type TargetCheck } from './run';
import { interpretCallResult } from './reply';

const S = 1_000_000_000n;
const T0 = 1_000n * S;
const call: NodeTask = { kind: 'Call', canister: 'aaaaa-aa', method: 'get_price', args: new Uint8Array([1]), cycles: 0n, reply: { kind: 'Candid', types: '(record { price_e8s: nat64 })' } };
const req = (attempt = 1, dueAt = T0, task: NodeTask = call): AttemptRequest => ({ key: { executionId: 'ex-1', nodeId: 'price', attempt }, dueAt, timeoutMs: 10_000, task, owner: 'owner-1' });
const allowAll: TargetCheck = () => undefined;
const accepted = (r: AttemptRequest): StoredAttempt => acceptAttempt(undefined, r, T0).attempt;

describe('Executor > attempts are idempotent on (execution, node, attempt)', () => {
    it('stores a new attempt as Scheduled and answers the stored one for a repeated key', () => {
        const first = acceptAttempt(undefined, req(), T0);
        expect(first).toMatchObject({ created: true, attempt: { status: 'Scheduled', dueAt: T0 } });
        const done: StoredAttempt = { ...first.attempt, status: 'Succeeded', output: '1' };
        expect(acceptAttempt(done, req(), T0 + S)).toEqual({ attempt: done, created: false });
    });

    it('keys differ per attempt', () => {
        expect(attemptKeyText(req(1).key)).not.toBe(attemptKeyText(req(2).key));
    });
});

describe('Executor > call policy at run time', () => {
    it('fails a call the policy refuses with CallRefused, sends nothing and reports the failure', () => {
        const refuseAll: TargetCheck = () => 'DeflowCanister';
        const r = runDue([accepted(req())], T0, 1, refuseAll);
        expect(r.effects).toEqual([{ kind: 'ReportResult', key: req().key }]);
        expect(r.changed[0]).toMatchObject({ status: 'Failed', error: { kind: 'CallRefused' } });
    });

    it('asks the policy about the call target only, and waits are never refused', () => {
        const asked: string[] = [];
        const check: TargetCheck = (c) => {
            asked.push(c);
            return undefined;
        };
        const r = runDue([accepted(req(1)), accepted(req(2, T0, { kind: 'Wait' }))], T0, 2, check);
        expect(asked).toEqual(['aaaaa-aa']);
        expect(r.effects.map((e) => e.kind).sort()).toEqual(['PerformCall', 'ReportResult']);
    });
});

describe('Executor > calls go out from the owner\'s agent', () => {
    it('names the owner on the call effect', () => {
        expect(runDue([accepted(req())], T0, 1, allowAll).effects).toEqual([expect.objectContaining({ kind: 'PerformCall', owner: 'owner-1' })]);
    });

    it('puts a call whose agent is not ready back to Scheduled, later, unsent and not failed', () => {
        const running = runDue([accepted(req())], T0, 1, allowAll).changed[0];
        const waiting = deferCall(running, T0 + S, 5_000);
        expect(waiting).toMatchObject({ status: 'Scheduled', dueAt: T0 + 6n * S, startedAt: undefined, deadlineAt: undefined });
        expect(runDue([waiting], T0 + 5n * S, 1, allowAll).effects).toEqual([]);
        expect(runDue([waiting], T0 + 6n * S, 1, allowAll).effects).toEqual([expect.objectContaining({ kind: 'PerformCall' })]);
        expect(deferCall({ ...running, status: 'Succeeded' }, T0, 5_000).status).toBe('Succeeded');
    });

    it('refuses a call that names no owner (an orchestrator older than agents): nothing is sent', () => {
        const r = runDue([accepted({ ...req(), owner: undefined })], T0, 1, allowAll);
        expect(r.effects).toEqual([{ kind: 'ReportResult', key: req().key }]);
        expect(r.changed[0]).toMatchObject({ status: 'Failed', error: { kind: 'CallRefused' } });
    });
});

describe('Executor > running attempts', () => {
    it('starts only due attempts, earliest first, bounded by the batch size', () => {
        const xs = [accepted(req(3, T0 + 2n * S)), accepted(req(1, T0)), accepted(req(2, T0 + S)), accepted(req(4, T0 + 10n * S))];
        const r = runDue(xs, T0 + 2n * S, 2, allowAll);
        expect(r.effects).toEqual([expect.objectContaining({ kind: 'PerformCall', key: req(1).key }), expect.objectContaining({ kind: 'PerformCall', key: req(2).key })]);
        expect(r.changed.map((a) => [a.key.attempt, a.status, a.deadlineAt])).toEqual([
            [1, 'Running', T0 + 12n * S],
            [2, 'Running', T0 + 12n * S]
        ]);
    });

    it('a Wait task succeeds with null when due and is reported', () => {
        const r = runDue([accepted(req(1, T0 + 5n * S, { kind: 'Wait' }))], T0 + 5n * S, 10, allowAll);
        expect(r.changed[0]).toMatchObject({ status: 'Succeeded', output: 'null' });
        expect(r.effects).toEqual([{ kind: 'ReportResult', key: req().key }]);
    });

    it('records a decoded reply as JSON output', () => {
        const running = runDue([accepted(req())], T0, 1, allowAll).changed[0];
        const bytes = IDL.encode([IDL.Record({ price_e8s: IDL.Nat64 })], [{ price_e8s: 90n }]);
        const r = completeCall(running, { kind: 'Reply', bytes }, T0 + S);
        expect(r.changed[0]).toMatchObject({ status: 'Succeeded', output: '{"price_e8s":90}', finishedAt: T0 + S });
        expect(r.effects).toEqual([{ kind: 'ReportResult', key: req().key }]);
    });

    it('times out a running attempt and ignores its late reply', () => {
        const running = runDue([accepted(req())], T0, 1, allowAll).changed[0];
        const r = runDue([running], T0 + 10n * S, 1, allowAll);
        expect(r.changed[0]).toMatchObject({ status: 'Failed', error: { kind: 'TimedOut' } });
        expect(completeCall(r.changed[0], { kind: 'Reply', bytes: new Uint8Array() }, T0 + 11n * S)).toEqual({ changed: [], effects: [] });
    });

    it('cancels scheduled attempts of one execution only', () => {
        const other: StoredAttempt = { ...accepted(req()), key: { executionId: 'ex-2', nodeId: 'price', attempt: 1 } };
        const running: StoredAttempt = { ...accepted(req(2)), status: 'Running' };
        const changed = cancelScheduled([accepted(req()), other, running], 'ex-1', T0);
        expect(changed.map((a) => [a.key.executionId, a.key.attempt, a.status])).toEqual([['ex-1', 1, 'Cancelled']]);
    });
});

describe('Executor > result reports (outbox)', () => {
    it('hands a finished result to the reports outbox, backs off with growing delays while the orchestrator is unavailable, stops once delivered', () => {
        const r = runDue([accepted(req(1, T0, { kind: 'Wait' }))], T0, 1, allowAll);
        expect(r.effects).toEqual([{ kind: 'ReportResult', key: req().key }]);
        let a = r.changed[0];
        expect(reportPending(a) && reportDelivery(a).next_at).toBe(T0);
        const delays: bigint[] = [];
        let now = T0;
        for (let i = 0; i < 4; i++) {
            const taken = take(reportDelivery(a), now, REPORT_RETRY, REPORT_RESEND_AFTER_NS);
            if (taken.kind !== 'Handle') throw new Error('expected Handle');
            expect(withReportDelivery(a, taken.delivery).report).toEqual({ kind: 'Pending', delivery: expect.objectContaining({ attempts: i + 1, next_at: now + REPORT_RESEND_AFTER_NS }) });
            const settled = settle(taken.delivery, failedCall({ reject_code: 5, message: 'orchestrator stopped' }), now, REPORT_RETRY);
            if (settled.kind !== 'Retry') throw new Error('expected Retry');
            a = withReportDelivery(a, settled.delivery);
            const next = reportDelivery(a).next_at;
            delays.push(next - now);
            now = next;
        }
        expect(delays).toEqual([S, 2n * S, 4n * S, 8n * S]);
        const delivered = reportDelivered(a, now);
        expect(reportPending(delivered)).toBe(false);
        expect(attemptIndexTimes(delivered)).toEqual({ retention: delivered.finishedAt });
    });

    it("reads a pending report written by the first release (tries, nextAt) as the outbox's bookkeeping", () => {
        const old: StoredAttempt = { ...accepted(req()), status: 'Succeeded', finishedAt: T0, report: { kind: 'Pending', tries: 2, nextAt: T0 + 5n * S } };
        expect(reportDelivery(old)).toEqual({ attempts: 2, next_at: T0 + 5n * S, first_at: T0, taken_at: undefined, traps: 0, last_error: undefined });
    });

    it('keeps the bookkeeping in delivery only: a first-release report is rewritten without tries/nextAt', () => {
        const old: StoredAttempt = { ...accepted(req()), status: 'Succeeded', finishedAt: T0, report: { kind: 'Pending', tries: 2, nextAt: T0 + 5n * S } };
        const taken = take(reportDelivery(old), T0 + 5n * S, REPORT_RETRY, REPORT_RESEND_AFTER_NS);
        if (taken.kind !== 'Handle') throw new Error('expected Handle');
        const rewritten = withReportDelivery(old, taken.delivery);
        expect(Object.keys(rewritten.report).sort()).toEqual(['delivery', 'kind']);
        expect(reportDelivery(rewritten)).toMatchObject({ attempts: 3, next_at: T0 + 5n * S + REPORT_RESEND_AFTER_NS });
        expect(attemptIndexTimes(rewritten)).toEqual({ report: T0 + 5n * S + REPORT_RESEND_AFTER_NS });
    });

    it('indexes a scheduled attempt by due time, a running one by deadline, a pending report by its next send', () => {
        const a = accepted(req(1, T0 + 7n * S));
        const b: StoredAttempt = { ...accepted(req(2)), status: 'Running', deadlineAt: T0 + 3n * S };
        const c: StoredAttempt = { ...accepted(req(3)), status: 'Failed', finishedAt: T0, report: { kind: 'Pending', delivery: newDelivery(T0, T0 + 9n * S) } };
        const firstRelease: StoredAttempt = { ...c, report: { kind: 'Pending', tries: 1, nextAt: T0 + 4n * S } };
        expect([a, b, c, firstRelease, undefined].map(attemptIndexTimes)).toEqual([{ scheduled: T0 + 7n * S }, { running: T0 + 3n * S }, { report: T0 + 9n * S }, { report: T0 + 4n * S }, {}]);
    });
});

describe('Executor > reply interpretation', () => {
    it.each([
        ['transient reject → Unavailable', { kind: 'Reject', code: 2, message: 'stopping' } as const, { kind: 'Unavailable', rejectCode: 2 }],
        ['canister reject → Rejected', { kind: 'Reject', code: 4, message: 'no' } as const, { kind: 'Rejected', rejectCode: 4 }],
        ['trap → Rejected with code 5', { kind: 'Reject', code: 5, message: 'trapped' } as const, { kind: 'Rejected', rejectCode: 5 }],
        ['undecodable reply → InvalidReply', { kind: 'Reply', bytes: new Uint8Array([0]) } as const, { kind: 'InvalidReply' }]
    ])('%s', (_l, result, error) => {
        const r = interpretCallResult({ kind: 'Candid', types: '(nat)' }, result);
        expect(r).toEqual({ ok: false, error: expect.objectContaining(error) });
    });

    it('keeps raw replies as hex text', () => {
        expect(interpretCallResult({ kind: 'Raw' }, { kind: 'Reply', bytes: new Uint8Array([0xde, 0xad]) })).toEqual({ ok: true, output: '"dead"' });
    });
});

describe('Executor > retention', () => {
    it('keeps undelivered and dead-lettered attempts out of retention; delivered and cancelled ones enter it by finish time', () => {
        const done = (report: StoredAttempt['report'], status: StoredAttempt['status'] = 'Succeeded'): StoredAttempt => ({ ...accepted(req()), status, finishedAt: T0, report });
        expect(attemptIndexTimes(done({ kind: 'Delivered', at: T0 }))).toEqual({ retention: T0 });
        expect(attemptIndexTimes(done({ kind: 'NotYet' }, 'Cancelled'))).toEqual({ retention: T0 });
        expect(attemptIndexTimes(done({ kind: 'DeadLettered', at: T0, reason: { kind: 'Refused', error: 'x' } }, 'Failed'))).toEqual({});
    });

    it('drops the expired ones or the excess over the record limit, whichever is more, at most a batch', () => {
        expect(retentionDropCount(3, 12, 10, 500)).toBe(3);
        expect(retentionDropCount(1, 12, 10, 500)).toBe(2);
        expect(retentionDropCount(0, 5, 10, 500)).toBe(0);
        expect(retentionDropCount(0, 20_000, 10_000, 500)).toBe(500);
    });
});

describe('Executor > emergency mode holds attempts, except an emergency workflow\'s', () => {
    const plain = accepted(req(1));
    const critical = accepted({ ...req(2), critical: true });
    const running: StoredAttempt = { ...accepted(req(3)), status: 'Running' };
    it.each<[string, boolean, StoredAttempt[]]>([
        ['normal mode: everything runs', false, [plain, critical, running]],
        ['emergency mode: scheduled attempts wait, critical ones and those already out do not', true, [critical, running]]
    ])('%s', (_label, emergencyMode, expected) => {
        expect(runnableAttempts([plain, critical, running], emergencyMode)).toEqual(expected);
    });

    it('a request without the flag is not critical', () => {
        expect(plain.critical).toBeUndefined();
        expect(critical.critical).toBe(true);
    });
});
