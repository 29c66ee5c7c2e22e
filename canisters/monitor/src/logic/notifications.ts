import type { NotificationAlert, NotificationEntry, NotificationLevel } from '../../../../shared/monitoring/notifications';
import type { MonitorState } from './state';

/** Notification log capacity: the oldest entries go first. */
export const NOTIFICATION_LOG_CAP = 500;
/** Longest message kept; longer ones are cut, not refused (a notification must never fail to log). */
export const MAX_NOTIFICATION_LENGTH = 1_000;

/**
 * Appends to the bounded notification log.
 *
 * @example
 * const { state: next, entry } = appendNotification(state, { Warning: null }, 'low cycles', 'monitor', now);
 * appendNotification(state, { Info: null }, 'alert 3 resolved', 'monitor', now, { alert: { alert_id: 3n, kind, subject, change: { Resolved: null } } });
 */
export function appendNotification(
    state: MonitorState,
    level: NotificationLevel,
    message: string,
    source: string,
    now: bigint,
    options: { cap?: number; alert?: NotificationAlert } = {}
): { state: MonitorState; entry: NotificationEntry } {
    const cap = options.cap ?? NOTIFICATION_LOG_CAP;
    const entry: NotificationEntry = {
        id: state.next_notification_id,
        level,
        message: message.slice(0, MAX_NOTIFICATION_LENGTH),
        source: source.slice(0, 64),
        at: now,
        alert: options.alert === undefined ? [] : [options.alert]
    };
    const log = [...state.notifications, entry];
    return {
        state: { ...state, notifications: log.length > cap ? log.slice(log.length - cap) : log, next_notification_id: state.next_notification_id + 1n },
        entry
    };
}
