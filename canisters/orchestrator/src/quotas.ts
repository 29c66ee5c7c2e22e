/**
 * Owner quotas as the orchestrator applies them: the budget a step may spend, the accounting
 * of what it spent, and the owner's view of both. The arithmetic is `shared/workflow/quotas.ts`.
 */

import {
    OrchestratorMethods,
    chargeNotification,
    countQuota,
    countRefusedNotification,
    decodeQuotaLimits,
    encodeOwnerQuotas,
    encodeQuotaLimits,
    historyToPrune,
    invalidQuotaLimit,
    notificationsLeft,
    quotaRefusal,
    workflowError,
    type CountedQuota,
    type OwnerQuotaLimitsWire,
    type OwnerQuotasWire,
    type SetOwnerQuotasArg,
    type WorkflowError
} from '../../../shared/workflow';
import { apiError, type ApiError } from '../../../shared/common/errors';
import { method } from '../../common/method';
import { requireSignedIn } from './guards';
import { awaitingLiquidationOf } from './liquidations';
import type { OwnerBudget } from './logic';
import { limitsOf, putLimits, updateUsage, usageOf } from './owner-state';
import { deleteExecution, deployment, finishedCountOf, oldestFinishedOf } from './state';
import * as runtime from './runtime';
import { err, type Result } from '../../../shared/common/result';

/** What the owner (principal text) may still spend in this message. */
export function budgetOf(owner: string, now: bigint): OwnerBudget {
    return { notifications: notificationsLeft(usageOf(owner), now, limitsOf(owner)) };
}

/** `LimitExceeded` when the owner has no room for one more of `quota` (nothing is changed). */
export function quotaExceeded(owner: string, quota: CountedQuota): ApiError | undefined {
    const r = quotaRefusal(quota, usageOf(owner), limitsOf(owner));
    return r === undefined ? undefined : apiError.limitExceeded(r.limit, r.max);
}

/** Counts one more (`1`) or one fewer (`-1`) of `quota` for the owner. */
export function countFor(owner: string, quota: CountedQuota, delta: 1 | -1): void {
    updateUsage(owner, (u) => countQuota(u, quota, delta));
}

/**
 * Keeps the owner's stored history within their quota after `justFinished` finished: deletes
 * their oldest finished executions beyond it (never `justFinished`, never an unfinished one,
 * never one whose liquidation waits for its report: it goes at a later finish).
 */
export function pruneHistoryOf(owner: string, justFinished: string): void {
    const excess = historyToPrune(finishedCountOf(owner), limitsOf(owner).storedExecutions);
    if (excess === 0) return;
    const keep = new Set([justFinished, ...awaitingLiquidationOf(owner)]);
    for (const id of oldestFinishedOf(owner, excess, keep)) deleteExecution(id);
}

export function chargeNotificationTo(owner: string, now: bigint): void {
    updateUsage(owner, (u) => chargeNotification(u, now));
}

export function countRefusedNotificationOf(owner: string): void {
    updateUsage(owner, countRefusedNotification);
}

export class QuotaMethods {
    /**
     * The caller's quotas: the limits that apply to them and what they used.
     * Call context: query; any non-anonymous caller, for themselves. Errors: Unauthorized (anonymous).
     */
    @method(OrchestratorMethods.get_owner_quotas)
    get_owner_quotas(): Result<OwnerQuotasWire, WorkflowError> {
        const caller = runtime.caller();
        const denied = requireSignedIn(caller);
        if (denied !== undefined) return err(denied);
        return { Ok: encodeOwnerQuotas(usageOf(caller.toText()), runtime.now(), limitsOf(caller.toText()), finishedCountOf(caller.toText())) };
    }

    /**
     * Sets the quota limits of one owner (`owner = [p]`), or the default of every owner without
     * their own (`owner = []`). Lowering a limit under what an owner uses takes nothing away:
     * it refuses their next workflow or start until they are under it again (versions are
     * pruned at their next update). Answers the limits stored.
     * Call context: update; admins and controllers. Errors: Unauthorized, InvalidInput (`limits.<field>`).
     */
    @method(OrchestratorMethods.set_owner_quotas)
    set_owner_quotas(arg: SetOwnerQuotasArg): Result<OwnerQuotaLimitsWire, WorkflowError> {
        const caller = runtime.caller();
        if (!deployment.isAdmin(caller)) return err(workflowError.unauthorized(caller));
        const limits = decodeQuotaLimits(arg.limits);
        const invalid = invalidQuotaLimit(limits);
        if (invalid !== undefined) return err(workflowError.invalidInput(invalid.field, invalid.message));
        putLimits(arg.owner[0]?.toText(), limits);
        return { Ok: encodeQuotaLimits(limits) };
    }
}
