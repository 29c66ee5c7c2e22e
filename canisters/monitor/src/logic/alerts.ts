import type { Principal } from '@dfinity/principal';
import { apiError, type ApiError } from '../../../../shared/common/errors';
import { assertNever, err, ok, type Result } from '../../../../shared/common/result';
import type { Alert, AlertKind, AlertSeverity, Thresholds } from '../../../../shared/monitoring/alerts';
import { tagOf } from '../../../../shared/common/codec';
import type { SystemEvent } from '../../../../shared/monitoring/notifications';
import { isStale } from './health';
import { appendNotification } from './notifications';
import { windowTotals } from './rolling-window';
import type { CanisterRecord, MonitorState } from './state';
import { resourcesOf } from './status';

/** Resolved alerts kept for the record (open alerts are always kept). */
export const MAX_RESOLVED_ALERTS = 200;
/** Subject of system-wide alerts. */
export const SYSTEM_SUBJECT = 'system';

/** One checked condition: whether it holds now, and how bad it is if it does. */
export type AlertCondition = { kind: AlertKind; subject: string; severity: AlertSeverity; message: string; holds: boolean };

const isOpen = (a: Alert): boolean => !('Resolved' in a.status);
const keyOf = (kind: AlertKind, subject: string): string => `${tagOf(kind)}|${subject}`;

/**
 * Checks every threshold against the state at `now`: per canister stale heartbeat, low
 * cycles, high memory, upgrade failures; system-wide failure rate; per dependency reachability.
 * Conditions that do not hold are returned too, so their open alerts can be resolved.
 *
 * @example
 * collectConditions(state, now).filter((c) => c.holds)
 */
export function collectConditions(state: MonitorState, now: bigint): AlertCondition[] {
    const t: Thresholds = state.thresholds;
    const out: AlertCondition[] = [];
    for (const c of state.canisters) {
        const subject = c.canister.toText();
        const latest = c.latest;
        out.push({ kind: { StaleHeartbeat: null }, subject, severity: { Critical: null }, message: latest === undefined ? 'never reported' : `last heartbeat ${(now - latest.last_heartbeat) / 1_000_000_000n} s ago`, holds: isStale(c, now, t.stale_heartbeat_ns) });
        const resources = resourcesOf(c);
        const cycles = resources?.cycles;
        out.push({
            kind: { LowCycles: null },
            subject,
            severity: cycles !== undefined && cycles < t.low_cycles / 10n ? { Critical: null } : { Warning: null },
            message: resources === undefined ? 'cycles balance unknown' : `cycles balance ${resources.cycles} (${resources.cycles_source})${runwayNote(c)}`,
            holds: cycles !== undefined && cycles < t.low_cycles
        });
        const memory = resources?.memory_bytes;
        out.push({
            kind: { HighMemory: null },
            subject,
            severity: { Warning: null },
            message: resources === undefined ? 'memory unknown' : `memory ${resources.memory_bytes} bytes (${resources.memory_source})`,
            holds: memory !== undefined && memory > t.high_memory_bytes
        });
        out.push({ kind: { RepeatedUpgradeFailures: null }, subject, severity: { Critical: null }, message: `${c.upgrade_failures} failed upgrades in a row`, holds: c.upgrade_failures >= t.upgrade_failures });
    }
    // The rate of failed executions: a node attempt that failed and was retried is not a failed run.
    const totals = windowTotals(state.windows.executions, now);
    const enough = totals.count >= BigInt(t.failure_rate_min_executions) && totals.count > 0n;
    const percent = enough ? (totals.failures * 100n) / totals.count : 0n;
    out.push({ kind: { FailureRate: null }, subject: SYSTEM_SUBJECT, severity: { Warning: null }, message: `${totals.failures} failures in ${totals.count} executions (24 h)`, holds: enough && percent >= BigInt(t.failure_rate_percent) });
    for (const d of state.dependencies) {
        out.push({
            kind: { DependencyUnreachable: null },
            subject: d.config.name,
            severity: d.config.critical ? { Critical: null } : { Warning: null },
            message: `${d.consecutive_failures} failed probes of ${d.config.canister_id.toText()}`,
            holds: d.consecutive_failures >= t.dependency_failures && t.dependency_failures > 0
        });
    }
    return out;
}

/** ", N days of idle burn left before freezing", from the last `canister_status` reading. */
function runwayNote(record: CanisterRecord): string {
    const r = record.status;
    if (r === undefined || r.idle_cycles_burned_per_day === 0n) return '';
    const spendable = r.cycles > r.freezing_limit ? r.cycles - r.freezing_limit : 0n;
    return `, ${spendable / r.idle_cycles_burned_per_day} days of idle burn before freezing`;
}

/**
 * Raises, refreshes and resolves alerts: a holding condition with no open alert for its
 * (kind, subject) raises one; with an open alert it refreshes `last_seen_at` (and severity,
 * message); a condition that no longer holds resolves its open alert. Open alerts whose
 * condition was not checked are left alone. Resolved alerts beyond `MAX_RESOLVED_ALERTS` go.
 *
 * @example
 * const { alerts, raised, resolved } = evaluateAlerts(state.alerts, state.next_alert_id, collectConditions(state, now), now);
 */
export function evaluateAlerts(
    alerts: readonly Alert[],
    nextId: bigint,
    conditions: readonly AlertCondition[],
    now: bigint
): { alerts: Alert[]; next_alert_id: bigint; raised: Alert[]; resolved: Alert[] } {
    const byKey = new Map(conditions.map((c) => [keyOf(c.kind, c.subject), c]));
    const raised: Alert[] = [];
    const resolved: Alert[] = [];
    const openKeys = new Set<string>();
    const updated = alerts.map((a) => {
        if (!isOpen(a)) return a;
        const key = keyOf(a.kind, a.subject);
        const condition = byKey.get(key);
        if (condition === undefined) {
            openKeys.add(key);
            return a;
        }
        if (condition.holds) {
            openKeys.add(key);
            return { ...a, last_seen_at: now, severity: condition.severity, message: condition.message };
        }
        const closed: Alert = { ...a, status: { Resolved: null }, resolved_at: [now] };
        resolved.push(closed);
        return closed;
    });
    let id = nextId;
    for (const c of conditions) {
        const key = keyOf(c.kind, c.subject);
        if (!c.holds || openKeys.has(key)) continue;
        const alert: Alert = {
            id,
            kind: c.kind,
            severity: c.severity,
            subject: c.subject,
            message: c.message,
            status: { Raised: null },
            raised_at: now,
            last_seen_at: now,
            acknowledged_at: [],
            acknowledged_by: [],
            resolved_at: []
        };
        id += 1n;
        openKeys.add(key);
        raised.push(alert);
        updated.push(alert);
    }
    const closed = updated.filter((a) => !isOpen(a));
    const drop = new Set(closed.slice(0, Math.max(0, closed.length - MAX_RESOLVED_ALERTS)).map((a) => a.id));
    return { alerts: updated.filter((a) => !drop.has(a.id)), next_alert_id: id, raised, resolved };
}

/**
 * `acknowledge_alert`: marks an open alert as seen by `caller`. `NotFound` for an unknown
 * id, `Conflict` once resolved; acknowledging twice keeps the first acknowledgement.
 *
 * @example
 * acknowledgeAlert(state.alerts, 3n, caller, now) // { Ok: { alerts, alert } }
 */
export function acknowledgeAlert(alerts: readonly Alert[], id: bigint, caller: Principal, now: bigint): Result<{ alerts: Alert[]; alert: Alert }, ApiError> {
    const alert = alerts.find((a) => a.id === id);
    if (alert === undefined) return err(apiError.notFound('alert', id.toString()));
    const status = tagOf(alert.status);
    switch (status) {
        case 'Resolved':
            return err(apiError.conflict(`alert ${id} is already resolved`));
        case 'Acknowledged':
            return ok({ alerts: [...alerts], alert });
        case 'Raised': {
            const acked: Alert = { ...alert, status: { Acknowledged: null }, acknowledged_at: [now], acknowledged_by: [caller] };
            return ok({ alerts: alerts.map((a) => (a.id === id ? acked : a)), alert: acked });
        }
        default:
            return assertNever(status, 'alert status');
    }
}

/**
 * A full alert check (`check_system_alerts`, `trigger_health_check`, the monitor's timer):
 * evaluates the conditions, and `extra` ones known only from an event (an agent's funding),
 * and logs a notification per raised or resolved alert.
 *
 * @example
 * const { state: next, raised } = runAlertCheck(state, now);
 */
export function runAlertCheck(state: MonitorState, now: bigint, extra: readonly AlertCondition[] = []): { state: MonitorState; raised: Alert[]; resolved: Alert[] } {
    const result = evaluateAlerts(state.alerts, state.next_alert_id, [...collectConditions(state, now), ...extra], now);
    let next: MonitorState = { ...state, alerts: result.alerts, next_alert_id: result.next_alert_id };
    for (const a of result.raised) {
        const level = 'Critical' in a.severity ? { Critical: null } : 'Warning' in a.severity ? { Warning: null } : { Info: null };
        const alert = { alert_id: a.id, kind: a.kind, subject: a.subject, change: { Raised: null } };
        next = appendNotification(next, level, `alert ${a.id} raised: ${tagOf(a.kind)} on ${a.subject}: ${a.message}`, 'monitor', now, { alert }).state;
    }
    for (const a of result.resolved) {
        const alert = { alert_id: a.id, kind: a.kind, subject: a.subject, change: { Resolved: null } };
        next = appendNotification(next, { Info: null }, `alert ${a.id} resolved: ${tagOf(a.kind)} on ${a.subject}`, 'monitor', now, { alert }).state;
    }
    return { state: next, raised: result.raised, resolved: result.resolved };
}

/** The open alerts, oldest first. */
export function openAlerts(alerts: readonly Alert[]): Alert[] {
    return alerts.filter(isOpen);
}

/**
 * Open `AgentUnderfunded` alerts at most: one per owner whose agent is short, so their number
 * grows with owners, and the monitor keeps its alerts in one stable cell. Past it a new
 * episode is only logged (the event's notification); the owner still sees it in `get_agent`.
 */
export const MAX_OPEN_FUNDING_ALERTS = 100;

/**
 * The `AgentUnderfunded` condition a funding event states (the agent is the subject), or
 * `undefined` for other events and for a new alert past `MAX_OPEN_FUNDING_ALERTS`.
 *
 * @example
 * fundingCondition(alerts, { AgentFunded: { owner, agent, balance: 5n } }) // { kind: { AgentUnderfunded: null }, holds: false, ... }
 */
export function fundingCondition(alerts: readonly Alert[], event: SystemEvent): AlertCondition | undefined {
    if ('AgentFunded' in event) {
        const e = event.AgentFunded;
        return { kind: { AgentUnderfunded: null }, subject: e.agent.toText(), severity: { Warning: null }, message: `agent of ${e.owner.toText()} topped up: ${e.balance} cycles`, holds: false };
    }
    if (!('AgentUnderfunded' in event)) return undefined;
    const e = event.AgentUnderfunded;
    const subject = e.agent.toText();
    const open = alerts.filter((a) => isOpen(a) && 'AgentUnderfunded' in a.kind);
    if (open.length >= MAX_OPEN_FUNDING_ALERTS && !open.some((a) => a.subject === subject)) return undefined;
    const message = `agent of ${e.owner.toText()} holds ${e.balance} cycles, under the ${e.minimum} new runs need: they wait until it is topped up`;
    return { kind: { AgentUnderfunded: null }, subject, severity: { Warning: null }, message, holds: true };
}
