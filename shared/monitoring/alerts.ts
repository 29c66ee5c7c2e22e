import { c, type Infer } from '../common/codec';

/** @example const k: AlertKind = { LowCycles: null }; */
export const AlertKindCodec = c.tags([
    'StaleHeartbeat',
    'FailureRate',
    'LowCycles',
    'HighMemory',
    'RepeatedUpgradeFailures',
    'DependencyUnreachable',
    /** An owner's agent is under the balance new runs need; subject: the agent's principal. */
    'AgentUnderfunded'
] as const);
export type AlertKind = Infer<typeof AlertKindCodec>;

/** @example const s: AlertSeverity = { Critical: null }; */
export const AlertSeverityCodec = c.tags(['Info', 'Warning', 'Critical'] as const);
export type AlertSeverity = Infer<typeof AlertSeverityCodec>;

/**
 * Lifecycle: `Raised` → (`Acknowledged`) → `Resolved`. An acknowledged alert stays open until
 * its condition clears; a resolved one is never reopened (a new alert is raised instead).
 *
 * @example
 * const s: AlertStatus = { Acknowledged: null };
 */
export const AlertStatusCodec = c.tags(['Raised', 'Acknowledged', 'Resolved'] as const);
export type AlertStatus = Infer<typeof AlertStatusCodec>;

/**
 * One alert. At most one open (not resolved) alert exists per (`kind`, `subject`);
 * `subject` names what it is about (a canister principal text, a dependency name).
 *
 * @example
 * 'Resolved' in alert.status // closed
 */
export const AlertCodec = c.record({
    id: c.nat64,
    kind: AlertKindCodec,
    severity: AlertSeverityCodec,
    subject: c.text,
    message: c.text,
    status: AlertStatusCodec,
    raised_at: c.nat64,
    last_seen_at: c.nat64,
    acknowledged_at: c.opt(c.nat64),
    acknowledged_by: c.opt(c.principal),
    resolved_at: c.opt(c.nat64)
});
export type Alert = Infer<typeof AlertCodec>;

/**
 * Alert thresholds (configurable at init and by admins).
 *
 * - `stale_heartbeat_ns`: a canister whose last heartbeat is older is stale (Critical).
 * - `failure_rate_percent` / `failure_rate_min_executions`: failures in the last 24 h as a
 *   share of executions, judged only once there were enough executions (Warning).
 * - `low_cycles`: balance below this (Warning; Critical below a tenth of it).
 * - `high_memory_bytes`: heap + stable memory above this (Warning).
 * - `upgrade_failures`: consecutive failed upgrades of one canister (Critical).
 * - `dependency_failures`: consecutive failed probes of a dependency (Warning; Critical if the dependency is critical).
 *
 * @example
 * const t = DEFAULT_THRESHOLDS;
 */
export const ThresholdsCodec = c.record({
    stale_heartbeat_ns: c.nat64,
    failure_rate_percent: c.nat32,
    failure_rate_min_executions: c.nat32,
    low_cycles: c.nat,
    high_memory_bytes: c.nat64,
    upgrade_failures: c.nat32,
    dependency_failures: c.nat32
});
export type Thresholds = Infer<typeof ThresholdsCodec>;

const SECOND = 1_000_000_000n;

/** Defaults: stale after 5 min, 20 % failures over at least 10 runs, 1 T cycles, 3 GiB, 2 upgrades, 3 probes. */
export const DEFAULT_THRESHOLDS: Thresholds = {
    stale_heartbeat_ns: 300n * SECOND,
    failure_rate_percent: 20,
    failure_rate_min_executions: 10,
    low_cycles: 1_000_000_000_000n,
    high_memory_bytes: 3n * 1024n * 1024n * 1024n,
    upgrade_failures: 2,
    dependency_failures: 3
};
