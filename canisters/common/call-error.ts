/**
 * Turns what Azle's `call()` throws into data: the reject code and message a caller's retry
 * policy decides on. Shared by every DeFlow canister that calls a peer or a dependency.
 */
import type { CallError } from 'azle';

/** A failed inter-canister call as the outbox logic sees it (IC reject codes 1..6). */
export type CallFailure = { reject_code: number; message: string };

/** SYS_TRANSIENT: what a full queue or a momentarily missing cycle balance amounts to (retry later). */
const SYS_TRANSIENT = 2;

function isCallError(error: unknown): error is CallError {
    return typeof error === 'object' && error !== null && 'type' in error && typeof (error as { type: unknown }).type === 'string';
}

/**
 * Classifies an error thrown by `call()`. Rejects keep their code; a call that could not even
 * be enqueued (`CallPerformFailed`) or lacked cycles counts as transient. Anything else
 * (a decoding bug, a cleanup callback) is not a call failure and is re-thrown, so it is never
 * swallowed as "peer unavailable".
 *
 * Call context: the reject/catch branch of an awaited `call()` (update, timer).
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
