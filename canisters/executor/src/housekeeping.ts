/** Periodic work: retention of finished attempts, and the health report to the monitor. */
import { time } from 'azle';

import { HealthReporter } from '../../common/health-reporter';
import { msToNs } from '../../../shared/workflow';
import { retentionDropCount } from './logic';
import { armWake } from './runner';
import { activeCount, deleteAttempt, deployment, emergency, getMeta, prunableAttempts } from './state';

/** Attempts kept: enough for the orchestrator's retries and a drill's inspection. */
export const ATTEMPT_RETENTION = { maxRecords: 10_000, maxAgeMs: 7 * 24 * 60 * 60 * 1000 };

/** How often retention runs (seconds). */
export const RETENTION_INTERVAL_SECONDS = 60;

/** Deletions per run, so one timer message's work stays bounded. */
const PRUNE_BATCH = 500;

/**
 * Deletes finished, acknowledged attempts past the age limit or beyond the record limit,
 * oldest first, reading only the retention index's front (its cost does not grow with what is stored).
 */
export function pruneFinished(now: bigint = time()): number {
    const prunable = prunableAttempts(now - msToNs(ATTEMPT_RETENTION.maxAgeMs), PRUNE_BATCH);
    const drop = prunable.oldest(retentionDropCount(prunable.expired, prunable.total, ATTEMPT_RETENTION.maxRecords, PRUNE_BATCH));
    for (const key of drop) deleteAttempt(key);
    return drop.length;
}

/** Reports every 60 s; leaving emergency mode through the ack wakes held attempts. */
export const reporter = new HealthReporter({
    role: { Executor: null },
    monitor: () => deployment.peer('monitor'),
    emergency,
    numbers: () => {
        const c = getMeta().counters;
        return { active_executions: activeCount(), failures_total: c.failuresTotal, executions_completed_total: c.completedTotal, execution_time_ns_total: c.runTimeNsTotal };
    },
    onModeChange: () => armWake(time())
});
