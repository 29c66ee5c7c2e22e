import { c, type Infer } from '../common/codec';
import { EmergencyStateCodec } from './emergency';

/** Which DeFlow canister a sample comes from. @example const r: CanisterRole = { Scheduler: null }; */
export const CanisterRoleCodec = c.tags(['Orchestrator', 'Scheduler', 'Executor', 'Monitor'] as const);
export type CanisterRole = Infer<typeof CanisterRoleCodec>;

/**
 * What a canister reports to the monitor on its health timer (argument of `report_health`).
 *
 * Counters are cumulative totals since the canister's counters were last reset, not deltas:
 * a lost or repeated report then neither loses nor double-counts anything. The monitor turns
 * them into deltas, treating a decrease as a reset. `sequence` increases with every report so
 * an out-of-order report can be dropped.
 *
 * @example
 * const s: HealthSample = { canister, role: { Executor: null }, sequence: 7n, last_heartbeat: now, active_executions: 2,
 *   failures_total: 1n, executions_completed_total: 40n, execution_time_ns_total: 4_000_000_000n,
 *   cycles_balance: 5_000_000_000_000n, heap_memory_bytes: 12_000_000n, stable_memory_bytes: 65_536n, canister_version: 3n };
 */
export const HealthSampleCodec = c.record({
    canister: c.principal,
    role: CanisterRoleCodec,
    sequence: c.nat64,
    last_heartbeat: c.nat64,
    active_executions: c.nat32,
    failures_total: c.nat64,
    executions_completed_total: c.nat64,
    execution_time_ns_total: c.nat64,
    cycles_balance: c.nat,
    heap_memory_bytes: c.nat64,
    stable_memory_bytes: c.nat64,
    canister_version: c.nat64
});
export type HealthSample = Infer<typeof HealthSampleCodec>;

/**
 * Reply to `report_health`: the current emergency state, so a canister that missed a push
 * converges within one report period.
 *
 * @example
 * const ack: HealthReportAck = { emergency: NORMAL_MODE, received_at: now };
 */
export const HealthReportAckCodec = c.record({ emergency: EmergencyStateCodec, received_at: c.nat64 });
export type HealthReportAck = Infer<typeof HealthReportAckCodec>;

/** Overall verdict. @example const s: HealthStatus = { Degraded: null }; */
export const HealthStatusCodec = c.tags(['Healthy', 'Degraded', 'Critical'] as const);
export type HealthStatus = Infer<typeof HealthStatusCodec>;

/**
 * Health of one monitored canister: its latest sample and whether its heartbeat is stale.
 *
 * @example
 * const h: CanisterHealth = { canister, role: { Orchestrator: null }, latest: [sample], stale: false, upgrade_failures: 0 };
 */
export const CanisterHealthCodec = c.record({
    canister: c.principal,
    role: CanisterRoleCodec,
    latest: c.opt(HealthSampleCodec),
    stale: c.bool,
    upgrade_failures: c.nat32
});
export type CanisterHealth = Infer<typeof CanisterHealthCodec>;
