import { apiError, apiErrorVariants } from '../common/errors';
import { CallRefusedWire, encodeCallRefusal, type CallRefusal } from './call-policy';
import { c, type Infer } from '../common/codec';
import type { Result } from '../common/result';

/**
 * The error variant of the orchestrator and executor APIs: the shared {@link ApiError} plus
 * the two graph errors a caller needs data from to fix a definition, and `CallRefused` (a call
 * node whose target the call policy refuses: see `call-policy.ts`). Everything else a
 * definition can get wrong is `InvalidInput { field; message }` (field = the offending path)
 * or `LimitExceeded`.
 */
export const WorkflowErrorWire = c.variant({
    // The common variants by construction, so the two cannot drift.
    ...apiErrorVariants,
    CycleDetected: c.record({ path: c.vec(c.text) }),
    UnknownNode: c.record({ node_id: c.text, referenced_by: c.text }),
    CallRefused: CallRefusedWire
});
export type WorkflowError = Infer<typeof WorkflowErrorWire>;

/** What a fallible orchestrator or executor method answers. */
export type WorkflowResult<T> = Result<T, WorkflowError>;

export const workflowError = {
    ...apiError,
    cycleDetected: (path: string[]): WorkflowError => ({ CycleDetected: { path } }),
    unknownNode: (nodeId: string, referencedBy: string): WorkflowError => ({ UnknownNode: { node_id: nodeId, referenced_by: referencedBy } }),
    callRefused: (r: CallRefusal): WorkflowError => ({ CallRefused: encodeCallRefusal(r) })
};
