import type { Principal } from '@dfinity/principal';
import type { Alert, Thresholds } from '../../../../shared/monitoring/alerts';
import type { DependencyStatus } from '../../../../shared/monitoring/dependencies';
import type { EmergencyState } from '../../../../shared/monitoring/emergency';
import type { CanisterRole, CanisterStatusReading, HealthSample, StatusReadError } from '../../../../shared/monitoring/health';
import type { NotificationEntry } from '../../../../shared/monitoring/notifications';
import type { RollingWindow } from './rolling-window';

/** What the monitor knows about one DeFlow canister. */
export type CanisterRecord = {
    canister: Principal;
    role: CanisterRole;
    latest: HealthSample | undefined;
    upgrade_failures: number;
    /**
     * When the monitor began watching this canister (its install, or the wiring that added the
     * canister). A canister that never reported counts as stale only once the stale threshold
     * has passed since: peers installed a moment after the monitor are not alerted on.
     * Absent in records stored before the field existed (post_upgrade fills it in).
     */
    watched_since?: bigint;
    /** The last successful `canister_status` read (absent until the first, and in records stored before reads existed). */
    status?: CanisterStatusReading;
    /** Why the last read failed; cleared by the next successful one. */
    status_error?: StatusReadError;
};

/**
 * The work each peer reports, counted apart: an execution (orchestrator) is one run of a
 * workflow however many nodes it has; a node attempt (executor) is one try of one call node;
 * a schedule firing (scheduler) is one start the scheduler delivered or gave up on. Summed,
 * one two-call execution would count three times and its 10 s would average 3.3 s.
 */
export type WorkWindows = { executions: RollingWindow; node_attempts: RollingWindow; schedule_firings: RollingWindow };
export type WorkKind = keyof WorkWindows;

/**
 * The monitor's domain state as the pure functions see it. Every collection is bounded
 * (canisters: the wired peers; alerts: open ones plus `MAX_RESOLVED_ALERTS`; notifications:
 * `NOTIFICATION_LOG_CAP`; each window: 97 buckets), so the adapter may keep each in one stable cell.
 */
export type MonitorState = {
    canisters: CanisterRecord[];
    windows: WorkWindows;
    samples_received: bigint;
    alerts: Alert[];
    next_alert_id: bigint;
    notifications: NotificationEntry[];
    next_notification_id: bigint;
    dependencies: DependencyStatus[];
    emergency: EmergencyState;
    thresholds: Thresholds;
};

/** Effects the monitor adapter performs. */
export type MonitorEffect =
    /** Push the emergency state to a peer's `set_emergency_mode` (best effort: peers also learn it from report_health acks). */
    | { type: 'PropagateEmergency'; target: Principal; state: EmergencyState }
    /** Call `method` on a dependency and feed the outcome to `recordProbeResult`. */
    | { type: 'ProbeDependency'; canister_id: Principal; method: string };
