import { Principal } from '@dfinity/principal';
import { DEFAULT_THRESHOLDS } from '../../../../shared/monitoring/alerts';
import { NORMAL_MODE } from '../../../../shared/monitoring/emergency';
import type { HealthSample } from '../../../../shared/monitoring/health';
import { emptyWindow } from './rolling-window';
import type { MonitorState } from './state';

/** Test helpers only (not imported by production code). */
export const ORCH = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
export const SCHED = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai');
export const EXEC = Principal.fromText('r7inp-6aaaa-aaaaa-aaabq-cai');
export const ADMIN = Principal.fromText('2vxsx-fae');
export const STRANGER = Principal.fromText('aaaaa-aa');
export const T0 = BigInt(Date.parse('2025-03-10T12:00:00Z')) * 1_000_000n;
export const SEC = 1_000_000_000n;

export function freshState(): MonitorState {
    return {
        canisters: [
            { canister: ORCH, role: { Orchestrator: null }, latest: undefined, upgrade_failures: 0 },
            { canister: SCHED, role: { Scheduler: null }, latest: undefined, upgrade_failures: 0 },
            { canister: EXEC, role: { Executor: null }, latest: undefined, upgrade_failures: 0 }
        ],
        windows: { executions: emptyWindow(), node_attempts: emptyWindow(), schedule_firings: emptyWindow() },
        samples_received: 0n,
        alerts: [],
        next_alert_id: 1n,
        notifications: [],
        next_notification_id: 1n,
        dependencies: [],
        emergency: NORMAL_MODE,
        thresholds: DEFAULT_THRESHOLDS
    };
}

export function sample(canister: Principal, at: bigint, over: Partial<HealthSample> = {}): HealthSample {
    return {
        canister,
        role: { Orchestrator: null },
        sequence: 1n,
        last_heartbeat: at,
        active_executions: 0,
        failures_total: 0n,
        executions_completed_total: 0n,
        execution_time_ns_total: 0n,
        cycles_balance: 10_000_000_000_000n,
        heap_memory_bytes: 20_000_000n,
        stable_memory_bytes: 1_000_000n,
        canister_version: 1n,
        ...over
    };
}
