/**
 * Typed descriptors for calling DeFlow from another canister (an Azle dapp): method name,
 * Candid argument and return types from the shared contracts, and the arguments. No agent
 * and no Azle import, so the module bundles into a canister and runs in Node tests alike.
 *
 * @example
 * // in an Azle canister
 * import { call } from 'azle';
 * const c = orchestratorCall('start_execution', { workflow_id: id, input: [] });
 * const result = await call<unknown[], ReplyOf<typeof c>>(orchestratorId, c.method, c);
 */
import type { IDL } from '@dfinity/candid';

import { OrchestratorMethods, type OrchestratorMethodName } from '../shared/workflow/orchestrator-api';
import { candidOf, type ArgsOf, type ReturnOf } from '../shared/common/codec';

/** One inter-canister call, in the shape Azle's `call(canisterId, method, options)` takes. */
export type TypedCall<R> = {
    readonly method: string;
    readonly paramIdlTypes: IDL.Type[];
    readonly returnIdlType: IDL.Type;
    readonly args: unknown[];
    /** Phantom: the decoded reply type, for {@link ReplyOf}. */
    readonly __reply?: R;
};

/** The decoded reply type of a {@link TypedCall}. */
export type ReplyOf<C> = C extends TypedCall<infer R> ? R : never;

/** Argument list of an orchestrator method, in Candid wire form. */
export type OrchestratorArgs<M extends OrchestratorMethodName> = ArgsOf<(typeof OrchestratorMethods)[M]>;
/** Reply of an orchestrator method, in Candid wire form (`{ Ok } | { Err }` for fallible ones). */
export type OrchestratorReply<M extends OrchestratorMethodName> = ReturnOf<(typeof OrchestratorMethods)[M]>;

/**
 * A typed call of one orchestrator method. Methods that only peers may call (e.g.
 * `report_node_result`) are refused with `Unauthorized` for a dapp.
 *
 * @example
 * const c = orchestratorCall('create_workflow', encodeWorkflowDefinition(definition));
 */
export function orchestratorCall<M extends OrchestratorMethodName>(method: M, ...args: OrchestratorArgs<M>): TypedCall<OrchestratorReply<M>> {
    const [paramIdlTypes, returnIdlType] = candidOf(OrchestratorMethods[method]);
    return { method, paramIdlTypes, returnIdlType, args };
}
