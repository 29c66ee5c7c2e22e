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

/** What the management canister says a canister is doing. @example const s: RunStatus = { Running: null }; */
export const RunStatusCodec = c.tags(['Running', 'Stopping', 'Stopped'] as const);
export type RunStatus = Infer<typeof RunStatusCodec>;

/**
 * One reading of a peer's `canister_status` by the monitor (its controller): the numbers the
 * IC itself keeps, which a canister cannot misreport. `memory_size` is the total the IC bills
 * storage for (heap, stable memory, globals, the Wasm binary, custom sections, history,
 * chunks); `wasm_memory_size` and `stable_memory_size` are its two parts that grow with use.
 * `freezing_limit` is what the canister would burn idle during its freezing threshold
 * (`idle_cycles_burned_per_day × freezing_threshold / 86,400`): below it the canister is
 * frozen. `module_hash` is the SHA-256 of the installed Wasm, in lowercase hex.
 *
 * @example
 * const r: CanisterStatusReading = { read_at: now, status: { Running: null }, cycles: 4_900_000_000_000n, memory_size: 98_000_000n,
 *   wasm_memory_size: 60_000_000n, stable_memory_size: 8_388_608n, idle_cycles_burned_per_day: 140_000_000n,
 *   freezing_limit: 48_000_000n, module_hash: ['3f…'], canister_version: 3n };
 */
export const CanisterStatusReadingCodec = c.record({
    read_at: c.nat64,
    status: RunStatusCodec,
    cycles: c.nat,
    memory_size: c.nat,
    wasm_memory_size: c.nat,
    stable_memory_size: c.nat,
    idle_cycles_burned_per_day: c.nat,
    freezing_limit: c.nat,
    module_hash: c.opt(c.text),
    canister_version: c.nat64
});
export type CanisterStatusReading = Infer<typeof CanisterStatusReadingCodec>;

/**
 * Why the last `canister_status` read failed (the monitor is not a controller, the peer is
 * gone): the reject as the IC gave it, and when.
 *
 * @example
 * const e: StatusReadError = { at: now, reject_code: 5, message: 'Only controllers of canister … can call ic00 method canister_status' };
 */
export const StatusReadErrorCodec = c.record({ at: c.nat64, reject_code: c.nat32, message: c.text });
export type StatusReadError = Infer<typeof StatusReadErrorCodec>;

/**
 * Health of one monitored canister: its latest sample, whether its heartbeat is stale, and
 * what the management canister last said about it (`status`; `status_error` when the last
 * read failed, the previous reading then stays).
 *
 * @example
 * const h: CanisterHealth = { canister, role: { Orchestrator: null }, latest: [sample], stale: false, upgrade_failures: 0, status: [reading], status_error: [] };
 */
export const CanisterHealthCodec = c.record({
    canister: c.principal,
    role: CanisterRoleCodec,
    latest: c.opt(HealthSampleCodec),
    stale: c.bool,
    upgrade_failures: c.nat32,
    status: c.opt(CanisterStatusReadingCodec),
    status_error: c.opt(StatusReadErrorCodec)
});
export type CanisterHealth = Infer<typeof CanisterHealthCodec>;
