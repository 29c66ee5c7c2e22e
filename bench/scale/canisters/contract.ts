/**
 * The bench-only `bulk_load` methods of the bench builds (this folder's dfx.json): the
 * production canisters plus one admin-only method each that fills state in large batches
 * through the canisters' own code paths. They exist only in these builds; a test checks that
 * the production wasm has no such method (tests/integration/scale/guard.spec.ts).
 */
import { IDL } from '@dfinity/candid';

import { ScheduleRequestCodec } from '../../../shared/scheduling/schedule';
import { NodeAttemptRequestWire, resultWire, w, WorkflowDefinitionWire } from '../../../shared/workflow';

export const BULK_LOAD_METHOD = 'bulk_load';

/** Orchestrator: `workflows` workflows of `definition`, owned by the caller, each with one execution started. */
export const OrchestratorBulkLoadArg = w.record({ definition: WorkflowDefinitionWire, workflows: w.nat32 });

/** The attempts the started executions dispatched, taken out of the outbox: the executor's bulk_load gets them instead. */
export const OrchestratorBulkLoadMethod = { args: [OrchestratorBulkLoadArg], ret: resultWire(w.vec(NodeAttemptRequestWire)), mode: 'update' } as const;

/** Executor: records the attempts as run_node_attempt would. */
export const ExecutorBulkLoadMethod = { args: [w.vec(NodeAttemptRequestWire)], ret: resultWire(w.nat32), mode: 'update' } as const;

/** Scheduler: `request` once per workflow id, as schedule_workflow_execution (the production method) takes it. */
export const SchedulerBulkLoadArg = IDL.Record({ request: ScheduleRequestCodec.idl, workflow_ids: IDL.Vec(IDL.Text) });
export const SchedulerBulkLoadMethod = { args: [SchedulerBulkLoadArg], ret: IDL.Variant({ Ok: IDL.Nat32, Err: IDL.Text }), mode: 'update' } as const;
