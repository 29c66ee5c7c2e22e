import type { DependencyProbeConfig, DependencyProbeResult, DependencyStatus } from '../../../../shared/monitoring/dependencies';
import type { AlertCondition } from './alerts';
import type { MonitorEffect } from './state';

/** Most dependencies a monitor probes (each probe is an inter-canister call per check). */
export const MAX_DEPENDENCIES = 32;

/** Fresh statuses for a configuration, keeping what is known about dependencies that stay. */
export function configureDependencies(current: readonly DependencyStatus[], configs: readonly DependencyProbeConfig[]): DependencyStatus[] {
    return configs.slice(0, MAX_DEPENDENCIES).map((config) => {
        const known = current.find((s) => s.config.canister_id.toText() === config.canister_id.toText());
        return known === undefined ? { config, last_result: [], consecutive_failures: 0, last_success_at: [] } : { ...known, config };
    });
}

/** One probe effect per configured dependency. @example planProbes(state.dependencies) */
export function planProbes(statuses: readonly DependencyStatus[]): MonitorEffect[] {
    return statuses.map((s) => ({ type: 'ProbeDependency', canister_id: s.config.canister_id, method: s.config.method }));
}

/**
 * Folds a probe result into the statuses: a success clears the failure streak, a failure
 * extends it. Results for unknown canisters are ignored; an older result than the last one is too.
 *
 * @example
 * recordProbeResult(statuses, { canister_id, checked_at: now, reachable: false, latency_ns: [], error: [{ reject_code: 3, message }] })
 */
export function recordProbeResult(statuses: readonly DependencyStatus[], result: DependencyProbeResult): DependencyStatus[] {
    return statuses.map((s) => {
        if (s.config.canister_id.toText() !== result.canister_id.toText()) return s;
        const last = s.last_result[0];
        if (last !== undefined && last.checked_at > result.checked_at) return s;
        return result.reachable
            ? { ...s, last_result: [result], consecutive_failures: 0, last_success_at: [result.checked_at] }
            : { ...s, last_result: [result], consecutive_failures: s.consecutive_failures + 1 };
    });
}

/** Counts for health: how many dependencies are reachable, and how many critical ones are not. */
export type DependencySummary = { total: number; reachable: number; unreachable: number; critical_unreachable: number };

/**
 * Aggregates statuses. A dependency counts as unreachable once its last probe failed; never probed counts as reachable.
 *
 * @example
 * summariseDependencies(statuses).critical_unreachable > 0 // health is Critical
 */
export function summariseDependencies(statuses: readonly DependencyStatus[]): DependencySummary {
    const down = statuses.filter((s) => s.consecutive_failures > 0);
    return {
        total: statuses.length,
        reachable: statuses.length - down.length,
        unreachable: down.length,
        critical_unreachable: down.filter((s) => s.config.critical).length
    };
}

/**
 * Conditions that close the alerts of dependencies no longer probed: the alert check only
 * judges configured dependencies, so without these a removed one's alert would stay open.
 *
 * @example
 * evaluateAlerts(alerts, nextId, removedDependencyConditions(before, after), now).resolved
 */
export function removedDependencyConditions(before: readonly DependencyStatus[], after: readonly DependencyStatus[]): AlertCondition[] {
    return before
        .filter((b) => !after.some((a) => a.config.name === b.config.name))
        .map((b) => ({ kind: { DependencyUnreachable: null }, subject: b.config.name, severity: { Info: null }, message: 'no longer probed', holds: false }));
}
