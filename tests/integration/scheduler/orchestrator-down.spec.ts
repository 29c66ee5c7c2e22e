/**
 * Scheduler > orchestrator unavailable: the scheduler keeps firing while the orchestrator is
 * stopped (as it is during its upgrade); the starts wait in the outbox, are retried with
 * backoff, and land after it restarts, exactly once per due time.
 */
import type { PocketIc } from '@dfinity/pic';

import { createPic } from '../support/pic';
import { advanceSeconds, advanceTo, deployWithFakeOrchestrator, NS_PER_SECOND, request, startsOf, unwrap, type SchedulerHarness } from '../support/scheduling';

jest.setTimeout(180_000);

describe('Scheduler > orchestrator unavailable', () => {
    let pic: PocketIc;
    let h: SchedulerHarness;
    beforeAll(async () => {
        pic = await createPic();
        h = await deployWithFakeOrchestrator(pic);
    });
    afterAll(async () => {
        await pic.tearDown();
    });

    it('starts due while the orchestrator is stopped land once after it restarts', async () => {
        const s = unwrap(await h.scheduler.schedule_workflow_execution(request({ Interval: { every_seconds: 60n, start_at: [], end_at: [] } }, { missed_run: { RunOnce: null }, overlap: { Allow: null } })));
        const orchestrator = h.deployment.peers.orchestrator;
        await pic.stopCanister({ canisterId: orchestrator });
        const d0 = s.next_due_at[0]!;
        await advanceTo(pic, d0);
        await advanceTo(pic, d0 + 60n * NS_PER_SECOND);
        for (let i = 0; i < 5; i += 1) await advanceSeconds(pic, 7);

        const details = unwrap(await h.scheduler.get_schedule(s.id));
        expect(details.recent_firings).toHaveLength(2);
        expect(details.recent_firings.every((f) => 'Pending' in f.outcome)).toBe(true);

        await pic.startCanister({ canisterId: orchestrator });
        // Backoff is capped at 60 s: every waiting start has been retried within a minute.
        for (let i = 0; i < 7; i += 1) await advanceSeconds(pic, 10);
        const starts = await startsOf(h.orchestrator, s.id);
        expect(starts.filter((x) => x.due_at <= d0 + 60n * NS_PER_SECOND).map((x) => [x.due_at, x.calls])).toEqual([
            [d0, 1],
            [d0 + 60n * NS_PER_SECOND, 1]
        ]);
        const after = unwrap(await h.scheduler.get_schedule(s.id)).recent_firings;
        expect(after.slice(0, 2).every((f) => 'Started' in f.outcome)).toBe(true);

        // Nothing is sent twice later on either.
        for (let i = 0; i < 3; i += 1) await advanceSeconds(pic, 60);
        expect((await startsOf(h.orchestrator, s.id)).every((x) => x.calls === 1)).toBe(true);
    });
});
