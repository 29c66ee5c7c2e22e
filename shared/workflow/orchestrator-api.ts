import { decodeWorkflow, WorkflowDefinitionWire, WorkflowStatusWire, WorkflowWire } from './definition';
import { ExecutionStatusWire, ExecutionWire, NodeErrorWire, TriggerWire } from './execution';
import { DeadLetterPageResultWire, EmergencyStateWire, NullApiResultWire, PageRequestWire, VersionInfoWire, pageWire, resultWire, serviceFactory, type MethodSpec } from './api-common';
import { OwnerAgentMethods, OwnerSettingsMethods } from './owner-api';
import { OwnerQuotaMethods } from './quotas';
import { w, type WireOf } from './wire';
import { ApiErrorIdl, type ApiError } from '../common/errors';
import { StartScheduledExecutionRequestIdl, StartScheduledExecutionResultCodec, type StartScheduledExecutionRequest, type StartScheduledExecutionResult as ScheduledStartResult } from '../scheduling/outbox';
import { CheckScheduleTargetMethod, type ScheduleTargetRequest, type WorkflowTargetResult } from '../scheduling/target';

/**
 * The orchestrator's Candid API. Every fallible method returns `Result<T, WorkflowError>`.
 * User methods check the caller against the workflow owner (`Unauthorized`); peer methods
 * accept only the scheduler/executor principals given at install time.
 */

const WorkflowIdArg = w.record({ workflow_id: w.text });
const ExecutionIdArg = w.record({ execution_id: w.text });

/** `update_workflow`: a new version; `expected_version` guards against lost updates (`Conflict`). */
export const UpdateWorkflowArgWire = w.record({ workflow_id: w.text, expected_version: w.opt(w.nat32), definition: WorkflowDefinitionWire });
export type UpdateWorkflowArg = WireOf<typeof UpdateWorkflowArgWire>;

/** `get_workflow`: the latest version, or the given one (executions keep their version). */
export const GetWorkflowArgWire = w.record({ workflow_id: w.text, version: w.opt(w.nat32) });
export type GetWorkflowArg = WireOf<typeof GetWorkflowArgWire>;

export const WorkflowSummaryWire = w.record({
    id: w.text,
    name: w.text,
    version: w.nat32,
    status: WorkflowStatusWire,
    node_count: w.nat32,
    updated_at: w.nat64
});
export type WorkflowSummary = WireOf<typeof WorkflowSummaryWire>;

/** `start_execution`: input is JSON text (default `null`). */
export const StartExecutionArgWire = w.record({ workflow_id: w.text, input: w.opt(w.text) });
export type StartExecutionArg = WireOf<typeof StartExecutionArgWire>;

/** Creation order of a listing: oldest first (the default when absent) or newest first. */
export const ListOrderWire = w.variant({ OldestFirst: w.null, NewestFirst: w.null });
export type ListOrder = WireOf<typeof ListOrderWire>;

/**
 * `list_executions`: filters are ANDed; the caller sees only executions of own workflows.
 * `page.cursor` is the last id of the previous page (same `order`); `order` absent means oldest first.
 */
export const ListExecutionsArgWire = w.record({ workflow_id: w.opt(w.text), status: w.opt(ExecutionStatusWire), page: PageRequestWire, order: w.opt(ListOrderWire) });
export type ListExecutionsArg = WireOf<typeof ListExecutionsArgWire>;

export const ExecutionSummaryWire = w.record({
    id: w.text,
    workflow_id: w.text,
    workflow_version: w.nat32,
    trigger: TriggerWire,
    status: ExecutionStatusWire,
    created_at: w.nat64,
    finished_at: w.opt(w.nat64)
});
export type ExecutionSummary = WireOf<typeof ExecutionSummaryWire>;

/**
 * `start_scheduled_execution` (scheduler only). The argument is the scheduler's own contract
 * type ({@link StartScheduledExecutionRequestIdl}, one definition in `shared/scheduling`). The
 * same `idempotency_key` always answers the first execution's id, so a retried start after an
 * upgrade never starts twice. The error is the plain {@link ApiError} the scheduler decodes
 * (a Candid variant with tags it does not know would fail to decode on its side); `Held`
 * says the workflow is paused or deleted. One definition: the scheduler's contract.
 */
export const StartedExecutionWire = w.record({ execution_id: w.text });
export type StartedExecution = WireOf<typeof StartedExecutionWire>;
export const StartScheduledExecutionResultWire = w.from<ScheduledStartResult>(StartScheduledExecutionResultCodec.idl);
export type StartScheduledExecutionResult = ScheduledStartResult;

/** The outcome of one node attempt: JSON output text, or a typed error. */
export const AttemptOutcomeWire = w.variant({ Succeeded: w.record({ output: w.text }), Failed: NodeErrorWire });
export type AttemptOutcomeWire = WireOf<typeof AttemptOutcomeWire>;

/**
 * `report_node_result` (executor only), keyed by (execution_id, node_id, attempt). A repeated
 * report of a recorded attempt is answered `Ok` and changes nothing; a report for an attempt
 * the orchestrator no longer waits for (cancelled, timed out) is also `Ok` and ignored.
 */
export const NodeResultReportWire = w.record({
    execution_id: w.text,
    node_id: w.text,
    attempt: w.nat32,
    started_at: w.nat64,
    finished_at: w.nat64,
    outcome: AttemptOutcomeWire
});
export type NodeResultReport = WireOf<typeof NodeResultReportWire>;


const WorkflowResult = resultWire(WorkflowWire);
const ExecutionResult = resultWire(ExecutionWire);

/**
 * Method table of the orchestrator: argument/result IDL and call mode per method.
 *
 * @example
 * // in the Azle canister class
 * @update(OrchestratorMethods.create_workflow.args.map((a) => a.idl), OrchestratorMethods.create_workflow.ret.idl)
 * // in a client / test
 * const actor = pic.setupCanister({ idlFactory: orchestratorIdlFactory, ... });
 */
export const OrchestratorMethods = {
    create_workflow: { args: [WorkflowDefinitionWire], ret: WorkflowResult, mode: 'update' },
    update_workflow: { args: [UpdateWorkflowArgWire], ret: WorkflowResult, mode: 'update' },
    get_workflow: { args: [GetWorkflowArgWire], ret: WorkflowResult, mode: 'query' },
    list_workflows: { args: [PageRequestWire], ret: resultWire(pageWire(WorkflowSummaryWire)), mode: 'query' },
    pause_workflow: { args: [WorkflowIdArg], ret: WorkflowResult, mode: 'update' },
    resume_workflow: { args: [WorkflowIdArg], ret: WorkflowResult, mode: 'update' },
    /** Refused with `Conflict` while executions of the workflow are not finished. */
    delete_workflow: { args: [WorkflowIdArg], ret: resultWire(w.null), mode: 'update' },
    start_execution: { args: [StartExecutionArgWire], ret: ExecutionResult, mode: 'update' },
    cancel_execution: { args: [ExecutionIdArg], ret: ExecutionResult, mode: 'update' },
    get_execution: { args: [ExecutionIdArg], ret: ExecutionResult, mode: 'query' },
    list_executions: { args: [ListExecutionsArgWire], ret: resultWire(pageWire(ExecutionSummaryWire)), mode: 'query' },
    get_version: { args: [], ret: VersionInfoWire, mode: 'query' },
    start_scheduled_execution: { args: [w.from<StartScheduledExecutionRequest>(StartScheduledExecutionRequestIdl)], ret: StartScheduledExecutionResultWire, mode: 'update' },
    /** Scheduler only: whether a schedule's owner may schedule a workflow, and the workflow's state and required input. */
    check_schedule_target: { args: [w.from<ScheduleTargetRequest>(CheckScheduleTargetMethod.args[0])], ret: w.from<WorkflowTargetResult>(CheckScheduleTargetMethod.ret), mode: 'query' },
    report_node_result: { args: [NodeResultReportWire], ret: resultWire(w.null), mode: 'update' },
    set_emergency_mode: { args: [EmergencyStateWire], ret: NullApiResultWire, mode: 'update' },
    /** Admins and controllers only: outbox entries refused, given up or trapping, oldest first. */
    list_dead_letters: { args: [PageRequestWire], ret: DeadLetterPageResultWire, mode: 'query' },
    ...OwnerSettingsMethods,
    ...OwnerQuotaMethods,
    ...OwnerAgentMethods
} as const satisfies Record<string, MethodSpec>;

export type OrchestratorMethodName = keyof typeof OrchestratorMethods;

/** `idlFactory` for `@dfinity/agent` / `@dfinity/pic` actors of the orchestrator. */
export const orchestratorIdlFactory = serviceFactory(OrchestratorMethods);

/** Convenience for clients: a `get_workflow` reply's `Ok` in domain form. */
export const decodeWorkflowReply = decodeWorkflow;
