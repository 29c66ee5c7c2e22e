/**
 * The typed Candid services of the DeFlow canisters a client talks to, derived from the
 * contracts in `shared/` (the same definitions the canisters are built from), so a client's
 * types move with the canisters' API. No agent import here: the types are shared by the
 * agent-based client ({@link ./index}) and the inter-canister descriptors ({@link ./inter-canister}).
 */
import type { ApiError } from '../shared/common/errors';
import type { Result } from '../shared/common/result';
import type { VersionInfo } from '../shared/common/version';
import type { Alert } from '../shared/monitoring/alerts';
import type { DisableEmergencyRequest, EmergencyState, EnableEmergencyRequest } from '../shared/monitoring/emergency';
import type { SystemHealth, SystemMetrics } from '../shared/monitoring/metrics';
import type { MonitorMethods } from '../shared/monitoring/service';
import type { Schedule, ScheduleRequest } from '../shared/scheduling/schedule';
import type { ListSchedulesRequest, ScheduleDetails, SchedulePage, ScheduleQuota, SchedulerMethods, SetScheduleQuotaRequest } from '../shared/scheduling/service';
import type { ExecutorMethods } from '../shared/workflow/executor-api';
import type { OrchestratorMethods } from '../shared/workflow/orchestrator-api';
import type { WireOf } from '../shared/workflow/wire';

type WireArgs<A extends readonly unknown[]> = { -readonly [K in keyof A]: WireOf<A[K]> };

/**
 * The orchestrator's service as an actor sees it: one async function per method of
 * {@link OrchestratorMethods}, typed from the method table itself.
 *
 * @example
 * const r = await orchestrator.get_workflow({ workflow_id: 'wf-1', version: [] }); // { Ok: WorkflowWire } | { Err: WorkflowError }
 */
export type OrchestratorService = {
    [K in keyof typeof OrchestratorMethods]: (...args: WireArgs<(typeof OrchestratorMethods)[K]['args']>) => Promise<WireOf<(typeof OrchestratorMethods)[K]['ret']>>;
};

/**
 * The scheduler's user-facing methods, typed from the codecs of `shared/scheduling` (its
 * method table carries untyped IDL, so the signatures are spelled here and checked against the
 * table's method names below). Peer-only methods are left out.
 */
export interface SchedulerService {
    schedule_workflow_execution(request: ScheduleRequest): Promise<Result<Schedule, ApiError>>;
    list_persistent_scheduled_executions(request: ListSchedulesRequest): Promise<Result<SchedulePage, ApiError>>;
    cancel_persistent_execution(scheduleId: string): Promise<Result<Schedule, ApiError>>;
    get_schedule(scheduleId: string): Promise<Result<ScheduleDetails, ApiError>>;
    pause_schedule(scheduleId: string): Promise<Result<Schedule, ApiError>>;
    /** Admins: the schedules one owner (or, `owner = []`, every owner without their own) may hold. */
    set_schedule_quota(request: SetScheduleQuotaRequest): Promise<Result<number, ApiError>>;
    /** The caller's schedule quota and how many schedules they hold. */
    get_schedule_quota(): Promise<Result<ScheduleQuota, ApiError>>;
    resume_schedule(scheduleId: string): Promise<Result<Schedule, ApiError>>;
    get_version(): Promise<VersionInfo>;
}

/** The monitor's user- and admin-facing methods, typed from `shared/monitoring`. Peer-only methods are left out. */
export interface MonitorService {
    get_system_health(): Promise<SystemHealth>;
    get_system_metrics(): Promise<SystemMetrics>;
    trigger_health_check(): Promise<Result<SystemHealth, ApiError>>;
    check_system_alerts(): Promise<Result<Alert[], ApiError>>;
    enable_emergency_mode(request: EnableEmergencyRequest): Promise<Result<EmergencyState, ApiError>>;
    disable_emergency_mode(request: DisableEmergencyRequest): Promise<Result<EmergencyState, ApiError>>;
    acknowledge_alert(alertId: bigint): Promise<Result<Alert, ApiError>>;
    get_version(): Promise<VersionInfo>;
}

/** What a client reads from the executor: its version (everything else is for its peers). */
export interface ExecutorService {
    get_version(): Promise<VersionInfo>;
}

// Every method spelled above exists in the canister's method table (a renamed method fails to compile).
type Assert<T extends true> = T;
export type SchedulerServiceIsInTable = Assert<keyof SchedulerService extends keyof typeof SchedulerMethods ? true : false>;
export type MonitorServiceIsInTable = Assert<keyof MonitorService extends keyof typeof MonitorMethods ? true : false>;
export type ExecutorServiceIsInTable = Assert<keyof ExecutorService extends keyof typeof ExecutorMethods ? true : false>;
