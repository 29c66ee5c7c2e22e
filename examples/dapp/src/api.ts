/**
 * The example dapp's own Candid API (argument and result types), shared by the canister and
 * its tests. Built with the same typed combinators as DeFlow's contracts.
 */
import { IDL } from '@dfinity/candid';

import { WorkflowErrorWire } from '../../../shared/workflow/errors';
import { c, idlFactory, type Infer, type MethodSpec, type ServiceOf } from '../../../shared/common/codec';

/**
 * Why a dapp call failed: DeFlow answered an error variant, or the inter-canister call was
 * rejected (the orchestrator is stopped, upgrading, or does not exist).
 */
export const DappErrorWire = c.variant({
    Deflow: WorkflowErrorWire,
    CallRejected: c.record({ reject_code: c.nat32, message: c.text }),
    NotConfigured: c.null
});
export type DappError = Infer<typeof DappErrorWire>;

/** `protect`: the workflow the dapp created (once) and the execution it just started. */
export const ProtectionWire = c.record({ workflow_id: c.text, execution_id: c.text, status: c.text });
export type Protection = Infer<typeof ProtectionWire>;

/** `execution_status`: the status of an execution the dapp started, read from the orchestrator. */
export const ExecutionStatusReplyWire = c.record({ execution_id: c.text, status: c.text, output: c.opt(c.text) });
export type ExecutionStatusReply = Infer<typeof ExecutionStatusReplyWire>;

export const DappMethods = {
    protect: { args: [c.nat64], ret: c.result(ProtectionWire, DappErrorWire), mode: 'update' },
    execution_status: { args: [c.text], ret: c.result(ExecutionStatusReplyWire, DappErrorWire), mode: 'update' },
    orchestrator: { args: [], ret: c.opt(c.principal), mode: 'query' }
} as const satisfies Record<string, MethodSpec>;

/** Init argument: the orchestrator to call. */
export const DappInitArgs: IDL.Type[] = [IDL.Principal];

/** `idlFactory` for actors of the dapp (tests, frontends). */
export const dappIdlFactory = idlFactory(DappMethods);

/** The dapp's service as an actor sees it. */
export type DappService = ServiceOf<typeof DappMethods>;
