/**
 * The example dapp's own Candid API (argument and result types), shared by the canister and
 * its tests. Built with the same typed combinators as DeFlow's contracts.
 */
import { IDL } from '@dfinity/candid';

import { WorkflowErrorWire, type WorkflowError } from '../../../shared/workflow/errors';
import { w, type WireOf } from '../../../shared/workflow/wire';

/**
 * Why a dapp call failed: DeFlow answered an error variant, or the inter-canister call was
 * rejected (the orchestrator is stopped, upgrading, or does not exist).
 */
export const DappErrorWire = w.variant({
    Deflow: w.from<WorkflowError>(WorkflowErrorWire.idl),
    CallRejected: w.record({ reject_code: w.nat32, message: w.text }),
    NotConfigured: w.null
});
export type DappError = WireOf<typeof DappErrorWire>;

/** `protect`: the workflow the dapp created (once) and the execution it just started. */
export const ProtectionWire = w.record({ workflow_id: w.text, execution_id: w.text, status: w.text });
export type Protection = WireOf<typeof ProtectionWire>;

/** `execution_status`: the status of an execution the dapp started, read from the orchestrator. */
export const ExecutionStatusReplyWire = w.record({ execution_id: w.text, status: w.text, output: w.opt(w.text) });
export type ExecutionStatusReply = WireOf<typeof ExecutionStatusReplyWire>;

export const DappMethods = {
    protect: { args: [w.nat64], ret: w.variant({ Ok: ProtectionWire, Err: DappErrorWire }) },
    execution_status: { args: [w.text], ret: w.variant({ Ok: ExecutionStatusReplyWire, Err: DappErrorWire }) },
    orchestrator: { args: [], ret: w.opt(w.principal) }
} as const;

/** Init argument: the orchestrator to call. */
export const DappInitArgs: IDL.Type[] = [IDL.Principal];

/** `idlFactory` for actors of the dapp (tests, frontends). */
export const dappIdlFactory = ({ IDL: idl }: { IDL: typeof IDL }): IDL.ServiceClass =>
    idl.Service({
        protect: idl.Func([DappMethods.protect.args[0].idl], [DappMethods.protect.ret.idl], []),
        execution_status: idl.Func([DappMethods.execution_status.args[0].idl], [DappMethods.execution_status.ret.idl], []),
        orchestrator: idl.Func([], [DappMethods.orchestrator.ret.idl], ['query'])
    });

/** The dapp's service as an actor sees it. */
export type DappService = {
    protect: (thresholdE8s: bigint) => Promise<WireOf<typeof DappMethods.protect.ret>>;
    execution_status: (executionId: string) => Promise<WireOf<typeof DappMethods.execution_status.ret>>;
    orchestrator: () => Promise<[] | [import('@dfinity/principal').Principal]>;
};
