/** Errors of the orchestrator's API as data, and the mapping of logic errors onto them. */
import { workflowError, type WorkflowError } from '../../../shared/workflow';
import type { TransitionError } from './logic';

/** An illegal status change requested by a user (cancel a finished execution, ...) is a `Conflict`. */
export function transitionConflict(e: TransitionError): WorkflowError {
    return e.kind === 'IllegalExecutionTransition'
        ? workflowError.conflict(`execution is ${e.from}; cannot become ${e.to}`)
        : workflowError.conflict(`node ${e.nodeId} is ${e.from}; cannot become ${e.to}`);
}

export const notFound = {
    workflow: (id: string): WorkflowError => workflowError.notFound('workflow', id),
    execution: (id: string): WorkflowError => workflowError.notFound('execution', id)
};
