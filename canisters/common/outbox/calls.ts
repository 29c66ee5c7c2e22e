/**
 * The ONE call-error type of DeFlow's canisters: what Azle's `call()` throws, turned into
 * data (the reject code and message a retry policy decides on), and the two call helpers
 * every outbox and probe uses, which never throw for a reject.
 */
import { call, Principal } from 'azle';
import type { CallError } from 'azle';

import { candidOf, type MethodSpec } from '../../../shared/common/codec';
import type { CallFailure, CallOutcome } from './retry-policy';

export type { CallFailure, CallOutcome };

/** SYS_TRANSIENT: what a full queue or a momentarily missing cycle balance amounts to. */
export const SYS_TRANSIENT = 2;

function isCallError(error: unknown): error is CallError {
    return typeof error === 'object' && error !== null && 'type' in error && typeof (error as { type: unknown }).type === 'string';
}

/**
 * Classifies an error thrown by `call()`. Rejects keep their code; a call that could not be
 * enqueued (`CallPerformFailed`) or lacked cycles counts as transient. Anything else (a
 * decoding bug, a cleanup callback) is not a call failure and is re-thrown, never swallowed
 * as "peer unavailable".
 *
 * Call context: the catch branch of an awaited `call()` (update, timer).
 *
 * @example
 * try { await call(peer, 'm', opts) } catch (e) { const f = callFailureOf(e); // { reject_code: 5, message: 'canister stopped' } }
 */
export function callFailureOf(error: unknown): CallFailure {
    if (!isCallError(error)) throw error;
    switch (error.type) {
        case 'CallRejected':
            return { reject_code: error.rejectCode, message: error.rejectMessage };
        case 'CallPerformFailed':
            return { reject_code: SYS_TRANSIENT, message: 'call_perform failed (queue full or canister stopping)' };
        case 'InsufficientLiquidCycleBalance':
            return { reject_code: SYS_TRANSIENT, message: `insufficient cycles: ${error.available} < ${error.required}` };
        case 'CleanupCallback':
            throw error;
        default:
            throw error;
    }
}

/**
 * Calls `method` of `target` with the Candid types of its contract (`spec`, from a method table
 * in `shared/`) and decodes the reply.
 *
 * Call context: update or timer. Never throws for a reject.
 *
 * @example
 * const r = await callTyped<Result>(executor, 'run_node_attempt', ExecutorMethods.run_node_attempt, [request]);
 * if (r.kind === 'Rejected' && isRetryableReject(r.reject_code)) retryLater();
 */
export async function callTyped<T>(target: Principal, method: string, spec: MethodSpec, args: unknown[]): Promise<CallOutcome<T>> {
    const [paramIdlTypes, returnIdlType] = candidOf(spec);
    try {
        const value: T = await call<unknown[], T>(target, method, { paramIdlTypes, args, returnIdlType });
        return { kind: 'Replied', value };
    } catch (error) {
        return { kind: 'Rejected', ...callFailureOf(error) };
    }
}

/**
 * Calls with raw Candid bytes (a workflow's call node, a dependency probe: the caller does
 * not know the types). Call context: update or timer. Never throws for a reject.
 */
export async function callRaw(target: Principal, method: string, args: Uint8Array, cycles = 0n): Promise<CallOutcome<Uint8Array>> {
    try {
        const value: Uint8Array = await call(target, method, { raw: true, args, cycles });
        return { kind: 'Replied', value };
    } catch (error) {
        return { kind: 'Rejected', ...callFailureOf(error) };
    }
}
