/** The scheduler's health report to the monitor (numbers only it knows; see HealthReporter). */
import { HealthReporter } from '../../common/health-reporter';
import { deployment, emergency, getCounters, outboxSize } from './state';

/**
 * The scheduler's work is firings: settled starts are its completed work, the ones that did
 * not start a run its failures, and the time from each firing's due time to its settlement
 * its time. The monitor keeps them in a window of their own (executions are the
 * orchestrator's). `active_executions` is the number of start requests waiting in the outbox.
 */
export const reporter = new HealthReporter({
    role: { Scheduler: null },
    monitor: () => deployment.peer('monitor'),
    emergency,
    numbers: () => ({
        active_executions: outboxSize(),
        failures_total: getCounters().starts_failed,
        executions_completed_total: getCounters().starts_settled,
        execution_time_ns_total: getCounters().start_latency_ns_total
    })
});
