/**
 * Inter-canister calls as data: a reply or a typed reject, never a thrown error the caller
 * must remember to catch. Used by every outbox of the orchestrator and executor.
 */
import { call, IDL, Principal } from 'azle';
import type { CallError } from 'azle';

/** IC reject codes that mean "try again later": SysTransient (2) and CanisterError (5, e.g. stopped or upgrading). */
export const RETRYABLE_REJECT_CODES: readonly number[] = [2, 5];

/** True for rejects a caller retries with backoff (the peer is stopped, upgrading or overloaded). */
export function isRetryableReject(code: number): boolean {
    return RETRYABLE_REJECT_CODES.includes(code);
}

/** The outcome of one call: the decoded reply, or the reject code and message. */
export type CallOutcome<T> = { kind: 'Replied'; value: T } | { kind: 'Rejected'; code: number; message: string };

function isCallError(error: unknown): error is CallError {
    return typeof error === 'object' && error !== null && 'type' in error;
}

/** Maps Azle's thrown call errors to a reject; anything else is a bug and is re-thrown. */
function rejected(error: unknown): { kind: 'Rejected'; code: number; message: string } {
    if (!isCallError(error)) throw error;
    switch (error.type) {
        case 'CallRejected':
            return { kind: 'Rejected', code: error.rejectCode, message: error.rejectMessage };
        case 'CallPerformFailed':
            // The call never left (queue full): transient by definition.
            return { kind: 'Rejected', code: 2, message: 'call_perform failed' };
        case 'InsufficientLiquidCycleBalance':
            return { kind: 'Rejected', code: 2, message: 'insufficient liquid cycles to make the call' };
        case 'CleanupCallback':
            throw error;
    }
}

/**
 * Calls `method` of `target` with Candid-typed arguments and decodes the reply.
 *
 * Call context: update or timer (performs an inter-canister call). Never throws for a reject.
 *
 * @example
 * const r = await callTyped<Result>(executor, 'run_node_attempt', [RequestIdl], [request], ResultIdl);
 * if (r.kind === 'Rejected' && isRetryableReject(r.code)) retryLater();
 */
export async function callTyped<T>(target: Principal, method: string, paramIdlTypes: IDL.Type[], args: unknown[], returnIdlType: IDL.Type): Promise<CallOutcome<T>> {
    try {
        const value: T = await call<unknown[], T>(target, method, { paramIdlTypes, args, returnIdlType });
        return { kind: 'Replied', value };
    } catch (error) {
        return rejected(error);
    }
}

/**
 * Calls with raw Candid bytes (a workflow's call node: the executor does not know the types).
 *
 * Call context: update or timer. Never throws for a reject.
 */
export async function callRaw(target: Principal, method: string, args: Uint8Array, cycles: bigint): Promise<CallOutcome<Uint8Array>> {
    try {
        const value: Uint8Array = await call(target, method, { raw: true, args, cycles });
        return { kind: 'Replied', value };
    } catch (error) {
        return rejected(error);
    }
}
