/**
 * Scheduler > firing: interval and cron schedules fire on time (lateness at most one round)
 * through the ONE global timer, and each due time starts exactly one execution.
 */
import { encodeDeploymentArg } from '../../../shared/common/deployment';
import { deflowWasm } from '../support/deflow';
import { advanceSeconds, advanceTo, NS_PER_SECOND, request, startsOf, unwrap, useSchedulerHarness } from '../support/scheduling';

jest.setTimeout(180_000);

describe('Scheduler > firing', () => {
    const env = useSchedulerHarness();

    it('an interval schedule fires every period, on time, once per due time', async () => {
        // Allow: runs never finish here (the fake orchestrator does not report), and overlap is tested elsewhere.
        const s = unwrap(await env.h.scheduler.schedule_workflow_execution(request({ Interval: { every_seconds: 60n, start_at: [], end_at: [] } }, { missed_run: { RunOnce: null }, overlap: { Allow: null } })));
        const first = s.next_due_at[0]!;
        expect(first).toBe(s.created_at + 60n * NS_PER_SECOND);
        for (let k = 0n; k < 3n; k += 1n) {
            const due = first + k * 60n * NS_PER_SECOND;
            await advanceTo(env.pic, due - NS_PER_SECOND);
            expect((await startsOf(env.h.orchestrator, s.id)).length).toBe(Number(k));
            await advanceTo(env.pic, due);
        }
        const starts = await startsOf(env.h.orchestrator, s.id);
        expect(starts.map((x) => x.due_at)).toEqual([first, first + 60n * NS_PER_SECOND, first + 120n * NS_PER_SECOND]);
        expect(starts.every((x) => x.calls === 1)).toBe(true);
        const details = unwrap(await env.h.scheduler.get_schedule(s.id));
        expect(details.recent_firings).toHaveLength(3);
        for (const f of details.recent_firings) {
            expect('Started' in f.outcome).toBe(true);
            // The timer fires in the first round whose time reaches the due time (ms-rounded here).
            expect(f.lateness_ns).toBeLessThan(1_000_000n);
        }
        unwrap(await env.h.scheduler.cancel_persistent_execution(s.id));
    });

    it('fires on time after an upgrade: post_upgrade re-arms the timer from stable state, nothing else wakes it', async () => {
        const s = unwrap(await env.h.scheduler.schedule_workflow_execution(request({ Interval: { every_seconds: 300n, start_at: [], end_at: [] } }, { missed_run: { RunOnce: null }, overlap: { Allow: null } })));
        const first = s.next_due_at[0]!;
        await advanceTo(env.pic, first);
        expect(await startsOf(env.h.orchestrator, s.id)).toHaveLength(1);
        // Upgraded the way dfx does it; no call reaches the scheduler afterwards, so only its own timer can fire the next run.
        const scheduler = env.h.deployment.peers.scheduler;
        await env.pic.stopCanister({ canisterId: scheduler });
        await env.pic.upgradeCanister({ canisterId: scheduler, wasm: deflowWasm('scheduler'), arg: encodeDeploymentArg(null) });
        await env.pic.startCanister({ canisterId: scheduler });
        const second = first + 300n * NS_PER_SECOND;
        await advanceTo(env.pic, second);
        expect((await startsOf(env.h.orchestrator, s.id)).map((x) => x.due_at)).toEqual([first, second]);
        const [, late] = unwrap(await env.h.scheduler.get_schedule(s.id)).recent_firings;
        expect(late?.lateness_ns).toBeLessThan(1_000_000n);
        unwrap(await env.h.scheduler.cancel_persistent_execution(s.id));
    });

    it('a cron schedule fires at its UTC minute', async () => {
        const s = unwrap(await env.h.scheduler.schedule_workflow_execution(request({ Cron: { expression: '*/5 * * * *' } })));
        const due = s.next_due_at[0]!;
        expect(due % (300n * NS_PER_SECOND)).toBe(0n);
        await advanceTo(env.pic, due - NS_PER_SECOND);
        expect(await startsOf(env.h.orchestrator, s.id)).toHaveLength(0);
        await advanceTo(env.pic, due);
        const [start] = await startsOf(env.h.orchestrator, s.id);
        expect(start?.due_at).toBe(due);
        expect(start!.first_at - due).toBeLessThan(1_000_000n);
        const next = unwrap(await env.h.scheduler.get_schedule(s.id)).schedule.next_due_at[0];
        expect(next).toBe(due + 300n * NS_PER_SECOND);
        unwrap(await env.h.scheduler.cancel_persistent_execution(s.id));
    });

    it('a once schedule fires once and ends', async () => {
        const now = BigInt(await env.pic.getTime()) * 1_000_000n;
        const at = now + 30n * NS_PER_SECOND;
        const s = unwrap(await env.h.scheduler.schedule_workflow_execution(request({ Once: { at } })));
        await advanceSeconds(env.pic, 31);
        await advanceSeconds(env.pic, 600);
        expect(await startsOf(env.h.orchestrator, s.id)).toHaveLength(1);
        expect(unwrap(await env.h.scheduler.get_schedule(s.id)).schedule.next_due_at).toEqual([]);
    });

    it('bad input is a typed error, never a trap', async () => {
        const bad = await env.h.scheduler.schedule_workflow_execution(request({ Cron: { expression: '61 * * * *' } }));
        expect(bad).toEqual({ Err: { InvalidInput: { field: 'kind.Cron.expression', message: expect.any(String) } } });
        const zero = await env.h.scheduler.schedule_workflow_execution(request({ Interval: { every_seconds: 0n, start_at: [], end_at: [] } }));
        expect(zero).toEqual({ Err: { InvalidInput: { field: 'kind.Interval.every_seconds', message: expect.any(String) } } });
        expect(await env.h.scheduler.get_schedule('nope')).toEqual({ Err: { NotFound: { entity: 'schedule', id: 'nope' } } });
    });
});
