/**
 * Completion callbacks: a dapp canister that starts an execution may name a method of its
 * own that the orchestrator calls once with the execution's final result, so the dapp need
 * not poll `get_execution`. The callback always goes to the canister that started the
 * execution (the request names only a method), which keeps the call policy whole: a workflow
 * owner can make DeFlow call nothing it could not call itself, and never a DeFlow canister,
 * the management canister or a user.
 */
import type { Principal } from '@dfinity/principal';

import { refuseCallTarget, type CallRefusalReason, type CallTargetRule } from './call-policy';
import { ExecutionFailureWire, ExecutionStatusWire, encodeExecution, type Execution } from './execution';
import { WORKFLOW_LIMITS } from './limits';
import { c, type Infer } from '../common/codec';

/** `start_execution_with_callback`: `start_execution`'s argument and the caller's method to call when the run ends. */
export const StartWithCallbackArgWire = c.record({ workflow_id: c.text, input: c.opt(c.text), callback_method: c.text });
export type StartWithCallbackArg = Infer<typeof StartWithCallbackArgWire>;

/**
 * The argument of the dapp's callback method, `(ExecutionCompletion) -> ()`: the final status,
 * the failure if it failed, when it finished, and the output of every node that succeeded
 * (JSON text, in definition order).
 *
 * @example
 * // Motoko: public shared ({ caller }) func on_execution_complete(c : ExecutionCompletion) : async () { assert caller == orchestrator; … }
 */
export const ExecutionCompletionWire = c.record({
    execution_id: c.text,
    workflow_id: c.text,
    status: ExecutionStatusWire,
    finished_at: c.nat64,
    failure: c.opt(ExecutionFailureWire),
    outputs: c.vec(c.record({ node_id: c.text, output: c.text }))
});
export type ExecutionCompletion = Infer<typeof ExecutionCompletionWire>;

/** Where a completion goes: the canister that started the execution, and its method. */
export type CompletionCallback = { canister: string; method: string };

/**
 * Why a caller may not ask for a completion callback, or `undefined` if it may: the callback
 * target is the caller itself, judged by the call policy (an allow-list does not apply: a
 * canister may always call itself back). A user (not a canister), the management canister and
 * DeFlow's own canisters are refused.
 *
 * @example
 * refuseCompletionTarget(userPrincipal, rule) // 'NotACanister'
 */
export function refuseCompletionTarget(caller: Principal, rule: CallTargetRule): CallRefusalReason | undefined {
    return refuseCallTarget(caller, { protectedCanisters: rule.protectedCanisters, ...(rule.isAgent === undefined ? {} : { isAgent: rule.isAgent }) });
}

/** A callback method name is what a call node's method may be: 1 to `maxMethodChars` characters. */
export function isValidCallbackMethod(method: string): boolean {
    return method.length > 0 && method.length <= WORKFLOW_LIMITS.maxMethodChars;
}

/**
 * The completion of a finished execution.
 *
 * @example
 * completionOf(execution).outputs // [{ node_id: 'price', output: '{"price_e8s":1}' }]
 */
export function completionOf(x: Execution): ExecutionCompletion {
    const wire = encodeExecution(x);
    return {
        execution_id: x.id,
        workflow_id: x.workflowId,
        status: wire.status,
        finished_at: x.finishedAt ?? x.createdAt,
        failure: wire.failure,
        outputs: x.nodes.flatMap((n) => (n.status === 'Succeeded' && n.output !== undefined ? [{ node_id: n.nodeId, output: n.output }] : []))
    };
}
