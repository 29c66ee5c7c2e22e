/**
 * The periodic timer: health report to the monitor (adopting the emergency state of its ack)
 * and retention of finished executions in bounded batches.
 */
import { canisterCycleBalance, canisterSelf, canisterVersion, time } from 'azle';

import { reportHealth } from '../../common/health-report';
import { adoptEmergency } from './engine';
import { DEFAULT_EXECUTION_RETENTION, pruneExecutions } from './logic';
import { activeCount, deleteExecution, deployment, oldestFinished, updateMeta } from './state';

/** Finished executions examined per run: the work of one timer message stays bounded. */
const RETENTION_BATCH = 200;

/** Deletes finished executions beyond the retention bounds (count and age), oldest first. */
export function pruneFinished(now: bigint): number {
    const { candidates, total } = oldestFinished(RETENTION_BATCH);
    // Only a batch is passed; the rest of the finished set still counts against maxCompleted.
    const maxCompleted = Math.max(0, DEFAULT_EXECUTION_RETENTION.maxCompleted - (total - candidates.length));
    const drop = pruneExecutions(candidates, now, { ...DEFAULT_EXECUTION_RETENTION, maxCompleted });
    for (const id of drop) deleteExecution(id);
    return drop.length;
}

/** Call context: timer (every HEALTH_REPORT_INTERVAL_SECONDS). */
export async function housekeeping(): Promise<void> {
    pruneFinished(time());
    const m = updateMeta((x) => ({ ...x, counters: { ...x.counters, reportSequence: x.counters.reportSequence + 1n } }));
    const emergency = await reportHealth(deployment.peer('monitor'), {
        canister: canisterSelf(),
        role: { Orchestrator: null },
        sequence: m.counters.reportSequence,
        last_heartbeat: time(),
        active_executions: activeCount(),
        failures_total: m.counters.failuresTotal,
        executions_completed_total: m.counters.completedTotal,
        execution_time_ns_total: m.counters.executionTimeNsTotal,
        cycles_balance: canisterCycleBalance(),
        // Azle 0.33 exposes no memory-size API to canister code; the monitor reads these as unknown.
        heap_memory_bytes: 0n,
        stable_memory_bytes: 0n,
        canister_version: canisterVersion()
    });
    if (emergency !== undefined) adoptEmergency(emergency, time());
}
