/**
 * Monitor > health and alerts: the three peers report on their timers; a canister that stops
 * reporting raises a critical stale-heartbeat alert that resolves when it reports again;
 * unreachable dependencies raise alerts; only admins configure and acknowledge.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import type { Actor, PocketIc } from '@dfinity/pic';

import { deployDeflow, type DeflowDeployment } from '../support/deflow';
import { identities, monitorActor, type MonitorService } from '../support/monitoring';
import { createPic } from '../support/pic';
import { advanceSeconds, unwrap } from '../support/scheduling';

jest.setTimeout(240_000);

describe('Monitor > health and alerts', () => {
    let pic: PocketIc;
    let deployment: DeflowDeployment;
    let monitor: Actor<MonitorService>;
    let asAdmin: Actor<MonitorService>;
    let asStranger: Actor<MonitorService>;
    const { admin, stranger } = identities();

    beforeAll(async () => {
        pic = await createPic();
        deployment = await deployDeflow(pic, { admins: [admin.getPrincipal()] });
        monitor = monitorActor(pic, deployment);
        asAdmin = monitorActor(pic, deployment, admin);
        asStranger = monitorActor(pic, deployment, stranger);
        await advanceSeconds(pic, 61);
    });
    afterAll(async () => {
        await pic.tearDown();
    });

    it('ingests the health of the three peers', async () => {
        const health = await monitor.get_system_health();
        const reported = health.canisters.filter((c) => c.latest.length === 1).map((c) => Object.keys(c.role)[0]);
        expect(reported.sort()).toEqual(['Executor', 'Orchestrator', 'Scheduler']);
        expect(health.canisters.every((c) => !c.stale)).toBe(true);
        const metrics = await monitor.get_system_metrics();
        expect(metrics.monitored_canisters).toBe(3);
        expect(metrics.samples_received).toBeGreaterThanOrEqual(3n);
        const version = await monitor.get_version();
        const pkg = JSON.parse(readFileSync(resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
        expect(version).toMatchObject({ canister: 'monitor', package_version: pkg.version });
    });

    it('a silent canister raises a critical stale-heartbeat alert, resolved when it reports again', async () => {
        const scheduler = deployment.peers.scheduler;
        await pic.stopCanister({ canisterId: scheduler });
        for (let i = 0; i < 6; i += 1) await advanceSeconds(pic, 60);
        const open = unwrap(await monitor.check_system_alerts());
        const stale = open.find((a) => 'StaleHeartbeat' in a.kind && a.subject === scheduler.toText());
        expect(stale).toMatchObject({ severity: { Critical: null }, status: { Raised: null } });
        expect((await monitor.get_system_health()).status).toEqual({ Critical: null });

        await pic.startCanister({ canisterId: scheduler });
        await advanceSeconds(pic, 61);
        const after = unwrap(await monitor.check_system_alerts());
        expect(after.find((a) => a.id === stale!.id)).toBeUndefined();
        const log = unwrap(await asAdmin.get_notifications([]));
        const aboutStale = log.flatMap((n) => (n.alert[0]?.alert_id === stale!.id ? [n.alert[0]] : []));
        expect(aboutStale).toEqual([
            { alert_id: stale!.id, kind: { StaleHeartbeat: null }, subject: scheduler.toText(), change: { Raised: null } },
            { alert_id: stale!.id, kind: { StaleHeartbeat: null }, subject: scheduler.toText(), change: { Resolved: null } }
        ]);
    });

    it('probes dependencies: an unreachable one raises an alert admins acknowledge', async () => {
        const ghost = await pic.createCanister();
        const configs = [
            { name: 'scheduler', canister_id: deployment.peers.scheduler, method: 'get_version', critical: false },
            { name: 'ghost', canister_id: ghost, method: 'icrc1_name', critical: true }
        ];
        expect(await asStranger.set_dependencies(configs)).toEqual({ Err: { Unauthorized: { caller: stranger.getPrincipal() } } });
        unwrap(await asAdmin.set_dependencies(configs));
        for (let i = 0; i < 3; i += 1) unwrap(await asAdmin.trigger_health_check());
        const health = await monitor.get_system_health();
        const byName = new Map(health.dependencies.map((d) => [d.config.name, d]));
        expect(byName.get('scheduler')?.consecutive_failures).toBe(0);
        expect(byName.get('scheduler')?.last_result[0]?.reachable).toBe(true);
        expect(byName.get('ghost')?.consecutive_failures).toBe(3);
        const alert = health.open_alerts.find((a) => 'DependencyUnreachable' in a.kind && a.subject === 'ghost');
        expect(alert?.severity).toEqual({ Critical: null });

        expect(await asStranger.acknowledge_alert(alert!.id)).toEqual({ Err: { Unauthorized: { caller: stranger.getPrincipal() } } });
        expect(unwrap(await asAdmin.acknowledge_alert(alert!.id)).status).toEqual({ Acknowledged: null });
        expect(await asAdmin.acknowledge_alert(999_999n)).toEqual({ Err: { NotFound: { entity: 'alert', id: '999999' } } });

        // The dependency is removed: its alert resolves at the next check.
        unwrap(await asAdmin.set_dependencies(configs.slice(0, 1)));
        unwrap(await asAdmin.trigger_health_check());
        expect((await monitor.get_system_health()).open_alerts.find((a) => a.id === alert!.id)).toBeUndefined();
    });

    it('only peers and admins log notifications; strangers cannot report health', async () => {
        expect(await asStranger.send_system_notification({ level: { Info: null }, message: 'hi', source: 'x', event: [] })).toEqual({ Err: { Unauthorized: { caller: stranger.getPrincipal() } } });
        const entry = unwrap(await asAdmin.send_system_notification({ level: { Warning: null }, message: 'deploy started', source: 'ops', event: [] }));
        expect(entry).toMatchObject({ level: { Warning: null }, message: 'deploy started' });
        const sample = (await monitor.get_system_health()).canisters[0]!.latest[0]!;
        expect(await asStranger.report_health({ ...sample, canister: stranger.getPrincipal() })).toEqual({ Err: { Unauthorized: { caller: stranger.getPrincipal() } } });
    });
});
