/** Errors of the orchestrator's API as data, and the mapping of logic errors onto them. */
import type { z } from 'zod';

import { workflowError, zodErrorToApiError, type WorkflowError } from '../../../shared/workflow';
import type { TransitionError } from './logic';

/** An illegal status change requested by a user (cancel a finished execution, ...) is a `Conflict`. */
export function transitionConflict(e: TransitionError): WorkflowError {
    return e.kind === 'IllegalExecutionTransition'
        ? workflowError.conflict(`execution is ${e.from}; cannot become ${e.to}`)
        : workflowError.conflict(`node ${e.nodeId} is ${e.from}; cannot become ${e.to}`);
}

/**
 * Validates a decoded argument with its zod schema: `{ Ok }` or `{ Err: InvalidInput }` with the
 * offending field path, never a trap.
 *
 * @example
 * const arg = validate(WorkflowIdSchema, raw); if ('Err' in arg) return arg;
 */
export function validate<T>(schema: z.ZodType<T>, value: unknown): { Ok: T } | { Err: WorkflowError } {
    const r = schema.safeParse(value);
    return r.success ? { Ok: r.data } : { Err: zodErrorToApiError(r.error) };
}

export const notFound = {
    workflow: (id: string): WorkflowError => workflowError.notFound('workflow', id),
    execution: (id: string): WorkflowError => workflowError.notFound('execution', id)
};
