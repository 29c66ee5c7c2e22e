/** The scheduler's health report to the monitor (numbers only it knows; see HealthReporter). */
import { HealthReporter } from '../../common/health-reporter';
import { deployment, emergency, getCounters, outboxSize } from './state';

/**
 * Failed starts count as failures; executions themselves are counted by the orchestrator, so
 * the scheduler reports none (the monitor's failure rate would otherwise count them twice).
 * `active_executions` is the number of start requests waiting in the outbox.
 */
export const reporter = new HealthReporter({
    role: { Scheduler: null },
    monitor: () => deployment.peer('monitor'),
    emergency,
    numbers: () => ({
        active_executions: outboxSize(),
        failures_total: getCounters().starts_failed,
        executions_completed_total: 0n,
        execution_time_ns_total: 0n
    })
});
