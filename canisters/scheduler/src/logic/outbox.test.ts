import { DEFAULT_POLICIES } from '../../../../shared/scheduling/schedule';
import type { CallOutcome } from '../../../common/outbox/retry-policy';
import { IcModel } from '../../../common/testing/ic-model';
import { OutboxRunner } from '../../../common/outbox/runner';
import type { DeadLetterReason } from '../../../common/outbox/delivery';
import { OWNER, makeSchedule } from './test-fixtures';
import { DEFAULT_RETRY_POLICY, deadLetteredOutcome, idempotencyKey, newOutboxEntry, START_BATCH, START_RESEND_AFTER_NS, startHandling, startRequestOf, type StartReply, type StartSettlement } from './outbox';
import { dueIndexKey } from './due-index';
import { deliveryOfStart, startOutboxStore, type StoredStart } from './start-outbox';
import { hours, isoNs, seconds } from './time';

const NOW = isoNs('2025-03-10T12:00:00Z');
const schedule = makeSchedule({ Once: { at: NOW } }, { created_at: NOW, next_due_at: NOW }, DEFAULT_POLICIES);

/** The scheduler's real start store on the IC model, driven by the real outbox runner. */
function schedulerOutbox(reply: (e: StoredStart) => CallOutcome<StartReply>) {
    const ic = new IcModel(NOW);
    const map = ic.map<{ schema_version: number; value: StoredStart }>();
    const index = ic.map<null>();
    const retryIndex = { keys: (start: number, length: number) => [...index.keys()].sort().slice(start, start + length), insert: (k: string) => index.set(k, null), remove: (k: string) => index.delete(k) };
    const outbox = { get: (k: string) => map.get(k), insert: (k: string, v: { schema_version: number; value: StoredStart }) => map.set(k, v), remove: (k: string) => map.delete(k) };
    const deadLetters = ic.deadLetters();
    const store = startOutboxStore(outbox, retryIndex, deadLetters);
    const settled: string[] = [];
    const dead: [string, DeadLetterReason][] = [];
    const runner = new OutboxRunner<StoredStart, StartSettlement>(
        {
            store,
            handle: (e) => startHandling(e, reply(e)),
            onDone: (e, s) => void (s !== undefined && settled.push(`${e.key}:${Object.keys(s.outcome)[0]}`)),
            onDeadLetter: (e, reason) => void dead.push([e.key, reason]),
            policyOf: () => DEFAULT_RETRY_POLICY,
            batch: START_BATCH,
            resendAfterNs: START_RESEND_AFTER_NS,
            now: () => ic.now
        },
        ic.scheduling
    );
    const enqueue = (dueAt: bigint): StoredStart => {
        const entry = newOutboxEntry(schedule, dueAt, ic.now);
        store.put(entry);
        runner.arm();
        return entry;
    };
    return { ic, store, runner, map, index, deadLetters, settled, dead, enqueue, drain: () => runner.drain() };
}

const started: CallOutcome<StartReply> = { kind: 'Replied', value: { Ok: { execution_id: 'e1' } } };

describe('Scheduler > start outbox', () => {
    it('keys a run by schedule and due time; a new entry is due now, no attempt made yet', () => {
        expect(idempotencyKey('s1', 100n)).toBe('s1:100');
        expect(newOutboxEntry(schedule, NOW, NOW)).toMatchObject({ key: `s1:${NOW}`, owner: OWNER, delivery: { attempts: 0, next_at: NOW } });
    });

    it.each<[string, CallOutcome<StartReply>, string]>([
        ['started', started, 'Done:Started'],
        ['refused: workflow gone', { kind: 'Replied', value: { Err: { NotFound: { entity: 'workflow', id: 'wf-1' } } } }, 'Done:Failed'],
        ['orchestrator in emergency mode', { kind: 'Replied', value: { Err: { EmergencyMode: { message: 'on' } } } }, 'Done:Skipped'],
        ['orchestrator says unavailable', { kind: 'Replied', value: { Err: { Unavailable: { message: 'migrating' } } } }, 'Retry'],
        ['stopped (reject 5)', { kind: 'Rejected', reject_code: 5, message: 'IC0508: canister is stopped' }, 'Retry'],
        ['transient (reject 2)', { kind: 'Rejected', reject_code: 2, message: 'queue full' }, 'Retry'],
        ['unknown (reject 6)', { kind: 'Rejected', reject_code: 6, message: 'timeout' }, 'Retry'],
        ['destination invalid (reject 3)', { kind: 'Rejected', reject_code: 3, message: 'no such canister' }, 'DeadLetter'],
        ['canister reject (4)', { kind: 'Rejected', reject_code: 4, message: 'rejected' }, 'DeadLetter']
    ])('%s', (_name, reply, expected) => {
        const h = startHandling(newOutboxEntry(schedule, NOW, NOW), reply);
        const kind = h.kind === 'Done' ? `Done:${Object.keys(h.value!.outcome)[0]}` : h.retryable ? 'Retry' : 'DeadLetter';
        expect(kind).toBe(expected);
    });

    it('reads an entry stored before the shared outbox (no delivery record) from its own fields', () => {
        const old = { ...newOutboxEntry(schedule, NOW, NOW), attempts: 2, next_attempt_at: NOW + seconds(2), last_error: ['reject 5: stopped'] as [string], delivery: undefined };
        expect(deliveryOfStart(old)).toEqual({ attempts: 2, next_at: NOW + seconds(2), first_at: NOW, taken_at: undefined, traps: 0, last_error: 'reject 5: stopped' });
    });

    it('keeps the bookkeeping in delivery only: a start stored before the shared outbox is retried from its fields and rewritten without them', async () => {
        const o = schedulerOutbox(() => ({ kind: 'Rejected', reject_code: 2, message: 'queue full' }));
        const { delivery: _none, ...fields } = newOutboxEntry(schedule, NOW, NOW);
        o.store.put({ ...fields, attempts: 2, next_attempt_at: NOW, last_error: ['reject 5: stopped'] });
        o.runner.arm();
        await o.ic.round(o.drain, NOW);
        const stored = o.map.get(fields.key)!.value;
        expect(Object.keys(stored).sort()).toEqual(['delivery', 'due_at', 'enqueued_at', 'input', 'key', 'owner', 'schedule_id', 'workflow_id']);
        expect(stored.delivery).toMatchObject({ attempts: 3, last_error: 'reject 2: queue full' });
        // The retry index holds the entry once, at its delivery's next attempt.
        expect([...o.index.keys()]).toEqual([dueIndexKey(stored.delivery!.next_at, fields.key)]);
    });

    it('retries with backoff, counting each attempt under the same key, until the orchestrator answers', async () => {
        const sent: { attempt: number; key: string; at: bigint }[] = [];
        const o = schedulerOutbox((e) => {
            sent.push({ attempt: startRequestOf(e).attempt, key: e.key, at: o.ic.now });
            return sent.length < 4 ? { kind: 'Rejected', reject_code: 5, message: 'stopped' } : started;
        });
        const entry = o.enqueue(NOW);
        await o.ic.runUntil(o.drain, NOW + seconds(60));
        expect(sent.map((s) => s.attempt)).toEqual([1, 2, 3, 4]);
        expect(new Set(sent.map((s) => s.key))).toEqual(new Set([entry.key]));
        expect(sent.map((s) => (s.at - NOW) / seconds(1))).toEqual([0n, 1n, 3n, 7n]);
        expect(o.settled).toEqual([`${entry.key}:Started`]);
        expect(o.store.get(entry.key)).toBeUndefined();
    });

    it('gives up after 24 h: dead-lettered (GaveUp), its firing failed', async () => {
        const o = schedulerOutbox(() => ({ kind: 'Rejected', reject_code: 5, message: 'stopped' }));
        const entry = o.enqueue(NOW);
        await o.ic.runUntil(o.drain, NOW + hours(25), 10_000);
        expect(o.dead).toEqual([[entry.key, expect.objectContaining({ kind: 'GaveUp', last_error: 'reject 5: stopped' })]]);
        expect(deadLetteredOutcome(entry, o.dead[0]![1])).toMatchObject({ Failed: { failure: { Unreachable: { message: expect.stringContaining('given up') } } } });
        expect(o.deadLetters.list()).toHaveLength(1);
    });

    it('a start that traps every time is dead-lettered after max_traps handlings; the starts behind it are delivered', async () => {
        const poisonKey = idempotencyKey(schedule.id, NOW);
        const o = schedulerOutbox((e) => {
            if (e.key === poisonKey) throw new Error('poison');
            return started;
        });
        o.enqueue(NOW);
        const others = [o.enqueue(NOW + 1n), o.enqueue(NOW + 2n)];
        await o.ic.runUntil(o.drain, NOW + 10n * START_RESEND_AFTER_NS);
        expect(o.settled.sort()).toEqual(others.map((e) => `${e.key}:Started`).sort());
        expect(o.ic.traps).toHaveLength(DEFAULT_RETRY_POLICY.max_traps);
        expect(o.dead).toEqual([[poisonKey, { kind: 'Trapped', handlings: DEFAULT_RETRY_POLICY.max_traps }]]);
        expect(o.deadLetters.list()).toEqual([expect.objectContaining({ what: expect.stringContaining(poisonKey), reason: { kind: 'Trapped', handlings: 3 } })]);
        expect(o.store.nextAt()).toBeUndefined();
    });

    it('a reply that comes after its start was dead-lettered does not settle the firing again', async () => {
        let calls = 0;
        const o = schedulerOutbox(() => {
            calls += 1;
            if (calls === 1) {
                // While this call is out, the outbox's timer takes the entry again until it is dead-lettered (Trapped).
                for (let i = 0; i < DEFAULT_RETRY_POLICY.max_traps; i += 1) {
                    o.ic.now += START_RESEND_AFTER_NS;
                    o.drain();
                }
            }
            return started;
        });
        const entry = o.enqueue(NOW);
        await o.ic.runUntil(o.drain, NOW + 10n * START_RESEND_AFTER_NS);
        expect(o.dead).toEqual([[entry.key, { kind: 'Trapped', handlings: DEFAULT_RETRY_POLICY.max_traps }]]);
        expect(o.settled).toEqual([]);
        expect(o.store.get(entry.key)).toBeUndefined();
    });
});
