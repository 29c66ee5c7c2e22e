import { c, type Infer } from '../common/codec';
import { AlertCodec } from './alerts';
import { DependencyStatusCodec } from './dependencies';
import { EmergencyStateCodec } from './emergency';
import { CanisterHealthCodec, HealthStatusCodec } from './health';

/**
 * Answer of `get_system_metrics`: totals over the rolling window (24 h by default), each kind
 * of work counted apart. Executions (the orchestrator's: one run of a workflow, however many
 * nodes) give `executions_last_24h`, `failures_last_24h` (failed executions) and
 * `average_execution_time_ns` (start to finish); node attempts (the executor's: one try of one
 * call node) and schedule firings (the scheduler's: one start delivered or given up) have
 * their own totals. An average is `[]` when nothing of its kind completed in the window.
 *
 * @example
 * metrics.failures_last_24h * 100n / metrics.executions_last_24h // the failure rate FailureRate judges
 */
export const SystemMetricsCodec = c.record({
    computed_at: c.nat64,
    window_ns: c.nat64,
    failures_last_24h: c.nat64,
    executions_last_24h: c.nat64,
    average_execution_time_ns: c.opt(c.nat64),
    node_attempts_last_24h: c.nat64,
    node_attempt_failures_last_24h: c.nat64,
    average_node_attempt_time_ns: c.opt(c.nat64),
    schedule_firings_last_24h: c.nat64,
    schedule_firing_failures_last_24h: c.nat64,
    active_executions: c.nat32,
    monitored_canisters: c.nat32,
    open_alerts: c.nat32,
    samples_received: c.nat64
});
export type SystemMetrics = Infer<typeof SystemMetricsCodec>;

/**
 * Answer of `get_system_health` and `trigger_health_check`.
 *
 * @example
 * 'Critical' in health.status // page someone
 */
export const SystemHealthCodec = c.record({
    status: HealthStatusCodec,
    checked_at: c.nat64,
    canisters: c.vec(CanisterHealthCodec),
    dependencies: c.vec(DependencyStatusCodec),
    emergency: EmergencyStateCodec,
    open_alerts: c.vec(AlertCodec)
});
export type SystemHealth = Infer<typeof SystemHealthCodec>;
