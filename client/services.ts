/**
 * The typed Candid services of the DeFlow canisters a client talks to, derived from the
 * contracts in `shared/` (the same definitions the canisters are built from), so a client's
 * types move with the canisters' API. No agent import here: the types are shared by the
 * agent-based client ({@link ./index}) and the inter-canister descriptors ({@link ./inter-canister}).
 */
import type { MonitorMethods } from '../shared/monitoring/service';
import type { SchedulerMethods } from '../shared/scheduling/service';
import type { ExecutorMethods } from '../shared/workflow/executor-api';
import type { OrchestratorMethods } from '../shared/workflow/orchestrator-api';
import type { ServiceOf } from '../shared/common/codec';

/**
 * The orchestrator's service as an actor sees it: one async function per method of
 * {@link OrchestratorMethods}, typed from the method table itself.
 *
 * @example
 * const r = await orchestrator.get_workflow({ workflow_id: 'wf-1', version: [] }); // { Ok: WorkflowWire } | { Err: WorkflowError }
 */
export type OrchestratorService = ServiceOf<typeof OrchestratorMethods>;

/** The scheduler's user-facing methods (peer-only methods are left out), typed from its method table. */
export type SchedulerService = Pick<
    ServiceOf<typeof SchedulerMethods>,
    'schedule_workflow_execution' | 'list_persistent_scheduled_executions' | 'cancel_persistent_execution' | 'get_schedule' | 'pause_schedule' | 'resume_schedule' | 'get_version' | 'set_schedule_quota' | 'get_schedule_quota'
>;

/** The monitor's user- and admin-facing methods (peer-only methods are left out), typed from its method table. */
export type MonitorService = Pick<
    ServiceOf<typeof MonitorMethods>,
    'get_system_health' | 'get_system_metrics' | 'get_metrics_history' | 'trigger_health_check' | 'check_system_alerts' | 'enable_emergency_mode' | 'disable_emergency_mode' | 'acknowledge_alert' | 'get_version'
>;

/** What a client reads from the executor: its version (everything else is for its peers). */
export type ExecutorService = Pick<ServiceOf<typeof ExecutorMethods>, 'get_version'>;
