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
    /** Workflows the owner may keep; one more is refused (`LimitExceeded { workflows }`). */
    workflows: number;
    /**
     * Versions kept per workflow: storing one more prunes the oldest no unfinished execution
     * runs (a definition may be 320 KiB; every version used to be kept).
     */
    versionsPerWorkflow: number;
    /** Unfinished executions (running, paused, waiting for funding); one more start is refused (`LimitExceeded { concurrent_executions }`). */
    concurrentExecutions: number;
    /**
     * Finished executions (with their node history) kept for the owner. When one more
     * finishes, the oldest finished ones beyond this are deleted (oldest started first); an
     * unfinished execution is never deleted, and new runs are never refused for history: a
     * DeFi automation must keep protecting a position whatever its log holds.
     */
    storedExecutions: number;
};

export const DEFAULT_OWNER_QUOTAS: OwnerQuotaLimits = { notificationsPerHour: 20, workflows: 100, versionsPerWorkflow: 20, concurrentExecutions: 50, storedExecutions: 1_000 };

/** What an admin may set at most per quota (`set_owner_quotas`), so no setting can make one owner's share unbounded. */
export const MAX_OWNER_QUOTAS: OwnerQuotaLimits = { notificationsPerHour: 1_000, workflows: 10_000, versionsPerWorkflow: 1_000, concurrentExecutions: 10_000, storedExecutions: 10_000 };

const HOUR_NS = 3_600_000_000_000n;

/**
 * What one owner used. `notificationWindowStart` is the start of the clock hour counted.
 * `workflows` and `activeExecutions` count from the release that introduced them: what an
 * owner had before is not counted (records written earlier read them as 0).
 */
export type OwnerUsage = { notificationWindowStart: bigint; notificationsInWindow: number; notificationsRefused: bigint; workflows: number; activeExecutions: number };

export const EMPTY_USAGE: OwnerUsage = { notificationWindowStart: 0n, notificationsInWindow: 0, notificationsRefused: 0n, workflows: 0, activeExecutions: 0 };

/** A countable quota: what it is called in `LimitExceeded { limit }`. */
export type CountedQuota = 'workflows' | 'concurrent_executions';

/**
 * The refusal when one more of `quota` would exceed the owner's limit, else `undefined`.
 *
 * @example
 * quotaRefusal('workflows', { ...EMPTY_USAGE, workflows: 100 }, DEFAULT_OWNER_QUOTAS); // { limit: 'workflows', max: 100n }
 */
export function quotaRefusal(quota: CountedQuota, u: OwnerUsage, limits: OwnerQuotaLimits): { limit: CountedQuota; max: bigint } | undefined {
    const [used, max] = quota === 'workflows' ? [u.workflows, limits.workflows] : [u.activeExecutions, limits.concurrentExecutions];
    return used >= max ? { limit: quota, max: BigInt(max) } : undefined;
}

/** One more (`+1`) or one fewer (`-1`) of `quota`; never below zero (what was there before counting began is not counted). */
export function countQuota(u: OwnerUsage, quota: CountedQuota, delta: 1 | -1): OwnerUsage {
    const key = quota === 'workflows' ? 'workflows' : 'activeExecutions';
    return { ...u, [key]: Math.max(0, u[key] + delta) };
}

/**
 * Versions of a workflow to delete after version `latest` was stored: every version older
 * than the newest `keep` that no unfinished execution runs.
 *
 * @example
 * versionsToPrune(25, 20, new Set([2]), (v) => true); // [1, 3, 4, 5]
 */
export function versionsToPrune(latest: number, keep: number, running: ReadonlySet<number>, exists: (v: number) => boolean): number[] {
    const out: number[] = [];
    for (let v = 1; v <= latest - keep; v++) if (!running.has(v) && exists(v)) out.push(v);
    return out;
}

/** Finished executions deleted at most per finish: lowering the quota shrinks a long history over later finishes, in bounded messages. */
export const MAX_HISTORY_PRUNED_PER_FINISH = 20;

/**
 * How many of the owner's oldest finished executions to delete now that `kept` are stored
 * (the one just finished included) and the quota is `limit`.
 *
 * @example
 * historyToPrune(1_001, 1_000); // 1
 * historyToPrune(500, 100); // 20 (MAX_HISTORY_PRUNED_PER_FINISH; the rest at later finishes)
 */
export function historyToPrune(kept: number, limit: number): number {
    return Math.min(MAX_HISTORY_PRUNED_PER_FINISH, Math.max(0, kept - limit));
}

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

export const OwnerQuotaLimitsWire = c.record({ notifications_per_hour: c.nat32, workflows: c.nat32, versions_per_workflow: c.nat32, concurrent_executions: c.nat32, stored_executions: c.nat32 });
export type OwnerQuotaLimitsWire = Infer<typeof OwnerQuotaLimitsWire>;

export function encodeQuotaLimits(l: OwnerQuotaLimits): OwnerQuotaLimitsWire {
    return { notifications_per_hour: l.notificationsPerHour, workflows: l.workflows, versions_per_workflow: l.versionsPerWorkflow, concurrent_executions: l.concurrentExecutions, stored_executions: l.storedExecutions };
}

export function decodeQuotaLimits(l: OwnerQuotaLimitsWire): OwnerQuotaLimits {
    return { notificationsPerHour: l.notifications_per_hour, workflows: l.workflows, versionsPerWorkflow: l.versions_per_workflow, concurrentExecutions: l.concurrent_executions, storedExecutions: l.stored_executions };
}

/**
 * Why a limit set by an admin is refused (`InvalidInput { field }`), or `undefined`: every
 * quota is at least 1 (0 notifications allowed) and at most `MAX_OWNER_QUOTAS`.
 */
export function invalidQuotaLimit(l: OwnerQuotaLimits): { field: string; message: string } | undefined {
    const fields: [keyof OwnerQuotaLimits, string, number][] = [
        ['notificationsPerHour', 'notifications_per_hour', 0],
        ['workflows', 'workflows', 1],
        ['versionsPerWorkflow', 'versions_per_workflow', 1],
        ['concurrentExecutions', 'concurrent_executions', 1],
        ['storedExecutions', 'stored_executions', 1]
    ];
    for (const [key, field, min] of fields) {
        if (l[key] < min || l[key] > MAX_OWNER_QUOTAS[key]) return { field: `limits.${field}`, message: `must be ${min} to ${MAX_OWNER_QUOTAS[key]}` };
    }
    return undefined;
}

/** `get_owner_quotas`: the caller's limits and what they used (`stored_executions`: finished executions kept). */
export const OwnerQuotasWire = c.record({
    limits: OwnerQuotaLimitsWire,
    usage: c.record({ notifications_this_hour: c.nat32, notifications_refused: c.nat64, workflows: c.nat32, concurrent_executions: c.nat32, stored_executions: c.nat32 })
});
export type OwnerQuotasWire = Infer<typeof OwnerQuotasWire>;

export function encodeOwnerQuotas(u: OwnerUsage, now: bigint, limits: OwnerQuotaLimits, storedExecutions: number): OwnerQuotasWire {
    return {
        limits: encodeQuotaLimits(limits),
        usage: { notifications_this_hour: current(u, now).notificationsInWindow, notifications_refused: u.notificationsRefused, workflows: u.workflows, concurrent_executions: u.activeExecutions, stored_executions: storedExecutions }
    };
}

/** `set_owner_quotas`: the default for every owner (`owner = []`), or one owner's own limits. */
export const SetOwnerQuotasArgWire = c.record({ owner: c.opt(c.principal), limits: OwnerQuotaLimitsWire });
export type SetOwnerQuotasArg = Infer<typeof SetOwnerQuotasArgWire>;

/** Method table entries of the orchestrator for quotas (spread into `OrchestratorMethods`). */
export const OwnerQuotaMethods = {
    get_owner_quotas: { args: [], ret: resultWire(OwnerQuotasWire), mode: 'query' },
    set_owner_quotas: { args: [SetOwnerQuotasArgWire], ret: resultWire(OwnerQuotaLimitsWire), mode: 'update' }
} as const satisfies Record<string, MethodSpec>;
