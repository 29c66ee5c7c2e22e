/** Alerts, thresholds and the notification log. */
import { z } from 'zod';

import { apiError, type ApiError } from '../../../shared/common/errors';
import { err, ok, type Result } from '../../../shared/common/result';
import { fromOpt, parseWith } from '../../../shared/common/codec';
import { ThresholdsCodec, type Alert, type Thresholds } from '../../../shared/monitoring/alerts';
import { NotificationRequestCodec, type NotificationEntry, type NotificationRequest } from '../../../shared/monitoring/notifications';
import { MAX_NOTIFICATION_PAGE, MonitorMethods as M } from '../../../shared/monitoring/service';
import { requireAdmin, requirePeerOrAdmin } from './guards';
import { deployment } from './state';
import { acknowledgeAlert, fundingCondition, openAlerts, runAlertCheck } from './logic/alerts';
import { applySystemEvent } from './logic/health';
import { appendNotification } from './logic/notifications';
import * as runtime from './runtime';
import * as state from './state';
import { method } from '../../common/method';

export class AlertMethods {
    /**
     * Evaluates every threshold now (raising and resolving alerts) and answers the open ones.
     * Call context: update; anyone (it only reads what the monitor already knows).
     */
    @method(M.check_system_alerts)
    check_system_alerts(): Result<Alert[], ApiError> {
        const now = runtime.now();
        const result = state.update((s) => runAlertCheck(s, now));
        return ok(openAlerts(result.state.alerts));
    }

    /**
     * Marks an open alert as seen. Call context: update. Callers: admins, controllers.
     * Errors: `Unauthorized`, `NotFound` (unknown id), `Conflict` (already resolved).
     */
    @method(M.acknowledge_alert)
    acknowledge_alert(id: bigint): Result<Alert, ApiError> {
        const caller = runtime.caller();
        const denied = requireAdmin(caller);
        if (denied !== undefined) return err(denied);
        const parsed = parseWith(z.bigint().min(0n), id);
        if ('Err' in parsed) return parsed;
        const before = state.load();
        const acked = acknowledgeAlert(before.alerts, parsed.Ok, caller, runtime.now());
        if ('Err' in acked) return acked;
        state.save(before, { ...before, alerts: acked.Ok.alerts });
        return ok(acked.Ok.alert);
    }

    /**
     * Logs a notification (cut to 1,000 characters, never refused for length). A structured
     * event (upgrade failed/succeeded) feeds the `RepeatedUpgradeFailures` alert; an agent
     * funding event raises or resolves the owner's `AgentUnderfunded` alert.
     * Call context: update. Callers: the peers, admins, controllers; funding events the
     * orchestrator only. Errors: `Unauthorized`, `InvalidInput`.
     */
    @method(M.send_system_notification)
    send_system_notification(arg: NotificationRequest): Result<NotificationEntry, ApiError> {
        const caller = runtime.caller();
        const denied = requirePeerOrAdmin(caller);
        if (denied !== undefined) return err(denied);
        const parsed = parseWith(NotificationRequestCodec.schema, arg);
        if ('Err' in parsed) return parsed;
        const request = parsed.Ok;
        const event = fromOpt(request.event);
        // Only the orchestrator reads agents' balances: nobody else may raise or resolve an owner's funding alert.
        if (event !== undefined && ('AgentUnderfunded' in event || 'AgentFunded' in event) && !deployment.isPeer(caller, 'orchestrator')) return err(apiError.unauthorized(caller));
        const now = runtime.now();
        const result = state.update((s) => {
            const logged = appendNotification(s, request.level, request.message, request.source, now);
            const funding = event === undefined ? undefined : fundingCondition(logged.state.alerts, event);
            const withEvent = event === undefined ? logged.state : runAlertCheck(applySystemEvent(logged.state, event), now, funding === undefined ? [] : [funding]).state;
            return { state: withEvent, entry: logged.entry };
        });
        return ok(result.entry);
    }

    /**
     * Notification log entries with id greater than `after`, oldest first, at most 100.
     * Call context: query. Callers: admins, controllers. Errors: `Unauthorized`.
     */
    @method(M.get_notifications)
    get_notifications(after: [] | [bigint]): Result<NotificationEntry[], ApiError> {
        const denied = requireAdmin(runtime.caller());
        if (denied !== undefined) return err(denied);
        const from = fromOpt(after) ?? 0n;
        return ok(state.load().notifications.filter((n) => n.id > from).slice(0, MAX_NOTIFICATION_PAGE));
    }

    /**
     * Replaces the alert thresholds and re-checks alerts against them.
     * Call context: update. Callers: admins, controllers. Errors: `Unauthorized`, `InvalidInput`.
     */
    @method(M.set_thresholds)
    set_thresholds(arg: Thresholds): Result<Thresholds, ApiError> {
        const denied = requireAdmin(runtime.caller());
        if (denied !== undefined) return err(denied);
        const parsed = parseWith(ThresholdsCodec.schema, arg);
        if ('Err' in parsed) return parsed;
        const now = runtime.now();
        state.update((s) => runAlertCheck({ ...s, thresholds: parsed.Ok }, now));
        return ok(parsed.Ok);
    }
}
