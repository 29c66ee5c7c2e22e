/**
 * Scheduler > missed runs and overlap: after a long stop and an upgrade each schedule follows
 * its missed-run policy; runs that fall due while an earlier one is still executing follow
 * the overlap policy.
 */
import { encodeDeploymentArg } from '../../../shared/common/deployment';
import type { MissedRunPolicy, OverlapPolicy, Schedule } from '../../../shared/scheduling/schedule';
import { deflowWasm } from '../support/deflow';
import { advanceTo, NS_PER_SECOND, request, startsOf, unwrap, type SchedulerHarness, useSchedulerHarness } from '../support/scheduling';

jest.setTimeout(240_000);
const MINUTE = 60n * NS_PER_SECOND;

function interval(h: SchedulerHarness, missed: MissedRunPolicy, overlap: OverlapPolicy, everySeconds = 60n): Promise<Schedule> {
    return h.scheduler.schedule_workflow_execution(request({ Interval: { every_seconds: everySeconds, start_at: [], end_at: [] } }, { missed_run: missed, overlap })).then(unwrap);
}

describe('Scheduler > missed runs', () => {
    const env = useSchedulerHarness();

    it('after ten minutes stopped and an upgrade: Skip fires nothing, RunOnce once, RunAll its cap', async () => {
        const FIVE = 5n * MINUTE;
        const skip = await interval(env.h, { Skip: null }, { Allow: null }, 300n);
        const once = await interval(env.h, { RunOnce: null }, { Allow: null }, 300n);
        const all = await interval(env.h, { RunAll: { cap: 2 } }, { Allow: null }, 300n);
        const scheduler = env.h.deployment.peers.scheduler;
        await env.pic.stopCanister({ canisterId: scheduler });
        // Due times d0, d0+5 min, d0+10 min pass while stopped; the newest is 90 s late (grace 60 s): missed.
        const d0 = skip.next_due_at[0]!;
        await env.pic.setTime(Number((d0 + 10n * MINUTE + 90n * NS_PER_SECOND) / 1_000_000n));
        await env.pic.tick();
        await env.pic.upgradeCanister({ canisterId: scheduler, wasm: deflowWasm('scheduler'), arg: encodeDeploymentArg(null) });
        await env.pic.startCanister({ canisterId: scheduler });
        await env.pic.tick(3);

        expect(await startsOf(env.h.orchestrator, skip.id)).toHaveLength(0);
        const onceStarts = await startsOf(env.h.orchestrator, once.id);
        expect(onceStarts.map((s) => s.due_at)).toEqual([once.next_due_at[0]! + 2n * FIVE]);
        const allStarts = await startsOf(env.h.orchestrator, all.id);
        const a0 = all.next_due_at[0]!;
        expect(allStarts.map((s) => s.due_at)).toEqual([a0 + FIVE, a0 + 2n * FIVE]);

        const skipped = unwrap(await env.h.scheduler.get_schedule(skip.id)).recent_firings;
        expect(skipped).toEqual([expect.objectContaining({ due_at: d0, outcome: { Skipped: { reason: { MissedRunPolicy: null }, runs: 3n } } })]);
        // The grid does not drift: the next due time is still on it.
        const next = unwrap(await env.h.scheduler.get_schedule(skip.id)).schedule.next_due_at[0]!;
        expect((next - d0) % FIVE).toBe(0n);
        await advanceTo(env.pic, next);
        expect(await startsOf(env.h.orchestrator, skip.id)).toHaveLength(1);
    });
});

describe('Scheduler > overlap', () => {
    const env = useSchedulerHarness();

    it('Skip drops, BufferOne keeps the newest until the run finishes, Allow overlaps', async () => {
        const skip = await interval(env.h, { Skip: null }, { Skip: null });
        const buffer = await interval(env.h, { Skip: null }, { BufferOne: null });
        const allow = await interval(env.h, { Skip: null }, { Allow: null });
        const d0 = skip.next_due_at[0]!;
        for (let k = 0n; k < 3n; k += 1n) await advanceTo(env.pic, d0 + k * MINUTE);

        expect(await startsOf(env.h.orchestrator, skip.id)).toHaveLength(1);
        expect(await startsOf(env.h.orchestrator, buffer.id)).toHaveLength(1);
        expect(await startsOf(env.h.orchestrator, allow.id)).toHaveLength(3);
        const skipFirings = unwrap(await env.h.scheduler.get_schedule(skip.id)).recent_firings;
        expect(skipFirings.slice(1).map((f) => f.outcome)).toEqual([{ Skipped: { reason: { Overlap: null }, runs: 1n } }, { Skipped: { reason: { Overlap: null }, runs: 1n } }]);
        const buffered = unwrap(await env.h.scheduler.get_schedule(buffer.id));
        expect(buffered.schedule.buffered_due_at).toEqual([buffer.next_due_at[0]! + 2n * MINUTE]);

        // The first run of the BufferOne schedule finishes: the held-back run starts at once.
        const [first] = await startsOf(env.h.orchestrator, buffer.id);
        unwrap(await env.h.orchestrator.finish(first!.key));
        await env.pic.tick(2);
        const bufferStarts = await startsOf(env.h.orchestrator, buffer.id);
        expect(bufferStarts.map((s) => s.due_at)).toEqual([buffer.next_due_at[0]!, buffer.next_due_at[0]! + 2n * MINUTE]);
        expect(bufferStarts.every((s) => s.calls === 1)).toBe(true);
    });
});
