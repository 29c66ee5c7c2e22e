import { IDL } from '@dfinity/candid';
import { ApiErrorIdl, apiError, type ApiError } from '../common/errors';
import { CallRefusedWire, encodeCallRefusal, type CallRefusal } from './call-policy';
import { w, type Wire, type WireOf } from './wire';

/**
 * The error variant of the orchestrator and executor APIs: the shared {@link ApiError} plus
 * the two graph errors a caller needs data from to fix a definition, and `CallRefused` (a call
 * node whose target the call policy refuses: see `call-policy.ts`). Everything else a
 * definition can get wrong is `InvalidInput { field; message }` (field = the offending path)
 * or `LimitExceeded`.
 */
export type WorkflowError =
    | ApiError
    | { CycleDetected: { path: string[] } }
    | { UnknownNode: { node_id: string; referenced_by: string } }
    | { CallRefused: WireOf<typeof CallRefusedWire> };

const workflowErrorIdl = IDL.Variant({
    // Reuse the common variants by construction, so the two cannot drift.
    ...Object.fromEntries(ApiErrorIdl._fields),
    CycleDetected: IDL.Record({ path: IDL.Vec(IDL.Text) }),
    UnknownNode: IDL.Record({ node_id: IDL.Text, referenced_by: IDL.Text }),
    CallRefused: CallRefusedWire.idl
});

/** Candid IDL of {@link WorkflowError}. */
export const WorkflowErrorWire: Wire<WorkflowError> = w.from<WorkflowError>(workflowErrorIdl);
export const WorkflowErrorIdl = workflowErrorIdl;

export const workflowError = {
    ...apiError,
    cycleDetected: (path: string[]): WorkflowError => ({ CycleDetected: { path } }),
    unknownNode: (nodeId: string, referencedBy: string): WorkflowError => ({ UnknownNode: { node_id: nodeId, referenced_by: referencedBy } }),
    callRefused: (r: CallRefusal): WorkflowError => ({ CallRefused: encodeCallRefusal(r) })
};
