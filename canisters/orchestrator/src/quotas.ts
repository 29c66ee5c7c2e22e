/**
 * Owner quotas as the orchestrator applies them: the budget a step may spend, the accounting
 * of what it spent, and the owner's view of both. The arithmetic is `shared/workflow/quotas.ts`.
 */

import { DEFAULT_OWNER_QUOTAS, OrchestratorMethods, chargeNotification, countRefusedNotification, encodeOwnerQuotas, notificationsLeft, type OwnerQuotasWire, type WorkflowError } from '../../../shared/workflow';
import { method } from '../../common/method';
import { requireSignedIn } from './guards';
import type { OwnerBudget } from './logic';
import { updateUsage, usageOf } from './owner-state';
import * as runtime from './runtime';
import type { Result } from '../../../shared/common/result';

/** What the owner (principal text) may still spend in this message. */
export function budgetOf(owner: string, now: bigint): OwnerBudget {
    return { notifications: notificationsLeft(usageOf(owner), now, DEFAULT_OWNER_QUOTAS) };
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
        if (denied !== undefined) return { Err: denied };
        return { Ok: encodeOwnerQuotas(usageOf(caller.toText()), runtime.now(), DEFAULT_OWNER_QUOTAS) };
    }
}
