/**
 * Per-owner quotas of the orchestrator: what one owner may take of what every owner shares.
 * Pure accounting here (unit-tested beside it); the orchestrator stores one usage record per
 * owner and answers `get_owner_quotas`.
 */
import { resultWire } from './api-common';
import { c, type Infer, type MethodSpec } from '../common/codec';

/** The limits that apply to one owner. */
export type OwnerQuotaLimits = {
    /**
     * Notifications (Notify nodes, `SendNotification` emergency actions, `NotifyAndContinue`
     * fallbacks) forwarded to the monitor per clock hour (UTC). The monitor keeps its last 500
     * entries for everyone, including the audit trail of emergency changes, so one owner must
     * not be able to push them out.
     */
    notificationsPerHour: number;
};

export const DEFAULT_OWNER_QUOTAS: OwnerQuotaLimits = { notificationsPerHour: 20 };

const HOUR_NS = 3_600_000_000_000n;

/** What one owner used. `notificationWindowStart` is the start of the clock hour counted. */
export type OwnerUsage = { notificationWindowStart: bigint; notificationsInWindow: number; notificationsRefused: bigint };

export const EMPTY_USAGE: OwnerUsage = { notificationWindowStart: 0n, notificationsInWindow: 0, notificationsRefused: 0n };

function windowStart(now: bigint): bigint {
    return now - (now % HOUR_NS);
}

/** The usage with the notification window moved to the hour of `now` (a new hour starts at 0). */
function current(u: OwnerUsage, now: bigint): OwnerUsage {
    const start = windowStart(now);
    return u.notificationWindowStart === start ? u : { ...u, notificationWindowStart: start, notificationsInWindow: 0 };
}

/**
 * How many notifications the owner may still send this hour.
 *
 * @example
 * notificationsLeft(EMPTY_USAGE, now, DEFAULT_OWNER_QUOTAS); // 20
 */
export function notificationsLeft(u: OwnerUsage, now: bigint, limits: OwnerQuotaLimits): number {
    return Math.max(0, limits.notificationsPerHour - current(u, now).notificationsInWindow);
}

/** One notification sent at `now`. */
export function chargeNotification(u: OwnerUsage, now: bigint): OwnerUsage {
    const c = current(u, now);
    return { ...c, notificationsInWindow: c.notificationsInWindow + 1 };
}

/** One notification refused (over quota): counted so the owner sees it. */
export function countRefusedNotification(u: OwnerUsage): OwnerUsage {
    return { ...u, notificationsRefused: u.notificationsRefused + 1n };
}

/** `get_owner_quotas`: the caller's limits and what they used. */
export const OwnerQuotasWire = c.record({
    limits: c.record({ notifications_per_hour: c.nat32 }),
    usage: c.record({ notifications_this_hour: c.nat32, notifications_refused: c.nat64 })
});
export type OwnerQuotasWire = Infer<typeof OwnerQuotasWire>;

export function encodeOwnerQuotas(u: OwnerUsage, now: bigint, limits: OwnerQuotaLimits): OwnerQuotasWire {
    return {
        limits: { notifications_per_hour: limits.notificationsPerHour },
        usage: { notifications_this_hour: current(u, now).notificationsInWindow, notifications_refused: u.notificationsRefused }
    };
}

/** Method table entries of the orchestrator for quotas (spread into `OrchestratorMethods`). */
export const OwnerQuotaMethods = {
    get_owner_quotas: { args: [], ret: resultWire(OwnerQuotasWire), mode: 'query' }
} as const satisfies Record<string, MethodSpec>;
