/**
 * The bench-only `bulk_load` methods of the bench builds (this folder's dfx.json): the
 * production canisters plus one admin-only method each that fills state in large batches
 * through the canisters' own code. They exist only in these builds; a test checks that the
 * production wasm declares no such method (tests/integration/scale/guard.spec.ts).
 */
import { c, type MethodSpec } from '../../../shared/common/codec';
import { ScheduleRequestCodec } from '../../../shared/scheduling/schedule';
import { NodeAttemptRequestWire, resultWire, WorkflowDefinitionWire } from '../../../shared/workflow';

export const BULK_LOAD_METHOD = 'bulk_load';

/**
 * The attempts a bulk load's executions dispatched, compactly: every execution of one call
 * starts from the same definition, input and time, so each dispatches the attempts the first
 * one did (`requests`, keyed by the first execution) under its own execution id. One request
 * per execution on the wire cost the orchestrator's reply and the executor's argument ~4M
 * instructions each per record, more than recording it.
 */
export const BulkDispatchWire = c.record({ requests: c.vec(NodeAttemptRequestWire), execution_ids: c.vec(c.text) });

/**
 * Orchestrator: `workflows` workflows of `definition`, owned by the caller, each with one
 * execution started. Answers the workflows' ids (what the scheduler's bulk_load schedules)
 * and the attempts their executions dispatched (not queued in the outbox): the executor's
 * bulk_load records them.
 */
export const OrchestratorBulkLoadMethod = {
    args: [c.record({ definition: WorkflowDefinitionWire, workflows: c.nat32 })],
    ret: resultWire(c.record({ workflow_ids: c.vec(c.text), dispatched: BulkDispatchWire })),
    mode: 'update'
} as const satisfies MethodSpec;

/** Executor: records each execution's attempts as run_node_attempt would. */
export const ExecutorBulkLoadMethod = { args: [BulkDispatchWire], ret: resultWire(c.nat32), mode: 'update' } as const satisfies MethodSpec;

/** Scheduler: one schedule of `request` (as schedule_workflow_execution takes it) per workflow id, created without asking the orchestrator. */
export const SchedulerBulkLoadMethod = {
    args: [c.record({ request: ScheduleRequestCodec, workflow_ids: c.vec(c.text) })],
    ret: c.variant({ Ok: c.nat32, Err: c.text }),
    mode: 'update'
} as const satisfies MethodSpec;
