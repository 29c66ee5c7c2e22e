/**
 * The monitor's durable state: the only module that touches its stable memory. The pure
 * logic works on one `MonitorState` value; `load()` assembles it from its cells and `save()`
 * writes back only the cells a step changed (the logic keeps unchanged parts by reference).
 */
import type { Principal } from 'azle';

import { DEFAULT_THRESHOLDS, type Alert, type Thresholds } from '../../../shared/monitoring/alerts';
import type { DependencyStatus } from '../../../shared/monitoring/dependencies';
import { NORMAL_MODE, NO_EMERGENCY_AUTHORITY, type EmergencyAuthority, type EmergencyState } from '../../../shared/monitoring/emergency';
import type { CanisterRole } from '../../../shared/monitoring/health';
import type { NotificationEntry } from '../../../shared/monitoring/notifications';
import type { Peers } from '../../../shared/common/deployment';
import type { TopUpPolicy } from '../../../shared/monitoring/top-up';
import { DeploymentStore } from '../../common/deployment-store';
import { DeadLetterStore } from '../../common/outbox/dead-letters';
import { StableCell } from '../../common/stable-cell';
import type { PropagationEntry } from './logic/propagation';
import { emptyWindow } from './logic/rolling-window';
import type { CanisterRecord, MonitorState, WorkWindows } from './logic/state';
import { MEMORY } from './memory';

type Counters = { samples_received: bigint; next_alert_id: bigint; next_notification_id: bigint };

export const deployment = new DeploymentStore(MEMORY.deployment);
const canisters = new StableCell<CanisterRecord[]>(MEMORY.canisters, () => []);
const windows = new StableCell<WorkWindows>(MEMORY.workWindows, () => ({ executions: emptyWindow(), node_attempts: emptyWindow(), schedule_firings: emptyWindow() }));
const alerts = new StableCell<Alert[]>(MEMORY.alerts, () => []);
const notifications = new StableCell<NotificationEntry[]>(MEMORY.notifications, () => []);
const dependencies = new StableCell<DependencyStatus[]>(MEMORY.dependencies, () => []);
const emergency = new StableCell<EmergencyState>(MEMORY.emergency, () => NORMAL_MODE);
const thresholds = new StableCell<Thresholds>(MEMORY.thresholds, () => DEFAULT_THRESHOLDS);
const counters = new StableCell<Counters>(MEMORY.counters, () => ({ samples_received: 0n, next_alert_id: 1n, next_notification_id: 1n }));
/** Pending emergency pushes, the entries of the monitor's durable outbox (`logic/propagation.ts`). */
export const propagation = new StableCell<PropagationEntry[]>(MEMORY.propagation, () => []);
/** Pushes refused, trapping or given up, with their reason (`list_dead_letters`). */
export const deadLetters = new DeadLetterStore(MEMORY.deadLetters);
/** Apart from `MonitorState`: only the emergency-authority methods read or write it. */
export const emergencyAuthority = new StableCell<EmergencyAuthority>(MEMORY.emergencyAuthority, () => NO_EMERGENCY_AUTHORITY);

export function load(): MonitorState {
    const c = counters.get();
    return {
        canisters: canisters.get(),
        windows: windows.get(),
        samples_received: c.samples_received,
        alerts: alerts.get(),
        next_alert_id: c.next_alert_id,
        // Entries an earlier release logged have no `alert` field.
        notifications: notifications.get().map((n) => ({ ...n, alert: n.alert ?? [] })),
        next_notification_id: c.next_notification_id,
        dependencies: dependencies.get(),
        emergency: emergency.get(),
        thresholds: thresholds.get()
    };
}

/** Writes the cells whose value changed between `before` and `after`. */
export function save(before: MonitorState, after: MonitorState): void {
    if (after.canisters !== before.canisters) canisters.set(after.canisters);
    if (after.windows !== before.windows) windows.set(after.windows);
    if (after.alerts !== before.alerts) alerts.set(after.alerts);
    if (after.notifications !== before.notifications) notifications.set(after.notifications);
    if (after.dependencies !== before.dependencies) dependencies.set(after.dependencies);
    if (after.emergency !== before.emergency) emergency.set(after.emergency);
    if (after.thresholds !== before.thresholds) thresholds.set(after.thresholds);
    if (after.samples_received !== before.samples_received || after.next_alert_id !== before.next_alert_id || after.next_notification_id !== before.next_notification_id) {
        counters.set({ samples_received: after.samples_received, next_alert_id: after.next_alert_id, next_notification_id: after.next_notification_id });
    }
}

/** Loads, applies a pure step, saves; returns the step's result. */
export function update<R extends { state: MonitorState }>(step: (state: MonitorState) => R): R {
    const before = load();
    const result = step(before);
    save(before, result.state);
    return result;
}

const ROLES: [keyof Omit<Peers, 'monitor'>, CanisterRole][] = [
    ['orchestrator', { Orchestrator: null }],
    ['scheduler', { Scheduler: null }],
    ['executor', { Executor: null }]
];

/**
 * The monitored canisters follow the wiring: keeps what is known about peers that stay; a new
 * peer (and a record stored before `watched_since` existed) is watched from `now`.
 */
export function reconcileCanisters(peers: Peers, now: bigint): void {
    const known = canisters.get();
    canisters.set(ROLES.map(([role, canisterRole]) => {
        const id = peers[role];
        const kept = known.find((r) => r.canister.toText() === id.toText());
        if (kept === undefined) return { canister: id, role: canisterRole, latest: undefined, upgrade_failures: 0, watched_since: now };
        return kept.watched_since === undefined ? { ...kept, watched_since: now } : kept;
    }));
}

/** The peers emergency mode is pushed to. */
export function emergencyTargets(): Principal[] {
    const peers = deployment.config.peers;
    return [peers.orchestrator, peers.scheduler, peers.executor];
}

const topUp = new StableCell<TopUpPolicy | null>(MEMORY.topUpPolicy, () => null);

/** The top-up policy, `undefined` when off. */
export function getTopUpPolicy(): TopUpPolicy | undefined {
    return topUp.get() ?? undefined;
}

export function setTopUpPolicy(policy: TopUpPolicy | undefined): void {
    topUp.set(policy ?? null);
}
