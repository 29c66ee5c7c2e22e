/**
 * What the scheduler is told about a workflow so its schedules follow it: asked at schedule
 * creation (`check_schedule_target`), answered instead of a start while the workflow is paused
 * or deleted (`Held`), and pushed through the outbox whenever the workflow changes.
 */
import { requiredInputPaths } from '../../../shared/workflow';
import type { WorkflowTarget } from '../../../shared/scheduling/target';
import { enqueue, getWorkflowVersion, type StoredWorkflow } from './state';
import { armOutbox } from './timers';

/** The target of an existing workflow: its status and the input its latest version reads. */
export function targetOf(w: StoredWorkflow): WorkflowTarget {
    const required = getWorkflowVersion(w.id, w.latestVersion)?.definition;
    return {
        workflow_id: w.id,
        state: w.status === 'Active' ? { Active: null } : { Paused: null },
        required_input: required === undefined ? [] : requiredInputPaths(required),
        changed_at: w.updatedAt
    };
}

/** The target of a deleted workflow, as of `now` (ids are never reused, so this is final). */
export function deletedTarget(workflowId: string, now: bigint): WorkflowTarget {
    return { workflow_id: workflowId, state: { Deleted: null }, required_input: [], changed_at: now };
}

/** Queues the notice to the scheduler (essential delivery: retried until it answers). */
export function notifyWorkflowChanged(target: WorkflowTarget, now: bigint): void {
    enqueue({ kind: 'WorkflowChanged', target }, now);
    armOutbox();
}
