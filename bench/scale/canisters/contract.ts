/**
 * The bench-only `bulk_load` methods of the bench builds (this folder's dfx.json): the
 * production canisters plus one admin-only method each that fills state in large batches
 * through the canisters' own code paths. They exist only in these builds; a test checks that
 * the production wasm has no such method (tests/integration/scale/guard.spec.ts).
 */
import { ScheduleRequestCodec } from '../../../shared/scheduling/schedule';
import { c, NodeAttemptRequestWire, resultWire, WorkflowDefinitionWire, type MethodSpec } from '../../../shared/workflow';

export const BULK_LOAD_METHOD = 'bulk_load';

/** Orchestrator: `workflows` workflows of `definition`, owned by the caller, each with one execution started. */
export const OrchestratorBulkLoadArg = c.record({ definition: WorkflowDefinitionWire, workflows: c.nat32 });

/** The attempts the started executions dispatched, taken out of the outbox: the executor's bulk_load gets them instead. */
export const OrchestratorBulkLoadMethod = { args: [OrchestratorBulkLoadArg], ret: resultWire(c.vec(NodeAttemptRequestWire)), mode: 'update' } as const satisfies MethodSpec;

/** Executor: records the attempts as run_node_attempt would. */
export const ExecutorBulkLoadMethod = { args: [c.vec(NodeAttemptRequestWire)], ret: resultWire(c.nat32), mode: 'update' } as const satisfies MethodSpec;

/** Scheduler: `request` once per workflow id, as schedule_workflow_execution (the production method) takes it. */
export const SchedulerBulkLoadArg = c.record({ request: ScheduleRequestCodec, workflow_ids: c.vec(c.text) });
export const SchedulerBulkLoadMethod = { args: [SchedulerBulkLoadArg], ret: c.result(c.nat32, c.text), mode: 'update' } as const satisfies MethodSpec;
