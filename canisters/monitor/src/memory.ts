/**
 * Every stable memory id the monitor uses, named once. The monitor's collections are all
 * bounded (see MonitorState), so each lives in one cell of its own map. Never renumber.
 */
export const MEMORY = {
    /** DeploymentStore: peers and admins. */
    deployment: 0,
    /** The monitored canisters and their latest samples. */
    canisters: 1,
    /**
     * Retired: one rolling window that summed executions, node attempts and firings (wrong
     * counts and averages). Left unread; never reuse the id.
     */
    retiredMixedWindow: 2,
    /** Open alerts and the last resolved ones. */
    alerts: 3,
    /** The notification log. */
    notifications: 4,
    /** Probed dependencies and their status. */
    dependencies: 5,
    /** The emergency state (the monitor is its source). */
    emergency: 6,
    /** Alert thresholds. */
    thresholds: 7,
    /** Id sequences and the samples counter. */
    counters: 8,
    /** Pending emergency pushes to peers. */
    propagation: 9,
    /** The rolling windows of executions, node attempts and schedule firings, counted apart. */
    workWindows: 10,
    /** The top-up policy (absent: off). */
    topUpPolicy: 11,
    /** Owners allowed to raise modes from workflows, and the refusals recorded. */
    emergencyAuthority: 12,
    /** Each peer's reported cycles over the window, one point per bucket (logic/cycles-history.ts). */
    cyclesHistory: 13,
    /** Emergency pushes not delivered, with their reason (DeadLetterStore). */
    deadLetters: 20
} as const;
