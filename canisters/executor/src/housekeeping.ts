/** Periodic work: retention of finished attempts, and the health report to the monitor. */


import { HealthReporter } from '../../common/health-reporter';
import { pruneAttempts } from './logic';
import { armWake } from './runner';
import { activeCount, allAttempts, deleteAttempt, deployment, emergency, getMeta } from './state';
import * as runtime from './runtime';

/** Attempts kept: enough for the orchestrator's retries and a drill's inspection. */
export const ATTEMPT_RETENTION = { maxRecords: 10_000, maxAgeMs: 7 * 24 * 60 * 60 * 1000 };

/** How often retention runs (seconds). */
export const RETENTION_INTERVAL_SECONDS = 60;

/** Deletions per run, so one timer message's work stays bounded. */
const PRUNE_BATCH = 500;

export function pruneFinished(now: bigint = runtime.now()): number {
    const drop = pruneAttempts(allAttempts(), now, ATTEMPT_RETENTION).slice(0, PRUNE_BATCH);
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
    onModeChange: () => armWake(runtime.now())
});
