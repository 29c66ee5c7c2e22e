/**
 * The orchestrator's bench build: the production canister plus `bulk_load` (see contract.ts).
 * Records are written through the canister's own state module (so every index is kept as
 * real traffic keeps it) and executions are started by the pure engine (`startExecution`),
 * with the definition validated and compiled once per call instead of once per record: the
 * production create + start costs ~300M instructions per pair, this about a twentieth. The Dispatch
 * effects are not queued: they are returned (once, see BulkDispatchWire), and the executor's
 * bulk_load records them. Values are encoded with fast-json.ts (the same bytes).
 */
import { canisterVersion, msgCaller, Principal, time } from 'azle';

import { apiError } from '../../../shared/common/errors';
import type { Infer } from '../../../shared/common/codec';
import { decodeWorkflowDefinition, encodeNodeTask, type NodeAttemptRequest, type WorkflowDefinitionWire, type WorkflowError } from '../../../shared/workflow';
import { method } from '../../../canisters/common/method';
import { buildId, PACKAGE_VERSION } from '../../../canisters/common/version';
import production from '../../../canisters/orchestrator/src/index';
import { compileWorkflow, nextDeadline, startExecution } from '../../../canisters/orchestrator/src/logic';
import { executionGroups, workflowGroups } from '../../../canisters/orchestrator/src/indexes';
import { inBatches } from '../../../canisters/common/indexes/group-pages';
import { deployment, putExecution, putWorkflow, putWorkflowVersion, updateMeta } from '../../../canisters/orchestrator/src/state';
import { OrchestratorBulkLoadMethod, type BulkDispatchWire } from './contract';
import { withFastJson } from './fast-json';

type R<T> = { Ok: T } | { Err: WorkflowError };

class BulkLoadMethods {
    /** Call context: update; admins only (and only in this build). Errors: Unauthorized, InvalidInput (the definition does not compile). */
    @method(OrchestratorBulkLoadMethod)
    bulk_load(arg: { definition: WorkflowDefinitionWire; workflows: number }): R<{ workflow_ids: string[]; dispatched: Infer<typeof BulkDispatchWire> }> {
        const caller = msgCaller();
        if (!deployment.isAdmin(caller)) return { Err: apiError.unauthorized(caller) };
        const definition = decodeWorkflowDefinition(arg.definition);
        const compiled = compileWorkflow(definition);
        if ('Err' in compiled) return { Err: { InvalidInput: { field: 'definition', message: compiled.Err.kind } } };
        const now = time();
        const owner = caller.toText();
        const ranBy = { packageVersion: PACKAGE_VERSION, buildId: buildId(), canisterVersion: canisterVersion() };
        const requests: NodeAttemptRequest[] = [];
        const [workflowIds, executionIds]: [string[], string[]] = [[], []];
        // One block of ids per call (the state module's id format), not one meta write per record.
        const meta = updateMeta((m) => ({ ...m, nextWorkflowSeq: m.nextWorkflowSeq + arg.workflows, nextExecutionSeq: m.nextExecutionSeq + arg.workflows }));
        const firstWorkflow = meta.nextWorkflowSeq - arg.workflows;
        const firstExecution = meta.nextExecutionSeq - arg.workflows;
        // Every workflow's version 1 is this record: encoded once.
        const version = { schema_version: 1 as const, definition, createdAt: now };
        // The group indexes are written once per touched page for the whole call (GroupPages.batch).
        withFastJson(
            () =>
                inBatches([workflowGroups, executionGroups], () => {
                    for (let i = 0; i < arg.workflows; i++) {
                        const id = `wf-${(firstWorkflow + i).toString().padStart(8, '0')}`;
                        const executionId = `ex-${(firstExecution + i).toString().padStart(10, '0')}`;
                        workflowIds.push(id);
                        executionIds.push(executionId);
                        putWorkflowVersion(id, 1, version);
                        putWorkflow({ schema_version: 1, id, owner, status: 'Active', latestVersion: 1, createdAt: now, updatedAt: now });
                        const step = startExecution(compiled.Ok, { id: executionId, workflowId: id, workflowVersion: 1, trigger: { kind: 'Manual' }, input: 'null', ranBy }, now);
                        putExecution({ schema_version: 1, execution: step.state, owner }, nextDeadline(compiled.Ok, step.state));
                        const dispatches = step.effects.flatMap((e) => (e.kind === 'DispatchNode' ? [e] : []));
                        if (i === 0) {
                            for (const e of dispatches) requests.push({ key: { execution_id: e.executionId, node_id: e.nodeId, attempt: e.attempt }, due_at: e.dueAt, timeout_ms: BigInt(e.timeoutMs), task: encodeNodeTask(e.task), owner: [Principal.fromText(owner)], critical: [] });
                        } else if (dispatches.length !== requests.length || dispatches.some((e, j) => e.nodeId !== requests[j]!.key.node_id || e.attempt !== requests[j]!.key.attempt || e.dueAt !== requests[j]!.due_at)) {
                            // Not expected (one definition, input and time): trap, so the call writes nothing, rather than record wrong attempts.
                            throw new Error(`bulk_load: ${executionId} dispatched other attempts than the first execution`);
                        }
                    }
                }),
            [version]
        );
        return { Ok: { workflow_ids: workflowIds, dispatched: { requests, execution_ids: executionIds } } };
    }
}

export default [...production, BulkLoadMethods];
