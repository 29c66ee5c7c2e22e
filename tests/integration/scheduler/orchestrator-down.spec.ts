/**
 * Scheduler > orchestrator unavailable: the scheduler keeps firing while the orchestrator is
 * stopped (as it is during its upgrade); the starts wait in the outbox, are retried with
 * backoff, and land after it restarts, exactly once per due time.
 */
import { advanceSeconds, advanceTo, NS_PER_SECOND, request, startsOf, unwrap, useSchedulerHarness } from '../support/scheduling';

jest.setTimeout(180_000);

describe('Scheduler > orchestrator unavailable', () => {
    const env = useSchedulerHarness();

    it('starts due while the orchestrator is stopped land once after it restarts', async () => {
        const s = unwrap(await env.h.scheduler.schedule_workflow_execution(request({ Interval: { every_seconds: 60n, start_at: [], end_at: [] } }, { missed_run: { RunOnce: null }, overlap: { Allow: null } })));
        const orchestrator = env.h.deployment.peers.orchestrator;
        await env.pic.stopCanister({ canisterId: orchestrator });
        const d0 = s.next_due_at[0]!;
        await advanceTo(env.pic, d0);
        await advanceTo(env.pic, d0 + 60n * NS_PER_SECOND);
        for (let i = 0; i < 5; i += 1) await advanceSeconds(env.pic, 7);

        const details = unwrap(await env.h.scheduler.get_schedule(s.id));
        expect(details.recent_firings).toHaveLength(2);
        expect(details.recent_firings.every((f) => 'Pending' in f.outcome)).toBe(true);

        await env.pic.startCanister({ canisterId: orchestrator });
        // Backoff is capped at 60 s: every waiting start has been retried within a minute.
        for (let i = 0; i < 7; i += 1) await advanceSeconds(env.pic, 10);
        const starts = await startsOf(env.h.orchestrator, s.id);
        expect(starts.filter((x) => x.due_at <= d0 + 60n * NS_PER_SECOND).map((x) => [x.due_at, x.calls])).toEqual([
            [d0, 1],
            [d0 + 60n * NS_PER_SECOND, 1]
        ]);
        const after = unwrap(await env.h.scheduler.get_schedule(s.id)).recent_firings;
        expect(after.slice(0, 2).every((f) => 'Started' in f.outcome)).toBe(true);

        // Nothing is sent twice later on either.
        for (let i = 0; i < 3; i += 1) await advanceSeconds(env.pic, 60);
        expect((await startsOf(env.h.orchestrator, s.id)).every((x) => x.calls === 1)).toBe(true);
    });
});
