/**
 * The orchestrator's bench build: the production canister plus `bulk_load` (see contract.ts).
 * Records are written through the canister's own state module (so every index is kept as
 * real traffic keeps it) and executions are started by the pure engine (`startExecution`),
 * with the definition validated and compiled once per call instead of once per record: the
 * production create + start costs ~300M instructions per pair, this about a third. The Dispatch
 * effects are not queued: they are returned, and the executor's bulk_load records them.
 */
import { canisterVersion, msgCaller, Principal, time } from 'azle';

import { apiError } from '../../../shared/common/errors';
import { decodeWorkflowDefinition, encodeNodeTask, type NodeAttemptRequest, type WorkflowDefinitionWire, type WorkflowError } from '../../../shared/workflow';
import { method } from '../../../canisters/common/method';
import { buildId, PACKAGE_VERSION } from '../../../canisters/common/version';
import production from '../../../canisters/orchestrator/src/index';
import { compileWorkflow, nextDeadline, startExecution } from '../../../canisters/orchestrator/src/logic';
import { executionGroups, workflowGroups } from '../../../canisters/orchestrator/src/indexes';
import { inBatches } from '../../../canisters/common/indexes/group-pages';
import { deployment, putExecution, putWorkflow, putWorkflowVersion, updateMeta } from '../../../canisters/orchestrator/src/state';
import { OrchestratorBulkLoadMethod } from './contract';

type R<T> = { Ok: T } | { Err: WorkflowError };

class BulkLoadMethods {
    /** Call context: update; admins only (and only in this build). Errors: Unauthorized, InvalidInput (the definition does not compile). */
    @method(OrchestratorBulkLoadMethod)
    bulk_load(arg: { definition: WorkflowDefinitionWire; workflows: number }): R<{ workflow_ids: string[]; requests: NodeAttemptRequest[] }> {
        const caller = msgCaller();
        if (!deployment.isAdmin(caller)) return { Err: apiError.unauthorized(caller) };
        const definition = decodeWorkflowDefinition(arg.definition);
        const compiled = compileWorkflow(definition);
        if ('Err' in compiled) return { Err: { InvalidInput: { field: 'definition', message: compiled.Err.kind } } };
        const now = time();
        const owner = caller.toText();
        const ranBy = { packageVersion: PACKAGE_VERSION, buildId: buildId(), canisterVersion: canisterVersion() };
        const requests: NodeAttemptRequest[] = [];
        const workflowIds: string[] = [];
        // One block of ids per call (the state module's id format), not one meta write per record.
        const meta = updateMeta((m) => ({ ...m, nextWorkflowSeq: m.nextWorkflowSeq + arg.workflows, nextExecutionSeq: m.nextExecutionSeq + arg.workflows }));
        const firstWorkflow = meta.nextWorkflowSeq - arg.workflows;
        const firstExecution = meta.nextExecutionSeq - arg.workflows;
        // The group indexes are written once per touched page for the whole call (GroupPages.batch).
        inBatches([workflowGroups, executionGroups], () => {
            for (let i = 0; i < arg.workflows; i++) {
                const id = `wf-${(firstWorkflow + i).toString().padStart(8, '0')}`;
                workflowIds.push(id);
                putWorkflowVersion(id, 1, { schema_version: 1, definition, createdAt: now });
                putWorkflow({ schema_version: 1, id, owner, status: 'Active', latestVersion: 1, createdAt: now, updatedAt: now });
                const step = startExecution(compiled.Ok, { id: `ex-${(firstExecution + i).toString().padStart(10, '0')}`, workflowId: id, workflowVersion: 1, trigger: { kind: 'Manual' }, input: 'null', ranBy }, now);
                putExecution({ schema_version: 1, execution: step.state, owner }, nextDeadline(compiled.Ok, step.state));
                for (const e of step.effects) {
                    if (e.kind !== 'DispatchNode') continue;
                    requests.push({ key: { execution_id: e.executionId, node_id: e.nodeId, attempt: e.attempt }, due_at: e.dueAt, timeout_ms: BigInt(e.timeoutMs), task: encodeNodeTask(e.task), owner: [Principal.fromText(owner)], critical: [] });
                }
            }
        });
        return { Ok: { workflow_ids: workflowIds, requests } };
    }
}

export default [...production, BulkLoadMethods];
