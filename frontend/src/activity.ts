/**
 * Executions per hour and failure rate over a window (pure): from the owner's execution list
 * (the workflows page) or from the monitor's history buckets (the health page, all owners).
 */
import type { ExecutionStatus } from '../../shared/workflow/execution';

export type ExecutionPoint = { createdAtMs: number; status: ExecutionStatus };
export type HourBucket = { hourStartMs: number; executions: number; failed: number; failureRate: number };

const HOUR_MS = 3_600_000;

/** Counts at one time: one execution (a list entry) or a monitor bucket's totals. */
type Counted = { atMs: number; executions: number; failed: number };

/** One bucket per hour of the window ending at `nowMs` (the last one is the current hour), oldest first. */
function hourly(counted: Counted[], nowMs: number, windowMs: number): HourBucket[] {
    const hours = Math.max(1, Math.ceil(windowMs / HOUR_MS));
    const lastHour = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
    const buckets: HourBucket[] = [];
    for (let i = hours - 1; i >= 0; i--) buckets.push({ hourStartMs: lastHour - i * HOUR_MS, executions: 0, failed: 0, failureRate: 0 });
    const first = buckets[0]!.hourStartMs;
    for (const item of counted) {
        if (item.atMs < first || item.atMs >= lastHour + HOUR_MS) continue;
        const bucket = buckets[Math.floor((item.atMs - first) / HOUR_MS)]!;
        bucket.executions += item.executions;
        bucket.failed += item.failed;
    }
    for (const bucket of buckets) bucket.failureRate = bucket.executions === 0 ? 0 : bucket.failed / bucket.executions;
    return buckets;
}

/** The owner's executions per hour, by creation time. */
export function hourlyActivity(points: ExecutionPoint[], nowMs: number, windowMs: number): HourBucket[] {
    return hourly(points.map((p) => ({ atMs: p.createdAtMs, executions: 1, failed: p.status === 'Failed' ? 1 : 0 })), nowMs, windowMs);
}

/** A bucket of the monitor's executions window (`get_metrics_history`), in milliseconds. */
export type MonitorBucket = { startMs: number; executions: number; failures: number };

/** The monitor's finer buckets (15 min) summed into hours. */
export function hourlyFromMonitor(buckets: MonitorBucket[], nowMs: number, windowMs: number): HourBucket[] {
    return hourly(buckets.map((b) => ({ atMs: b.startMs, executions: b.executions, failed: b.failures })), nowMs, windowMs);
}
