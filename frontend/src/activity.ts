/**
 * Executions per hour and failure rate over a window (pure), from the owner's execution list:
 * what the activity plots draw.
 */
import type { ExecutionStatus } from '../../shared/workflow/execution';

export type ExecutionPoint = { createdAtMs: number; status: ExecutionStatus };
export type HourBucket = { hourStartMs: number; executions: number; failed: number; failureRate: number };

const HOUR_MS = 3_600_000;

/** One bucket per hour of the window ending at `nowMs` (the last one is the current hour), oldest first. */
export function hourlyActivity(points: ExecutionPoint[], nowMs: number, windowMs: number): HourBucket[] {
    const hours = Math.max(1, Math.ceil(windowMs / HOUR_MS));
    const lastHour = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
    const buckets: HourBucket[] = [];
    for (let i = hours - 1; i >= 0; i--) buckets.push({ hourStartMs: lastHour - i * HOUR_MS, executions: 0, failed: 0, failureRate: 0 });
    const first = buckets[0]!.hourStartMs;
    for (const point of points) {
        if (point.createdAtMs < first || point.createdAtMs >= lastHour + HOUR_MS) continue;
        const bucket = buckets[Math.floor((point.createdAtMs - first) / HOUR_MS)]!;
        bucket.executions += 1;
        if (point.status === 'Failed') bucket.failed += 1;
    }
    for (const bucket of buckets) bucket.failureRate = bucket.executions === 0 ? 0 : bucket.failed / bucket.executions;
    return buckets;
}
