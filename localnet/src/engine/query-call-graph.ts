/**
 * Non-replicated query execution, including composite queries: a composite query may call
 * query and composite query methods of canisters on its own subnet (itself included), and
 * their callbacks run on the caller's state as that call left it. The call graph is walked
 * depth first, as the replica does (dfinity/ic
 * rs/execution_environment/src/query_handler/query_call_graph.rs): every callee runs on its
 * committed state, every change is discarded at the end, a node that answered is dropped
 * with the rest of its calls, and a graph nested deeper than `MAX_QUERY_CALL_DEPTH` fails as
 * a whole with IC0525.
 */
import type { CallResult, Reject } from '../api';
import type { Canister } from './canister';
import { messageForCanister, rejects, type CanisterTrap } from './errors';
import { Execution, callPayload, type DataCertificateSource, type ExecutionInput, type ExecutionKind, type OutgoingCall } from './execution';
import { methodExportName } from './wasm-module';
import type { EntryPoint, TransientState } from './wasm-runtime';

/** The replica's limit on nested composite query calls (dfinity/ic rs/config/src/execution_environment.rs). */
export const MAX_QUERY_CALL_DEPTH = 6;

/** What query execution needs from the replicated state. */
export type QueryHost = {
    canister(id: Uint8Array): Canister | undefined;
    /** Whether an id is inside some subnet's canister ranges. */
    routes(id: Uint8Array): boolean;
    executionInput(canister: Canister, kind: ExecutionKind): ExecutionInput;
    /** The per-query instruction limit of the canister's subnet. */
    queryInstructionLimit(canister: Canister): bigint;
    /** Told the instructions each execution of the graph used (they count though discarded). */
    executed(canister: Canister, instructions: bigint): void;
    /** The reject for a frozen canister, which runs no query; null if it is not frozen. */
    frozen(canister: Canister): Reject | null;
};

/** One call context of the graph that awaits a response: its canister, state and remaining calls. */
type PendingNode = {
    canister: Canister;
    caller: Uint8Array;
    state: TransientState;
    calls: OutgoingCall[];
    /** The call whose response the node waits for. */
    awaiting: OutgoingCall | null;
};

type NodeOutcome = { result: CallResult } | { node: PendingNode };

const rejected = (failure: Reject): CallResult => ({ kind: 'reject', reject: failure });

/** The answer a finished execution gives its caller (reply, explicit reject, trap or none). */
function answerOf(canister: Canister, execution: Execution, trap: CanisterTrap | null): CallResult | null {
    if (trap !== null) return rejected(rejects.trapped(canister.id, trap));
    if (execution.answer === null) return null;
    return execution.answer.kind === 'reply'
        ? { kind: 'reply', payload: execution.answer.payload }
        : rejected(rejects.explicitReject(execution.answer.message));
}

export class QueryExecutor {
    constructor(private readonly host: QueryHost) {}

    /** Runs a query or composite query method called by a user; every change is discarded. */
    run(canister: Canister, method: string, arg: Uint8Array, caller: Uint8Array, dataCertificate: DataCertificateSource): CallResult {
        const refusal = this.refusal(canister);
        if (refusal !== null) return rejected(refusal);
        const methodKind = canister.runtime!.module.methods.get(method);
        if (methodKind !== 'query' && methodKind !== 'composite_query') {
            return rejected(rejects.methodNotFound(canister.id, 'query', method));
        }
        const frozen = this.host.frozen(canister);
        if (frozen !== null) return rejected(frozen);
        if (methodKind === 'query') return this.plainQuery(canister, method, arg, caller, dataCertificate);
        const first = this.start(canister, 'composite_query', method, arg, caller, dataCertificate);
        return 'result' in first ? first.result : this.walk(first.node);
    }

    /** Depth-first walk of the calls of `root` until it answers or runs out of calls. */
    private walk(root: PendingNode): CallResult {
        const stack: PendingNode[] = [root];
        let calleeResult: CallResult | null = null;
        for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
            if (stack.length >= MAX_QUERY_CALL_DEPTH) return rejected(rejects.queryCallGraphTooDeep());
            let outcome: NodeOutcome;
            if (calleeResult !== null) {
                outcome = this.resume(node, calleeResult);
                calleeResult = null;
            } else {
                const call = node.calls.shift();
                if (call === undefined) {
                    calleeResult = rejected(rejects.didNotReply(node.canister.id));
                    continue;
                }
                node.awaiting = call;
                stack.push(node);
                outcome = this.request(node.canister, call);
            }
            if ('result' in outcome) calleeResult = outcome.result;
            else stack.push(outcome.node);
        }
        return calleeResult!;
    }

    /** Executes a call made by `caller` on its callee, as a query or a composite query. */
    private request(caller: Canister, call: OutgoingCall): NodeOutcome {
        const payload = callPayload(call);
        const callee = call.callee.length === 0 ? undefined : this.host.canister(call.callee);
        if (callee === undefined) {
            return { result: rejected(this.host.routes(call.callee) ? rejects.canisterNotFound(call.callee) : rejects.noRoute(call.callee)) };
        }
        // Composite queries reach only canisters of their own subnet.
        if (callee.subnetIndex !== caller.subnetIndex) return { result: rejected(rejects.canisterNotFound(call.callee)) };
        const refusal = this.refusal(callee);
        if (refusal !== null) return { result: rejected(refusal) };
        const methodKind = callee.runtime!.module.methods.get(call.method);
        if (methodKind !== 'query' && methodKind !== 'composite_query') {
            return { result: rejected(rejects.noQueryMethod(callee.id, call.method)) };
        }
        const frozen = this.host.frozen(callee);
        if (frozen !== null) return { result: rejected(frozen) };
        if (methodKind === 'composite_query') return this.start(callee, 'composite_query', call.method, payload, caller.id, null);
        return { result: this.plainQuery(callee, call.method, payload, caller.id, null) };
    }

    /** A query method (not composite): one discarded execution, which cannot make calls. */
    private plainQuery(canister: Canister, method: string, arg: Uint8Array, caller: Uint8Array, dataCertificate: DataCertificateSource): CallResult {
        const execution = this.execution(canister, { kind: 'query', arg, caller, methodName: method, dataCertificate });
        const { trap, instructions } = canister.runtime!.run(execution, { export: methodExportName('query', method) }, 'none');
        this.host.executed(canister, instructions);
        return answerOf(canister, execution, trap) ?? rejected(rejects.didNotReply(canister.id));
    }

    private execution(canister: Canister, input: Partial<ExecutionInput> & { kind: ExecutionKind }): Execution {
        return new Execution({
            ...this.host.executionInput(canister, input.kind),
            canAnswer: true,
            instructionLimit: this.host.queryInstructionLimit(canister),
            ...input
        });
    }

    /** Runs a composite query method; it either answers or becomes a node awaiting its calls. */
    private start(canister: Canister, kind: 'composite_query', method: string, arg: Uint8Array, caller: Uint8Array, dataCertificate: DataCertificateSource): NodeOutcome {
        const execution = this.execution(canister, { kind, arg, caller, methodName: method, dataCertificate });
        const { trap, instructions, state } = canister.runtime!.runTransient(execution, { export: methodExportName(kind, method) }, null);
        this.host.executed(canister, instructions);
        return this.settle({ canister, caller, state, calls: [], awaiting: null }, execution, trap);
    }

    /** Runs the reply or reject callback of `node` for the answer to the call it awaited. */
    private resume(node: PendingNode, result: CallResult): NodeOutcome {
        const call = node.awaiting!;
        node.awaiting = null;
        const input: Partial<ExecutionInput> =
            result.kind === 'reply'
                ? { kind: 'composite_reply', arg: result.payload }
                : { kind: 'composite_reject', rejectCode: result.reject.rejectCode, rejectMessage: messageForCanister(result.reject) };
        const entry: EntryPoint = { table: result.kind === 'reply' ? call.reply : call.reject };
        const execution = this.execution(node.canister, { kind: input.kind!, caller: node.caller, ...input });
        const { trap, instructions, state } = node.canister.runtime!.runTransient(execution, entry, node.state);
        this.host.executed(node.canister, instructions);
        node.state = state;
        return this.settle(node, execution, trap);
    }

    private settle(node: PendingNode, execution: Execution, trap: CanisterTrap | null): NodeOutcome {
        const answer = answerOf(node.canister, execution, trap);
        if (answer !== null) return { result: answer };
        node.calls.push(...execution.calls);
        if (node.calls.length === 0) return { result: rejected(rejects.didNotReply(node.canister.id)) };
        return { node };
    }

    /** Why a canister cannot run a query at all, if it cannot. */
    private refusal(canister: Canister): Reject | null {
        if (canister.status === 'stopped') return rejects.canisterStopped(canister.id);
        if (canister.status === 'stopping') return rejects.canisterStopping(canister.id);
        if (canister.runtime === null) return rejects.noModule(canister.id);
        return null;
    }
}
