import { decodeWorkflow, WorkflowDefinitionWire, WorkflowStatusWire, WorkflowWire } from './definition';
import { ListDeadLettersMethod } from '../common/dead-letter';
import { ExecutionStatusWire, ExecutionWire, NodeErrorWire, TriggerWire } from './execution';
import { StartWithCallbackArgWire } from './completion';
import { NullApiResultWire, PageRequestWire, pageWire, resultWire } from './api-common';
import { OwnerAgentMethods, OwnerSettingsMethods } from './owner-api';
import { OwnerQuotaMethods } from './quotas';
import { PositionManagerMethods } from './liquidation';
import { c, idlFactory, type Infer, type MethodSpec } from '../common/codec';
import { GetVersionMethod } from '../common/version';
import { EmergencyStateCodec } from '../monitoring/emergency';
import { StartScheduledExecutionMethod } from '../scheduling/outbox';
import { CheckScheduleTargetMethod } from '../scheduling/target';

/**
 * The orchestrator's Candid API. Every fallible method returns `Result<T, WorkflowError>`.
 * User methods check the caller against the workflow owner (`Unauthorized`); peer methods
 * accept only the scheduler/executor principals given at install time.
 */

const WorkflowIdArg = c.record({ workflow_id: c.text });
const ExecutionIdArg = c.record({ execution_id: c.text });

/** `update_workflow`: a new version; `expected_version` guards against lost updates (`Conflict`). */
export const UpdateWorkflowArgWire = c.record({ workflow_id: c.text, expected_version: c.opt(c.nat32), definition: WorkflowDefinitionWire });
export type UpdateWorkflowArg = Infer<typeof UpdateWorkflowArgWire>;

/** `get_workflow`: the latest version, or the given one (executions keep their version). */
export const GetWorkflowArgWire = c.record({ workflow_id: c.text, version: c.opt(c.nat32) });
export type GetWorkflowArg = Infer<typeof GetWorkflowArgWire>;

export const WorkflowSummaryWire = c.record({
    id: c.text,
    name: c.text,
    version: c.nat32,
    status: WorkflowStatusWire,
    node_count: c.nat32,
    updated_at: c.nat64
});
export type WorkflowSummary = Infer<typeof WorkflowSummaryWire>;

/** `start_execution`: input is JSON text (default `null`). */
export const StartExecutionArgWire = c.record({ workflow_id: c.text, input: c.opt(c.text) });
export type StartExecutionArg = Infer<typeof StartExecutionArgWire>;

/** Creation order of a listing: oldest first (the default when absent) or newest first. */
export const ListOrderWire = c.variant({ OldestFirst: c.null, NewestFirst: c.null });
export type ListOrder = Infer<typeof ListOrderWire>;

/**
 * `list_executions`: filters are ANDed; the caller sees only executions of own workflows.
 * `page.cursor` is the previous page's `next_cursor` (same `order`): the last id it examined, which a
 * sparse `status` filter may leave short of `limit` items; `order` absent means oldest first.
 */
export const ListExecutionsArgWire = c.record({ workflow_id: c.opt(c.text), status: c.opt(ExecutionStatusWire), page: PageRequestWire, order: c.opt(ListOrderWire) });
export type ListExecutionsArg = Infer<typeof ListExecutionsArgWire>;

export const ExecutionSummaryWire = c.record({
    id: c.text,
    workflow_id: c.text,
    workflow_version: c.nat32,
    trigger: TriggerWire,
    status: ExecutionStatusWire,
    created_at: c.nat64,
    finished_at: c.opt(c.nat64)
});
export type ExecutionSummary = Infer<typeof ExecutionSummaryWire>;

/** The outcome of one node attempt: JSON output text, or a typed error. */
export const AttemptOutcomeWire = c.variant({ Succeeded: c.record({ output: c.text }), Failed: NodeErrorWire });
export type AttemptOutcomeWire = Infer<typeof AttemptOutcomeWire>;

/**
 * `report_node_result` (executor only), keyed by (execution_id, node_id, attempt). A repeated
 * report of a recorded attempt is answered `Ok` and changes nothing; a report for an attempt
 * the orchestrator no longer waits for (cancelled, timed out) is also `Ok` and ignored.
 */
export const NodeResultReportWire = c.record({
    execution_id: c.text,
    node_id: c.text,
    attempt: c.nat32,
    started_at: c.nat64,
    finished_at: c.nat64,
    outcome: AttemptOutcomeWire
});
export type NodeResultReport = Infer<typeof NodeResultReportWire>;


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
    delete_workflow: { args: [WorkflowIdArg], ret: resultWire(c.null), mode: 'update' },
    start_execution: { args: [StartExecutionArgWire], ret: ExecutionResult, mode: 'update' },
    /** A dapp canister's start: as `start_execution`, and the caller's `callback_method` is called once with the final result. */
    start_execution_with_callback: { args: [StartWithCallbackArgWire], ret: ExecutionResult, mode: 'update' },
    cancel_execution: { args: [ExecutionIdArg], ret: ExecutionResult, mode: 'update' },
    get_execution: { args: [ExecutionIdArg], ret: ExecutionResult, mode: 'query' },
    list_executions: { args: [ListExecutionsArgWire], ret: resultWire(pageWire(ExecutionSummaryWire)), mode: 'query' },
    get_version: GetVersionMethod,
    /**
     * Scheduler only. The scheduler's own contract (one definition in `shared/scheduling`): the
     * same `idempotency_key` always answers the first execution's id, so a retried start after
     * an upgrade never starts twice; the error is the plain `ApiError` the scheduler decodes;
     * `Held` says the workflow is paused or deleted.
     */
    start_scheduled_execution: StartScheduledExecutionMethod,
    /** Scheduler only: whether a schedule's owner may schedule a workflow, and the workflow's state and required input. */
    check_schedule_target: CheckScheduleTargetMethod,
    report_node_result: { args: [NodeResultReportWire], ret: resultWire(c.null), mode: 'update' },
    set_emergency_mode: { args: [EmergencyStateCodec], ret: NullApiResultWire, mode: 'update' },
    /** Admins and controllers only: outbox entries refused, given up or trapping, oldest first. */
    list_dead_letters: ListDeadLettersMethod,
    ...OwnerSettingsMethods,
    ...OwnerQuotaMethods,
    ...OwnerAgentMethods,
    ...PositionManagerMethods
} as const satisfies Record<string, MethodSpec>;

export type OrchestratorMethodName = keyof typeof OrchestratorMethods;

/** `idlFactory` for `@dfinity/agent` / `@dfinity/pic` actors of the orchestrator. */
export const orchestratorIdlFactory = idlFactory(OrchestratorMethods);

/** Convenience for clients: a `get_workflow` reply's `Ok` in domain form. */
export const decodeWorkflowReply = decodeWorkflow;
