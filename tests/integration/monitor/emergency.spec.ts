/**
 * Monitor > emergency mode: only admins and controllers toggle it; enabling stops scheduled
 * work across the canisters (firings record Skipped { EmergencyMode }, the orchestrator gets
 * the state pushed), disabling resumes it; a peer that was stopped converges after restart.
 */
import type { Actor, PocketIc } from '@dfinity/pic';

import { identities, monitorActor, type MonitorService } from '../support/monitoring';
import { createPic } from '../support/pic';
import { advanceSeconds, advanceTo, deployWithFakeOrchestrator, request, startsOf, unwrap, type SchedulerHarness } from '../support/scheduling';

jest.setTimeout(240_000);

describe('Monitor > emergency mode', () => {
    let pic: PocketIc;
    let h: SchedulerHarness;
    let asAdmin: Actor<MonitorService>;
    let asStranger: Actor<MonitorService>;
    const { admin, stranger } = identities();

    beforeAll(async () => {
        pic = await createPic();
        h = await deployWithFakeOrchestrator(pic, { admins: [admin.getPrincipal()] });
        asAdmin = monitorActor(pic, h.deployment, admin);
        asStranger = monitorActor(pic, h.deployment, stranger);
    });
    afterAll(async () => {
        await pic.tearDown();
    });

    describe('as a stranger', () => {
        it('cannot enable or disable it', async () => {
            const denied = { Err: { Unauthorized: { caller: stranger.getPrincipal() } } };
            expect(await asStranger.enable_emergency_mode({ mode: { Emergency: null }, reason: 'prank' })).toEqual(denied);
            expect(await asStranger.disable_emergency_mode({ reason: 'prank' })).toEqual(denied);
            expect((await asStranger.get_system_health()).emergency.mode).toEqual({ Normal: null });
        });
    });

    describe('as an admin', () => {
        it('rejects an empty reason with a typed error', async () => {
            expect(await asAdmin.enable_emergency_mode({ mode: { Emergency: null }, reason: '  ' })).toEqual({ Err: { InvalidInput: { field: 'reason', message: expect.any(String) } } });
        });

        it('stops scheduled work everywhere, and disabling resumes it', async () => {
            const s = unwrap(await h.scheduler.schedule_workflow_execution(request({ Interval: { every_seconds: 60n, start_at: [], end_at: [] } }, { missed_run: { Skip: null }, overlap: { Allow: null } })));
            const d0 = s.next_due_at[0]!;
            const on = unwrap(await asAdmin.enable_emergency_mode({ mode: { Emergency: null }, reason: 'oracle compromised' }));
            expect(on.mode).toEqual({ Emergency: null });
            await pic.tick(2);
            expect((await h.orchestrator.emergency_pushes()).at(-1)?.mode).toEqual({ Emergency: null });
            expect((await asAdmin.get_system_health()).status).toEqual({ Critical: null });

            await advanceTo(pic, d0);
            expect(await startsOf(h.orchestrator, s.id)).toHaveLength(0);
            expect(unwrap(await h.scheduler.get_schedule(s.id)).recent_firings.map((f) => f.outcome)).toEqual([{ Skipped: { reason: { EmergencyMode: null }, runs: 1n } }]);

            unwrap(await asAdmin.disable_emergency_mode({ reason: 'incident closed' }));
            await pic.tick(2);
            expect((await h.orchestrator.emergency_pushes()).at(-1)?.mode).toEqual({ Normal: null });
            await advanceTo(pic, d0 + 60_000_000_000n);
            expect((await startsOf(h.orchestrator, s.id)).map((x) => x.due_at)).toEqual([d0 + 60_000_000_000n]);
            unwrap(await h.scheduler.cancel_persistent_execution(s.id));
        });

        it('a peer stopped during the change converges once it runs again', async () => {
            const scheduler = h.deployment.peers.scheduler;
            await pic.stopCanister({ canisterId: scheduler });
            unwrap(await asAdmin.enable_emergency_mode({ mode: { Emergency: null }, reason: 'drill' }));
            await advanceSeconds(pic, 5);
            await pic.startCanister({ canisterId: scheduler });
            // The push is retried with backoff (at most a minute apart); the health ack also carries it.
            await advanceSeconds(pic, 61);
            const s = unwrap(await h.scheduler.schedule_workflow_execution(request({ Once: { at: BigInt(await pic.getTime()) * 1_000_000n + 10_000_000_000n } })));
            await advanceSeconds(pic, 11);
            expect(unwrap(await h.scheduler.get_schedule(s.id)).recent_firings.map((f) => f.outcome)).toEqual([{ Skipped: { reason: { EmergencyMode: null }, runs: 1n } }]);
            unwrap(await asAdmin.disable_emergency_mode({ reason: 'drill over' }));
        });
    });

    describe('as a controller', () => {
        it('may toggle it too', async () => {
            const controller = monitorActor(pic, h.deployment);
            expect(unwrap(await controller.enable_emergency_mode({ mode: { Safe: null }, reason: 'maintenance' })).mode).toEqual({ Safe: null });
            expect(unwrap(await controller.disable_emergency_mode({ reason: 'done' })).mode).toEqual({ Normal: null });
        });
    });
});
