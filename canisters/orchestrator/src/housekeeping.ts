/**
 * Periodic work: retention of finished executions in bounded batches, and the health report
 * to the monitor (the shared HealthReporter adopts the emergency state of its ack).
 */


import { HealthReporter } from '../../common/health-reporter';
import { reconcileMode } from './engine';
import { awaitingLiquidationOf } from './liquidations';
import { DEFAULT_EXECUTION_RETENTION, pruneExecutions } from './logic';
import { activeCount, deleteExecution, deployment, emergency, getMeta, oldestFinished } from './state';
import * as runtime from './runtime';

/** Finished executions examined per run: the work of one timer message stays bounded. */
const RETENTION_BATCH = 200;

/** How often retention runs (seconds). */
export const RETENTION_INTERVAL_SECONDS = 60;

/** Deletes finished executions beyond the retention bounds (count and age), oldest first. */
export function pruneFinished(now: bigint = runtime.now()): number {
    const { candidates, total } = oldestFinished(RETENTION_BATCH);
    // Only a batch is passed; the rest of the finished set still counts against maxCompleted.
    const maxCompleted = Math.max(0, DEFAULT_EXECUTION_RETENTION.maxCompleted - (total - candidates.length));
    const drop = pruneExecutions(candidates, now, { ...DEFAULT_EXECUTION_RETENTION, maxCompleted });
    // An execution whose liquidation waits for its report stays until the report (awaitingLiquidationOf).
    const ownerOf = new Map(candidates.map((c) => [c.id, c.owner]));
    const pruned = drop.filter((id) => !awaitingLiquidationOf(ownerOf.get(id)!).has(id));
    for (const id of pruned) deleteExecution(id);
    return pruned.length;
}

/** Reports every 60 s; a mode change in the ack pauses or resumes executions. */
export const reporter = new HealthReporter({
    role: { Orchestrator: null },
    monitor: () => deployment.peer('monitor'),
    emergency,
    numbers: () => {
        const c = getMeta().counters;
        return { active_executions: activeCount(), failures_total: c.failuresTotal, executions_completed_total: c.completedTotal, execution_time_ns_total: c.executionTimeNsTotal };
    },
    onModeChange: () => reconcileMode(runtime.now())
});
