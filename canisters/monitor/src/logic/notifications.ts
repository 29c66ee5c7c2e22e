import type { NotificationEntry, NotificationLevel } from '../../../../shared/monitoring/notifications';
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
 */
export function appendNotification(
    state: MonitorState,
    level: NotificationLevel,
    message: string,
    source: string,
    now: bigint,
    cap: number = NOTIFICATION_LOG_CAP
): { state: MonitorState; entry: NotificationEntry } {
    const entry: NotificationEntry = { id: state.next_notification_id, level, message: message.slice(0, MAX_NOTIFICATION_LENGTH), source: source.slice(0, 64), at: now };
    const log = [...state.notifications, entry];
    return {
        state: { ...state, notifications: log.length > cap ? log.slice(log.length - cap) : log, next_notification_id: state.next_notification_id + 1n },
        entry
    };
}
