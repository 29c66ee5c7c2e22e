import { Principal } from '@dfinity/principal';

import type { ConditionTrigger } from '../../../../shared/scheduling/condition';
import type { Schedule } from '../../../../shared/scheduling/schedule';
import { AGENT_UPGRADING_RECHECK_SECONDS, evaluateCondition, MIN_CONDITION_INTERVAL_SECONDS, onConditionRead, onReadNotSent, onUnderfundedRead, UNDERFUNDED_RECHECK_SECONDS, validateCondition, type ConditionReply } from './condition';
import { fireDueSchedule, offerRun, type FiringContext } from './fire';
import { createSchedule } from './lifecycle';
import { OWNER } from './test-fixtures';
import { isoNs, seconds } from './time';

const T0 = isoNs('2025-03-10T12:00:00Z');
const ORACLE = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
const trigger = (over: Partial<ConditionTrigger> = {}): ConditionTrigger => ({
    every_seconds: 30n,
    read: { canister: ORACLE, method: 'get_price', args: new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]), reply_types: '(record { price_e8s: nat64 })' },
    path: 'price_e8s',
    op: { Lt: null },
    value: '60000000',
    cooldown_seconds: 0n,
    ...over
});
const ctx = (now: bigint): FiringContext => ({ now, mode: { Normal: null } });
const price = (p: number): ConditionReply => ({ ok: true, value: { price_e8s: p } });

function newTrigger(over: Partial<ConditionTrigger> = {}): Schedule {
    const created = createSchedule({ workflow_id: 'wf-1', owner: OWNER, policies: { missed_run: { RunOnce: null }, overlap: { Allow: null } }, input: 'null', kind: { Condition: trigger(over) } }, 's1', T0);
    if ('Err' in created) throw new Error('invalid');
    return created.Ok;
}

/** Reads the prices in turn, one every 30 s; answers the schedule and the due times that started a run. */
function readAll(schedule: Schedule, prices: number[]): { schedule: Schedule; runs: bigint[] } {
    let s = schedule;
    const runs: bigint[] = [];
    prices.forEach((p, i) => {
        const now = T0 + seconds(30 * (i + 1));
        const fired = fireDueSchedule(s, ctx(now));
        const read = fired.effects.find((e) => e.type === 'ReadCondition');
        if (read?.type !== 'ReadCondition') throw new Error('no read');
        const step = onConditionRead(fired.schedule, read.due_at, price(p), ctx(now), offerRun);
        for (const e of step.effects) if (e.type === 'PutOutbox') runs.push(e.entry.due_at);
        s = step.schedule;
    });
    return { schedule: s, runs };
}

describe('Scheduler > condition triggers', () => {
    it.each<[string, Partial<ConditionTrigger>, string]>([
        ['too frequent', { every_seconds: MIN_CONDITION_INTERVAL_SECONDS - 1n }, 'kind.Condition.every_seconds'],
        ['bad reply types', { read: { ...trigger().read, reply_types: '(record {' } }, 'kind.Condition.read.reply_types'],
        ['no method', { read: { ...trigger().read, method: '' } }, 'kind.Condition.read.method'],
        ['bad path', { path: 'a..b' }, 'kind.Condition.path'],
        ['bad constant', { value: 'sixty' }, 'kind.Condition.value'],
        ['endless cool-down', { cooldown_seconds: 10n ** 9n }, 'kind.Condition.cooldown_seconds']
    ])('%s → InvalidInput on %s', (_name, over, field) => {
        expect(validateCondition(trigger(over))).toEqual({ Err: { InvalidInput: { field, message: expect.any(String) } } });
    });

    it('evaluates integers exactly, also when they arrive as decimal strings', () => {
        expect(evaluateCondition(trigger(), { price_e8s: 59_999_999 })).toEqual({ ok: true, holds: true, value: '59999999' });
        expect(evaluateCondition(trigger({ value: '"18446744073709551615"', op: { Ge: null } }), { price_e8s: '18446744073709551615' })).toMatchObject({ holds: true });
        expect(evaluateCondition(trigger({ op: { Eq: null }, value: '"ok"', path: 'status' }), { status: 'ok' })).toMatchObject({ holds: true });
        expect(evaluateCondition(trigger(), { other: 1 })).toEqual({ ok: false, error: 'reply has no value at price_e8s' });
        expect(evaluateCondition(trigger(), { price_e8s: { nested: 1 } })).toMatchObject({ ok: false });
    });

    it('a due trigger reads (it does not start a run) and moves to the next read time', () => {
        const s = newTrigger();
        expect(s.next_due_at).toEqual([T0 + seconds(30)]);
        const fired = fireDueSchedule(s, ctx(T0 + seconds(30)));
        expect(fired.effects.map((e) => e.type)).toEqual(['ReadCondition']);
        expect(fired.schedule.next_due_at).toEqual([T0 + seconds(60)]);
    });

    it('one crossing starts one run; the trigger re-arms when the condition turns false', () => {
        const { schedule, runs } = readAll(newTrigger(), [90e6, 50e6, 40e6, 45e6, 70e6, 55e6, 50e6]);
        expect(runs).toEqual([T0 + seconds(60), T0 + seconds(180)]);
        expect(schedule.condition[0]).toMatchObject({ armed: false, reads: 7n, read_failures: 0n, last_value: ['50000000'] });
    });

    it('the cool-down keeps crossings closer than it from starting a second run', () => {
        const { runs } = readAll(newTrigger({ cooldown_seconds: 300n }), [50e6, 90e6, 50e6, 90e6, 50e6]);
        expect(runs).toEqual([T0 + seconds(30)]);
    });

    it('a failed read is counted and changes nothing else', () => {
        const s = newTrigger();
        const step = onConditionRead(s, T0 + seconds(30), { ok: false, error: 'reject 5: stopped' }, ctx(T0 + seconds(30)), offerRun);
        expect(step.effects).toEqual([]);
        expect(step.schedule.condition[0]).toMatchObject({ armed: true, reads: 1n, read_failures: 1n, last_error: ['reject 5: stopped'] });
    });

    it('a schedule paused while its read was in flight starts nothing', () => {
        const step = onConditionRead({ ...newTrigger(), paused: true }, T0 + seconds(30), price(1), ctx(T0 + seconds(30)), offerRun);
        expect(step.effects).toEqual([]);
        expect(step.schedule.condition[0]?.armed).toBe(true);
    });
});

describe('Scheduler > condition triggers of an underfunded owner', () => {
    it('records the status, keeps its first time, reads nothing and checks again after the recheck delay', () => {
        const now = T0 + seconds(30);
        const fired = fireDueSchedule(newTrigger(), ctx(now)).schedule;
        const first = onUnderfundedRead(fired, 5n, 200n, now);
        expect(first.effects).toEqual([]);
        expect(first.schedule.condition[0]).toMatchObject({ reads: 0n, read_failures: 0n, armed: true, underfunded: [{ balance: 5n, minimum: 200n, since: now }] });
        expect(first.schedule.next_due_at).toEqual([now + UNDERFUNDED_RECHECK_SECONDS * 1_000_000_000n]);
        const later = now + UNDERFUNDED_RECHECK_SECONDS * 1_000_000_000n;
        expect(onUnderfundedRead(first.schedule, 7n, 200n, later).schedule.condition[0]?.underfunded).toEqual([{ balance: 7n, minimum: 200n, since: now }]);
    });

    it('a trigger that reads slower than the recheck delay keeps its own interval', () => {
        const slow = fireDueSchedule(newTrigger({ every_seconds: 3_600n }), ctx(T0 + seconds(3_600))).schedule;
        expect(onUnderfundedRead(slow, 5n, 200n, T0 + seconds(3_600)).schedule.next_due_at).toEqual(slow.next_due_at);
    });

    it('a read made again (the agent was topped up) ends the status', () => {
        const now = T0 + seconds(30);
        const starved = onUnderfundedRead(fireDueSchedule(newTrigger(), ctx(now)).schedule, 5n, 200n, now).schedule;
        const read = onConditionRead(starved, now, price(90_000_000), ctx(now + seconds(300)), offerRun);
        expect(read.schedule.condition[0]).toMatchObject({ reads: 1n, underfunded: [] });
    });
});

describe('a read not sent because the owner\'s agent is being upgraded', () => {
    it('counts neither a read nor a failure, and reads again soon, however slow the trigger', () => {
        const now = T0 + seconds(3_600);
        const fired = fireDueSchedule(newTrigger({ every_seconds: 3_600n }), ctx(now)).schedule;
        const step = onReadNotSent(fired, now);
        expect(step.effects).toEqual([]);
        expect(step.schedule.condition).toEqual(fired.condition);
        expect(step.schedule.next_due_at).toEqual([now + AGENT_UPGRADING_RECHECK_SECONDS * 1_000_000_000n]);
    });

    it('a trigger due sooner than that keeps its own time; a schedule with no next time stays without', () => {
        const now = T0 + seconds(30);
        const fired = fireDueSchedule(newTrigger({ every_seconds: MIN_CONDITION_INTERVAL_SECONDS }), ctx(now)).schedule;
        expect(onReadNotSent(fired, now + 1n).schedule.next_due_at).toEqual(fired.next_due_at);
        expect(onReadNotSent({ ...fired, next_due_at: [] }, now).schedule.next_due_at).toEqual([]);
    });
});
