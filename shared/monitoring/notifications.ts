import { c, type Infer } from '../common/codec';
import { AlertKindCodec } from './alerts';

/** @example const l: NotificationLevel = { Warning: null }; */
export const NotificationLevelCodec = c.tags(['Info', 'Warning', 'Error', 'Critical'] as const);
export type NotificationLevel = Infer<typeof NotificationLevelCodec>;

/**
 * Machine-readable events a notification may carry, which the monitor acts on (besides
 * logging): upgrade outcomes reported by deploy tooling feed the `RepeatedUpgradeFailures` alert;
 * the orchestrator's funding events raise and resolve an owner's `AgentUnderfunded` alert.
 *
 * @example
 * const e: SystemEvent = { UpgradeFailed: { canister } };
 */
export const SystemEventCodec = c.variant({
    UpgradeFailed: c.record({ canister: c.principal }),
    UpgradeSucceeded: c.record({ canister: c.principal, canister_version: c.nat64 }),
    /** From the orchestrator only: the owner's agent holds less than `minimum`, so new runs wait (raises `AgentUnderfunded`). */
    AgentUnderfunded: c.record({ owner: c.principal, agent: c.principal, balance: c.nat, minimum: c.nat }),
    /** From the orchestrator only: the owner's agent was topped up (resolves `AgentUnderfunded`). */
    AgentFunded: c.record({ owner: c.principal, agent: c.principal, balance: c.nat })
});
export type SystemEvent = Infer<typeof SystemEventCodec>;

/**
 * Argument of `send_system_notification`.
 *
 * @example
 * const n: NotificationRequest = { level: { Warning: null }, message: 'node retried 3 times', source: 'executor', event: [] };
 */
export const NotificationRequestCodec = c.record({
    level: NotificationLevelCodec,
    message: c.text,
    source: c.text,
    event: c.opt(SystemEventCodec)
});
export type NotificationRequest = Infer<typeof NotificationRequestCodec>;

/**
 * What an alert notification is about, as data: which alert, of what kind, raised or
 * resolved. Readers match these fields, never the message text.
 *
 * @example
 * const a: NotificationAlert = { alert_id: 3n, kind: { StaleHeartbeat: null }, subject: 'rdmx6-…', change: { Raised: null } };
 */
export const NotificationAlertCodec = c.record({
    alert_id: c.nat64,
    kind: AlertKindCodec,
    subject: c.text,
    change: c.tags(['Raised', 'Resolved'] as const)
});
export type NotificationAlert = Infer<typeof NotificationAlertCodec>;

/**
 * One line of the bounded notification log. `alert` is set for alert notifications (absent
 * in entries an earlier release logged).
 *
 * @example
 * const e: NotificationEntry = { id: 1n, level: { Info: null }, message: 'emergency mode off', source: 'monitor', at: now, alert: [] };
 */
export const NotificationEntryCodec = c.record({
    id: c.nat64,
    level: NotificationLevelCodec,
    message: c.text,
    source: c.text,
    at: c.nat64,
    alert: c.opt(NotificationAlertCodec)
});
export type NotificationEntry = Infer<typeof NotificationEntryCodec>;
