import type { HealthStatus } from '../../../../shared/monitoring/health';
import type { SystemHealth, SystemMetrics } from '../../../../shared/monitoring/metrics';
import { toOpt } from '../../../../shared/common/codec';
import { openAlerts } from './alerts';
import { summariseDependencies } from './dependencies';
import { isStale } from './health';
import { windowTotals } from './rolling-window';
import type { MonitorState } from './state';

/**
 * The overall verdict: Critical with emergency mode on or any open Critical alert; Degraded
 * in safe mode, with any open alert, or with an unreachable dependency; Healthy otherwise.
 *
 * @example
 * overallStatus(state, now) // { Healthy: null }
 */
export function overallStatus(state: MonitorState, now: bigint): HealthStatus {
    const open = openAlerts(state.alerts);
    const deps = summariseDependencies(state.dependencies);
    if ('Emergency' in state.emergency.mode || open.some((a) => 'Critical' in a.severity) || deps.critical_unreachable > 0) return { Critical: null };
    if ('Safe' in state.emergency.mode || open.length > 0 || deps.unreachable > 0 || state.canisters.some((c) => isStale(c, now, state.thresholds.stale_heartbeat_ns))) {
        return { Degraded: null };
    }
    return { Healthy: null };
}

/**
 * The `get_system_health` answer (a query: computed from state, changes nothing).
 *
 * @example
 * computeSystemHealth(state, now).canisters.filter((c) => c.stale)
 */
export function computeSystemHealth(state: MonitorState, now: bigint): SystemHealth {
    return {
        status: overallStatus(state, now),
        checked_at: now,
        canisters: state.canisters.map((c) => ({
            canister: c.canister,
            role: c.role,
            latest: toOpt(c.latest),
            stale: isStale(c, now, state.thresholds.stale_heartbeat_ns),
            upgrade_failures: c.upgrade_failures,
            status: toOpt(c.status),
            status_error: toOpt(c.status_error)
        })),
        dependencies: state.dependencies,
        emergency: state.emergency,
        open_alerts: openAlerts(state.alerts)
    };
}

/**
 * The `get_system_metrics` answer.
 *
 * @example
 * computeMetrics(state, now).failures_last_24h
 */
export function computeMetrics(state: MonitorState, now: bigint): SystemMetrics {
    const executions = windowTotals(state.windows.executions, now);
    const attempts = windowTotals(state.windows.node_attempts, now);
    const firings = windowTotals(state.windows.schedule_firings, now);
    return {
        computed_at: now,
        window_ns: state.windows.executions.span_ns,
        failures_last_24h: executions.failures,
        executions_last_24h: executions.count,
        average_execution_time_ns: toOpt(executions.average_time_ns),
        node_attempts_last_24h: attempts.count,
        node_attempt_failures_last_24h: attempts.failures,
        average_node_attempt_time_ns: toOpt(attempts.average_time_ns),
        schedule_firings_last_24h: firings.count,
        schedule_firing_failures_last_24h: firings.failures,
        active_executions: state.canisters.reduce((n, c) => n + (c.latest?.active_executions ?? 0), 0),
        monitored_canisters: state.canisters.length,
        open_alerts: openAlerts(state.alerts).length,
        samples_received: state.samples_received
    };
}
