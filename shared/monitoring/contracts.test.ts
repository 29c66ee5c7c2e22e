import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import type { Codec } from '../common/codec';
import { roundTrip } from '../scheduling/round-trip';
import { AlertCodec, AlertKindCodec, DEFAULT_THRESHOLDS, ThresholdsCodec, type Alert } from './alerts';
import { DependencyProbeConfigCodec, DependencyProbeResultCodec, DependencyStatusCodec, type DependencyStatus } from './dependencies';
import { DisableEmergencyRequestCodec, EmergencyStateCodec, EnableEmergencyRequestCodec, NORMAL_MODE, newerEmergencyState, type EmergencyState } from './emergency';
import { CanisterHealthCodec, HealthReportAckCodec, HealthSampleCodec, type CanisterStatusReading, type HealthSample } from './health';
import { SystemHealthCodec, SystemMetricsCodec } from './metrics';
import { NotificationEntryCodec, NotificationRequestCodec } from './notifications';
import { AlertResultCodec, AlertsResultCodec, EmergencyStateResultCodec, HealthReportAckResultCodec, MonitorMethods, monitorIdlFactory, SystemHealthResultCodec } from './service';

const p = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
const now = 1_741_608_000_000_000_000n;
const sample: HealthSample = {
    canister: p,
    role: { Executor: null },
    sequence: 3n,
    last_heartbeat: now,
    active_executions: 4,
    failures_total: 1n,
    executions_completed_total: 10n,
    execution_time_ns_total: 99n,
    cycles_balance: 123_456_789_012_345_678_901_234n,
    heap_memory_bytes: 1n,
    stable_memory_bytes: 2n,
    canister_version: 7n
};
const alert: Alert = {
    id: 1n,
    kind: { DependencyUnreachable: null },
    severity: { Critical: null },
    subject: 'ledger',
    message: '3 failed probes',
    status: { Acknowledged: null },
    raised_at: now,
    last_seen_at: now,
    acknowledged_at: [now],
    acknowledged_by: [p],
    resolved_at: []
};
const dependency: DependencyStatus = {
    config: { name: 'ledger', canister_id: p, method: 'icrc1_name', critical: true },
    last_result: [{ canister_id: p, checked_at: now, reachable: false, latency_ns: [], error: [{ reject_code: 3, message: 'x' }] }],
    consecutive_failures: 3,
    last_success_at: [now]
};
const reading: CanisterStatusReading = {
    read_at: now,
    status: { Stopping: null },
    cycles: 4_900_000_000_000n,
    memory_size: 98_000_000n,
    wasm_memory_size: 60_000_000n,
    stable_memory_size: 8_388_608n,
    idle_cycles_burned_per_day: 140_000_000n,
    freezing_limit: 48_000_000n,
    module_hash: ['ab01'],
    canister_version: 3n
};
const emergency: EmergencyState = { mode: { Safe: null }, reason: 'r', changed_at: now, changed_by: [p] };

function cases<T>(codec: Codec<T>, values: T[]): [Codec<unknown>, unknown][] {
    return values.map((v) => [codec as Codec<unknown>, v]);
}

describe('Contracts > monitoring > Candid round trips', () => {
    it.each([
        ...cases(HealthSampleCodec, [sample]),
        ...cases(HealthReportAckCodec, [{ emergency: NORMAL_MODE, received_at: now }]),
        ...cases(CanisterHealthCodec, [
            { canister: p, role: { Scheduler: null }, latest: [sample], stale: false, upgrade_failures: 0, status: [], status_error: [] },
            { canister: p, role: { Executor: null }, latest: [], stale: true, upgrade_failures: 1, status: [reading], status_error: [{ at: now, reject_code: 5, message: 'Only controllers' }] }
        ]),
        ...cases(AlertKindCodec, [{ StaleHeartbeat: null }, { FailureRate: null }, { LowCycles: null }, { HighMemory: null }, { RepeatedUpgradeFailures: null }, { DependencyUnreachable: null }]),
        ...cases(AlertCodec, [alert, { ...alert, status: { Resolved: null }, resolved_at: [now], acknowledged_by: [], acknowledged_at: [] }]),
        ...cases(ThresholdsCodec, [DEFAULT_THRESHOLDS]),
        ...cases(NotificationRequestCodec, [
            { level: { Error: null }, message: 'm', source: 'executor', event: [] },
            { level: { Info: null }, message: 'm', source: 'deploy', event: [{ UpgradeSucceeded: { canister: p, canister_version: 2n } }] }
        ]),
        ...cases(NotificationEntryCodec, [
            { id: 1n, level: { Critical: null }, message: 'm', source: 's', at: now, alert: [] },
            { id: 2n, level: { Info: null }, message: 'm', source: 'monitor', at: now, alert: [{ alert_id: 3n, kind: { StaleHeartbeat: null }, subject: 's', change: { Resolved: null } }] }
        ]),
        ...cases(DependencyProbeConfigCodec, [dependency.config]),
        ...cases(DependencyProbeResultCodec, [{ canister_id: p, checked_at: now, reachable: true, latency_ns: [5n], error: [] }]),
        ...cases(DependencyStatusCodec, [dependency]),
        ...cases(EmergencyStateCodec, [NORMAL_MODE, emergency]),
        ...cases(EnableEmergencyRequestCodec, [{ mode: { Emergency: null }, reason: 'r' }]),
        ...cases(DisableEmergencyRequestCodec, [{ reason: 'r' }]),
        ...cases(SystemMetricsCodec, [{ computed_at: now, window_ns: 1n, failures_last_24h: 2n, executions_last_24h: 3n, average_execution_time_ns: [], node_attempts_last_24h: 4n, node_attempt_failures_last_24h: 1n, average_node_attempt_time_ns: [7n], schedule_firings_last_24h: 2n, schedule_firing_failures_last_24h: 0n, active_executions: 1, monitored_canisters: 3, open_alerts: 0, samples_received: 9n }]),
        ...cases(SystemHealthCodec, [{ status: { Degraded: null }, checked_at: now, canisters: [], dependencies: [dependency], emergency, open_alerts: [alert] }]),
        ...cases(SystemHealthResultCodec, [{ Err: { Unauthorized: { caller: p } } }]),
        ...cases(AlertsResultCodec, [{ Ok: [alert] }]),
        ...cases(AlertResultCodec, [{ Err: { Conflict: { message: 'resolved' } } }]),
        ...cases(EmergencyStateResultCodec, [{ Ok: emergency }]),
        ...cases(HealthReportAckResultCodec, [{ Ok: { emergency, received_at: now } }])
    ])('%#: %s', (codec, value) => {
        expect(roundTrip(codec, value)).toEqual(value);
    });
});

describe('Contracts > monitoring > service and helpers', () => {
    it('keeps the original method names plus acknowledge_alert, get_version, report_health, the admin settings, the emergency authority, the metrics history and the dead letters', () => {
        expect(Object.keys(MonitorMethods).sort()).toEqual(
            [
                'acknowledge_alert',
                'check_system_alerts',
                'disable_emergency_mode',
                'enable_emergency_mode',
                'get_system_health',
                'get_system_metrics',
                'get_version',
                'report_health',
                'send_system_notification',
                'trigger_health_check',
                'set_dependencies',
                'set_thresholds',
                'set_top_up_policy',
                'get_notifications',
                'raise_emergency_for_owner',
                'set_emergency_owner',
                'get_emergency_authority',
                'get_metrics_history',
                'list_dead_letters'
            ].sort()
        );
        expect(monitorIdlFactory({ IDL }).display()).toContain('get_system_health');
    });

    it('the latest emergency state wins', () => {
        const older = { ...emergency, changed_at: now - 1n };
        expect(newerEmergencyState(emergency, older)).toBe(emergency);
        expect(newerEmergencyState(older, emergency)).toBe(emergency);
    });

    it('cycles balances beyond nat64 survive (nat, not nat64)', () => {
        expect(roundTrip(HealthSampleCodec, sample).cycles_balance).toBe(123_456_789_012_345_678_901_234n);
    });
});
