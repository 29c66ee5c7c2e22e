import { Principal } from '@dfinity/principal';

import type { Alert } from '../../../../shared/monitoring/alerts';
import { MAX_OPEN_FUNDING_ALERTS, acknowledgeAlert, collectConditions, evaluateAlerts, fundingCondition, openAlerts, runAlertCheck, type AlertCondition } from './alerts';
import { configureDependencies, planProbes, recordProbeResult, summariseDependencies } from './dependencies';
import { disableEmergencyMode, enableEmergencyMode, isAdmin } from './emergency';
import { applySystemEvent, ingestSample, isStale } from './health';
import { appendNotification } from './notifications';
import type { MonitorState } from './state';
import { computeMetrics, computeSystemHealth, overallStatus } from './system-health';
import { ADMIN, EXEC, ORCH, SCHED, SEC, STRANGER, T0, freshState, sample } from './test-fixtures';

function unwrap<T, E>(r: { Ok: T } | { Err: E }): T {
    if ('Err' in r) throw new Error(`unexpected Err ${JSON.stringify(r.Err, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
    return r.Ok;
}

function reportAll(state: MonitorState, at: bigint): MonitorState {
    let s = state;
    for (const c of [ORCH, SCHED, EXEC]) s = unwrap(ingestSample(s, sample(c, at, { sequence: at }), c, at));
    return s;
}

describe('Monitor > health samples', () => {
    it('turns cumulative counters into window deltas; repeats and old samples are ignored', () => {
        let s = freshState();
        s = unwrap(ingestSample(s, sample(ORCH, T0, { sequence: 1n, failures_total: 2n, executions_completed_total: 10n, execution_time_ns_total: 50n * SEC }), ORCH, T0));
        s = unwrap(ingestSample(s, sample(ORCH, T0 + SEC, { sequence: 2n, failures_total: 3n, executions_completed_total: 20n, execution_time_ns_total: 100n * SEC }), ORCH, T0 + SEC));
        const repeated = unwrap(ingestSample(s, sample(ORCH, T0 + SEC, { sequence: 2n, failures_total: 3n, executions_completed_total: 20n }), ORCH, T0 + 2n * SEC));
        expect(repeated).toBe(s);
        const m = computeMetrics(s, T0 + 2n * SEC);
        expect(m).toMatchObject({ failures_last_24h: 3n, executions_last_24h: 20n, average_execution_time_ns: [5n * SEC], samples_received: 2n, monitored_canisters: 3 });
    });

    it('counts executions, node attempts and firings apart: one 10 s run of two calls is 1 execution of 10 s and 2 attempts', () => {
        let s = freshState();
        s = unwrap(ingestSample(s, sample(ORCH, T0, { sequence: 1n, executions_completed_total: 1n, execution_time_ns_total: 10n * SEC }), ORCH, T0));
        // The executor's sample claims to be the orchestrator's: what it counts follows the wiring.
        s = unwrap(ingestSample(s, sample(EXEC, T0, { sequence: 1n, role: { Orchestrator: null }, executions_completed_total: 2n, failures_total: 1n, execution_time_ns_total: 4n * SEC }), EXEC, T0));
        s = unwrap(ingestSample(s, sample(SCHED, T0, { sequence: 1n, role: { Scheduler: null }, executions_completed_total: 1n, failures_total: 0n, execution_time_ns_total: SEC / 2n }), SCHED, T0));
        expect(computeMetrics(s, T0)).toMatchObject({
            executions_last_24h: 1n,
            failures_last_24h: 0n,
            average_execution_time_ns: [10n * SEC],
            node_attempts_last_24h: 2n,
            node_attempt_failures_last_24h: 1n,
            average_node_attempt_time_ns: [2n * SEC],
            schedule_firings_last_24h: 1n,
            schedule_firing_failures_last_24h: 0n
        });
    });

    it('a counter reset after an upgrade counts from zero, and clears the upgrade-failure streak', () => {
        let s = applySystemEvent(freshState(), { UpgradeFailed: { canister: EXEC } });
        s = unwrap(ingestSample(s, sample(EXEC, T0, { sequence: 9n, failures_total: 5n, canister_version: 1n }), EXEC, T0));
        expect(s.canisters[2]?.upgrade_failures).toBe(1);
        s = unwrap(ingestSample(s, sample(EXEC, T0 + SEC, { sequence: 1n, failures_total: 1n, canister_version: 2n }), EXEC, T0 + SEC));
        expect(computeMetrics(s, T0 + SEC).node_attempt_failures_last_24h).toBe(6n);
        expect(s.canisters[2]?.upgrade_failures).toBe(0);
    });

    it('only a wired peer may report, and only about itself', () => {
        expect(ingestSample(freshState(), sample(EXEC, T0), SCHED, T0)).toEqual({ Err: { Unauthorized: { caller: SCHED } } });
        expect(ingestSample(freshState(), sample(STRANGER, T0), STRANGER, T0)).toEqual({ Err: { Unauthorized: { caller: STRANGER } } });
    });

    it('stale heartbeat: older than the threshold, or never reported for longer than the threshold since watched', () => {
        const s = reportAll(freshState(), T0);
        const threshold = s.thresholds.stale_heartbeat_ns;
        const neverReported = { ...freshState().canisters[0]!, watched_since: T0 };
        expect(isStale(neverReported, T0 + threshold, threshold)).toBe(false); // just installed: no alert yet
        expect(isStale(neverReported, T0 + threshold + 1n, threshold)).toBe(true);
        expect(isStale({ ...neverReported, watched_since: undefined }, T0, threshold)).toBe(true); // an old record without the field
        expect(isStale(s.canisters[0]!, T0 + threshold, threshold)).toBe(false);
        expect(isStale(s.canisters[0]!, T0 + threshold + 1n, threshold)).toBe(true);
    });
});

describe('Monitor > alerts', () => {
    const cond = (holds: boolean, subject = 'x'): AlertCondition => ({ kind: { LowCycles: null }, subject, severity: { Warning: null }, message: 'm', holds });

    it('raises once per (kind, subject), refreshes while it holds, resolves when it clears', () => {
        let r = evaluateAlerts([], 1n, [cond(true), cond(true, 'y')], T0);
        expect(r.raised.map((a) => a.subject)).toEqual(['x', 'y']);
        r = evaluateAlerts(r.alerts, r.next_alert_id, [cond(true), cond(true, 'y')], T0 + SEC);
        expect(r.raised).toEqual([]);
        expect(openAlerts(r.alerts).map((a) => a.last_seen_at)).toEqual([T0 + SEC, T0 + SEC]);
        r = evaluateAlerts(r.alerts, r.next_alert_id, [cond(false)], T0 + 2n * SEC);
        expect(r.resolved.map((a) => [a.subject, a.resolved_at])).toEqual([['x', [T0 + 2n * SEC]]]);
        expect(openAlerts(r.alerts).map((a) => a.subject)).toEqual(['y']); // not checked: left open
        r = evaluateAlerts(r.alerts, r.next_alert_id, [cond(true)], T0 + 3n * SEC);
        expect(r.raised.map((a) => a.id)).toEqual([3n]); // a new alert, the resolved one stays resolved
    });

    it('acknowledge: Raised → Acknowledged (idempotent), NotFound, Conflict once resolved', () => {
        const r = evaluateAlerts([], 1n, [cond(true)], T0);
        const acked = unwrap(acknowledgeAlert(r.alerts, 1n, ADMIN, T0 + SEC));
        expect(acked.alert).toMatchObject({ status: { Acknowledged: null }, acknowledged_at: [T0 + SEC], acknowledged_by: [ADMIN] });
        expect(unwrap(acknowledgeAlert(acked.alerts, 1n, STRANGER, T0 + 2n * SEC)).alert.acknowledged_by).toEqual([ADMIN]);
        expect(acknowledgeAlert(acked.alerts, 99n, ADMIN, T0)).toEqual({ Err: { NotFound: { entity: 'alert', id: '99' } } });
        const resolved = evaluateAlerts(acked.alerts, 2n, [cond(false)], T0 + 3n * SEC);
        expect(resolved.resolved[0]?.status).toEqual({ Resolved: null });
        expect(acknowledgeAlert(resolved.alerts, 1n, ADMIN, T0)).toHaveProperty('Err.Conflict');
    });

    it('keeps a bounded number of resolved alerts', () => {
        let alerts: Alert[] = [];
        let id = 1n;
        for (let i = 0; i < 250; i += 1) {
            const up = evaluateAlerts(alerts, id, [cond(true)], T0 + BigInt(i));
            const down = evaluateAlerts(up.alerts, up.next_alert_id, [cond(false)], T0 + BigInt(i));
            alerts = down.alerts;
            id = down.next_alert_id;
        }
        expect(alerts.length).toBe(200);
    });

    describe('conditions from the state', () => {
        const kinds = (s: MonitorState, now: bigint): string[] => collectConditions(s, now).filter((c) => c.holds).map((c) => `${Object.keys(c.kind)[0]}:${c.subject}`);

        it('nothing holds for a healthy system', () => {
            expect(kinds(reportAll(freshState(), T0), T0)).toEqual([]);
        });

        it('stale heartbeat is Critical; it resolves when the canister reports again', () => {
            let s = reportAll(freshState(), T0);
            const late = T0 + s.thresholds.stale_heartbeat_ns + SEC;
            s = unwrap(ingestSample(s, sample(ORCH, late, { sequence: late }), ORCH, late));
            s = unwrap(ingestSample(s, sample(SCHED, late, { sequence: late }), SCHED, late));
            const check = runAlertCheck(s, late);
            expect(check.raised.map((a) => [Object.keys(a.kind)[0], a.subject, Object.keys(a.severity)[0]])).toEqual([['StaleHeartbeat', EXEC.toText(), 'Critical']]);
            expect(overallStatus(check.state, late)).toEqual({ Critical: null });
            expect(check.state.notifications.at(-1)?.level).toEqual({ Critical: null });
            const back = unwrap(ingestSample(check.state, sample(EXEC, late, { sequence: late }), EXEC, late));
            const again = runAlertCheck(back, late);
            expect(again.resolved).toHaveLength(1);
            expect(overallStatus(again.state, late)).toEqual({ Healthy: null });
        });

        it('low cycles (Warning, Critical under a tenth), high memory, upgrade failures', () => {
            let s = freshState();
            s = unwrap(ingestSample(s, sample(ORCH, T0, { cycles_balance: 500_000_000_000n }), ORCH, T0));
            s = unwrap(ingestSample(s, sample(SCHED, T0, { cycles_balance: 50_000_000_000n, stable_memory_bytes: 4n << 30n }), SCHED, T0));
            s = unwrap(ingestSample(s, sample(EXEC, T0), EXEC, T0));
            s = applySystemEvent(applySystemEvent(s, { UpgradeFailed: { canister: EXEC } }), { UpgradeFailed: { canister: EXEC } });
            expect(kinds(s, T0)).toEqual([`LowCycles:${ORCH.toText()}`, `LowCycles:${SCHED.toText()}`, `HighMemory:${SCHED.toText()}`, `RepeatedUpgradeFailures:${EXEC.toText()}`]);
            const severities = collectConditions(s, T0).filter((c) => c.holds && 'LowCycles' in c.kind).map((c) => Object.keys(c.severity)[0]);
            expect(severities).toEqual(['Warning', 'Critical']);
        });

        it('failure rate over the 24 h window, only with enough executions', () => {
            let s = reportAll(freshState(), T0);
            // Failed node attempts (retried, or caught by a fallback) are not failed executions.
            s = unwrap(ingestSample(s, sample(EXEC, T0, { sequence: T0 + 1n, failures_total: 50n, executions_completed_total: 60n }), EXEC, T0));
            expect(kinds(s, T0)).toEqual([]);
            s = unwrap(ingestSample(s, sample(ORCH, T0, { sequence: T0 + 1n, failures_total: 3n, executions_completed_total: 5n }), ORCH, T0));
            expect(kinds(s, T0)).toEqual([]); // 60 % but only 5 executions
            s = unwrap(ingestSample(s, sample(ORCH, T0, { sequence: T0 + 2n, failures_total: 3n, executions_completed_total: 15n }), ORCH, T0));
            expect(kinds(s, T0)).toEqual(['FailureRate:system']); // 3/15 = 20 %
            expect(kinds(s, T0 + 25n * 3600n * SEC).includes('FailureRate:system')).toBe(false);
        });
    });
});

describe('Monitor > dependencies', () => {
    const ledger = { name: 'ledger', canister_id: ORCH, method: 'icrc1_name', critical: true };
    const rpc = { name: 'evm-rpc', canister_id: SCHED, method: 'getProviders', critical: false };
    const probe = (reachable: boolean, at: bigint, id = ORCH) => ({ canister_id: id, checked_at: at, reachable, latency_ns: [] as [], error: reachable ? ([] as []) : ([{ reject_code: 3, message: 'gone' }] as [{ reject_code: number; message: string }]) });

    it('streaks, aggregation and the DependencyUnreachable alert', () => {
        let deps = configureDependencies([], [ledger, rpc]);
        expect(planProbes(deps)).toEqual([
            { type: 'ProbeDependency', canister_id: ORCH, method: 'icrc1_name' },
            { type: 'ProbeDependency', canister_id: SCHED, method: 'getProviders' }
        ]);
        for (let i = 1n; i <= 3n; i += 1n) deps = recordProbeResult(deps, probe(false, T0 + i));
        deps = recordProbeResult(deps, probe(true, T0, ORCH)); // older than the last: ignored
        expect(deps[0]?.consecutive_failures).toBe(3);
        expect(summariseDependencies(deps)).toEqual({ total: 2, reachable: 1, unreachable: 1, critical_unreachable: 1 });
        const s = { ...reportAll(freshState(), T0), dependencies: deps };
        const check = runAlertCheck(s, T0 + 5n);
        expect(check.raised.map((a) => [a.subject, Object.keys(a.severity)[0]])).toEqual([['ledger', 'Critical']]);
        expect(computeSystemHealth(check.state, T0 + 5n).status).toEqual({ Critical: null });
        deps = recordProbeResult(deps, probe(true, T0 + 10n));
        expect(deps[0]).toMatchObject({ consecutive_failures: 0, last_success_at: [T0 + 10n] });
        expect(configureDependencies(deps, [ledger])[0]?.last_success_at).toEqual([T0 + 10n]);
    });
});

describe('Monitor > emergency mode', () => {
    const peers = [ORCH, SCHED, EXEC];
    const admins = { admins: [ADMIN], caller_is_controller: false };

    describe('admin', () => {
        it('enables, logs and propagates to every peer; disables again', () => {
            const on = unwrap(enableEmergencyMode(freshState(), { mode: { Emergency: null }, reason: 'exploit' }, ADMIN, admins, peers, T0));
            expect(on.state.emergency).toEqual({ mode: { Emergency: null }, reason: 'exploit', changed_at: T0, changed_by: [ADMIN] });
            expect(on.effects.map((e) => e.type === 'PropagateEmergency' && e.target.toText())).toEqual(peers.map((p) => p.toText()));
            expect(on.state.notifications.at(-1)?.level).toEqual({ Critical: null });
            expect(overallStatus(on.state, T0)).toEqual({ Critical: null });
            const off = unwrap(disableEmergencyMode(on.state, { reason: 'fixed' }, ADMIN, admins, peers, T0 + SEC));
            expect(off.state.emergency.mode).toEqual({ Normal: null });
            expect(off.effects).toHaveLength(3);
        });
        it('safe mode is Degraded', () => {
            const safe = unwrap(enableEmergencyMode(freshState(), { mode: { Safe: null }, reason: 'maintenance' }, ADMIN, admins, peers, T0));
            expect(overallStatus(reportAll(safe.state, T0), T0)).toEqual({ Degraded: null });
        });
        it('needs a reason', () => {
            expect(enableEmergencyMode(freshState(), { mode: { Safe: null }, reason: ' ' }, ADMIN, admins, peers, T0)).toHaveProperty('Err.InvalidInput.field', 'reason');
        });
    });

    describe('controller', () => {
        it('may toggle without being listed', () => {
            expect(isAdmin(STRANGER, { admins: [], caller_is_controller: true })).toBe(true);
            expect('Ok' in enableEmergencyMode(freshState(), { mode: { Safe: null }, reason: 'r' }, STRANGER, { admins: [], caller_is_controller: true }, peers, T0)).toBe(true);
        });
    });

    describe('stranger', () => {
        it('is Unauthorized and nothing changes', () => {
            expect(enableEmergencyMode(freshState(), { mode: { Emergency: null }, reason: 'r' }, STRANGER, admins, peers, T0)).toEqual({ Err: { Unauthorized: { caller: STRANGER } } });
            expect(disableEmergencyMode(freshState(), { reason: 'r' }, STRANGER, admins, peers, T0)).toEqual({ Err: { Unauthorized: { caller: STRANGER } } });
        });
    });
});

describe('Monitor > notification log', () => {
    it('is bounded and numbered', () => {
        let s = freshState();
        for (let i = 0; i < 12; i += 1) s = appendNotification(s, { Info: null }, `n${i}`, 'test', T0, { cap: 10 }).state;
        expect(s.notifications.map((n) => n.message)).toEqual(['n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9', 'n10', 'n11']);
        expect(s.next_notification_id).toBe(13n);
        expect(appendNotification(s, { Info: null }, 'x'.repeat(5000), 'test', T0).entry.message).toHaveLength(1000);
    });
});

describe('Monitor > agent funding alerts', () => {
    const owner = Principal.fromText('2vxsx-fae');
    const agentOf = (n: number) => Principal.fromUint8Array(new Uint8Array([0, 0, 0, 0, 0, 0x10, n, 1, 1, 1]));
    const short = (agent: Principal) => ({ AgentUnderfunded: { owner, agent, balance: 1n, minimum: 2n } });

    it('raises an alert about the agent on AgentUnderfunded and resolves it on AgentFunded', () => {
        const s0 = freshState();
        const raisedCond = fundingCondition(s0.alerts, short(agentOf(1)));
        const raised = runAlertCheck(s0, 10n, raisedCond === undefined ? [] : [raisedCond]);
        expect(raised.raised.map((a) => [Object.keys(a.kind)[0], a.subject])).toEqual([['AgentUnderfunded', agentOf(1).toText()]]);
        const resolvedCond = fundingCondition(raised.state.alerts, { AgentFunded: { owner, agent: agentOf(1), balance: 3n } });
        const resolved = runAlertCheck(raised.state, 20n, resolvedCond === undefined ? [] : [resolvedCond]);
        expect(resolved.resolved.map((a) => a.subject)).toEqual([agentOf(1).toText()]);
        expect(fundingCondition([], { UpgradeFailed: { canister: agentOf(1) } })).toBeUndefined();
    });

    it(`keeps at most ${MAX_OPEN_FUNDING_ALERTS} funding alerts open, still refreshing open ones`, () => {
        let s = freshState();
        for (let i = 0; i < MAX_OPEN_FUNDING_ALERTS; i++) {
            const c = fundingCondition(s.alerts, short(agentOf(i)));
            s = runAlertCheck(s, 10n, c === undefined ? [] : [c]).state;
        }
        expect(fundingCondition(s.alerts, short(agentOf(MAX_OPEN_FUNDING_ALERTS)))).toBeUndefined();
        expect(fundingCondition(s.alerts, short(agentOf(0)))?.holds).toBe(true);
    });
});
