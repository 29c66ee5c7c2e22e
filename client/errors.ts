/**
 * The typed errors of the DeFlow client. Callers match `kind`, never the message:
 *
 * - {@link DeflowError}: the canister answered `Err`; carries the API error variant.
 * - {@link DeflowCallError}: the call itself failed: rejected by the IC (`Rejected`, with the
 *   reject code and the IC error code such as `IC0301` canister not found or `IC0536` method
 *   not found), the network could not be reached (`Unreachable`), the host answered an HTTP
 *   error status (`Http`, e.g. 400 for a canister id with no canister), or the agent refused the
 *   answer (`Agent`: a certificate, root key or protocol problem).
 */
import { AgentError, CertificateNotAuthorizedErrorCode, CertifiedRejectErrorCode, HttpErrorCode, RejectError, TransportError, UncertifiedRejectErrorCode, UncertifiedRejectUpdateErrorCode } from '@dfinity/agent';

import type { Result } from '../shared/common/result';
import type { WorkflowError } from '../shared/workflow/errors';
import { tagOf } from '../shared/workflow/wire';

/** Which DeFlow canister a client call went to. */
export type DeflowCanister = 'orchestrator' | 'scheduler' | 'executor' | 'monitor';

/** Every error variant a DeFlow API can answer (the orchestrator's is the widest: `ApiError` plus graph errors). */
export type DeflowApiError = WorkflowError;
/** The tag of a {@link DeflowApiError}: `NotFound`, `Unauthorized`, `InvalidInput`, … */
export type DeflowApiErrorKind = DeflowApiError extends infer E ? (E extends object ? keyof E & string : never) : never;

/** One line a human can read for an API error variant (for logs and the CLI; never match on it). */
export function describeApiError(error: DeflowApiError): string {
    if ('NotFound' in error) return `${error.NotFound.entity} ${error.NotFound.id} not found`;
    if ('Unauthorized' in error) return `caller ${error.Unauthorized.caller.toText()} is not allowed to do this`;
    if ('InvalidInput' in error) return error.InvalidInput.field === '' ? `invalid input: ${error.InvalidInput.message}` : `${error.InvalidInput.field}: ${error.InvalidInput.message}`;
    if ('Conflict' in error) return `conflict: ${error.Conflict.message}`;
    if ('LimitExceeded' in error) return `limit exceeded: ${error.LimitExceeded.limit} (max ${error.LimitExceeded.max})`;
    if ('Unavailable' in error) return `unavailable: ${error.Unavailable.message}`;
    if ('EmergencyMode' in error) return `emergency mode: ${error.EmergencyMode.message}`;
    if ('CycleDetected' in error) return `cycle detected: ${error.CycleDetected.path.join(' -> ')}`;
    if ('CallRefused' in error) return `node ${error.CallRefused.node_id} may not call ${error.CallRefused.target.toText()}: ${tagOf(error.CallRefused.reason)}`;
    return `node ${error.UnknownNode.node_id} (referenced by ${error.UnknownNode.referenced_by}) does not exist`;
}

/**
 * A DeFlow canister answered `Err`. `error` is the variant exactly as the canister sent it;
 * `kind` is its tag.
 *
 * @example
 * try { await client.workflows.get('wf-9'); }
 * catch (e) { if (e instanceof DeflowError && e.kind === 'NotFound') showMissing(); else throw e; }
 */
export class DeflowError extends Error {
    override readonly name = 'DeflowError';
    readonly kind: DeflowApiErrorKind;

    constructor(
        readonly canister: DeflowCanister,
        readonly method: string,
        readonly error: DeflowApiError
    ) {
        super(`${canister}.${method}: ${describeApiError(error)}`);
        this.kind = tagOf(error) as DeflowApiErrorKind;
    }
}

/** Why a call failed before the canister could answer `Ok` or `Err`. */
export type CallFailure =
    | { kind: 'Rejected'; rejectCode: number; errorCode: string | undefined; message: string }
    | { kind: 'Unreachable'; message: string }
    /** The network's certificates say no subnet of it hosts this canister id (no such canister there). */
    | { kind: 'CanisterNotHosted'; message: string }
    /** The host answered an HTTP error status (e.g. 400 for a canister id with no canister). */
    | { kind: 'Http'; status: number; body: string; message: string }
    | { kind: 'Agent'; agentKind: string; agentCode: string; message: string };

/**
 * A call to a DeFlow canister failed: see {@link CallFailure}.
 *
 * @example
 * if (e instanceof DeflowCallError && e.failure.kind === 'Unreachable') retryLater();
 */
export class DeflowCallError extends Error {
    override readonly name = 'DeflowCallError';

    constructor(
        readonly canister: DeflowCanister,
        readonly method: string,
        readonly failure: CallFailure,
        options: { cause?: unknown } = {}
    ) {
        super(`${canister}.${method}: ${failure.message}`, options);
    }
}

/** Node's fetch reports a refused or unresolvable host as a `TypeError` whose cause carries a system error code. */
function networkCode(error: unknown): string | null {
    if (!(error instanceof TypeError)) return null;
    const cause: unknown = error.cause;
    return typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
}

/** Classifies anything an agent call threw. Errors that are neither agent nor network failures are returned as `null` (re-throw them). */
export function callFailureOf(error: unknown): CallFailure | null {
    if (error instanceof RejectError) {
        const code = error.cause.code;
        if (code instanceof CertifiedRejectErrorCode || code instanceof UncertifiedRejectErrorCode || code instanceof UncertifiedRejectUpdateErrorCode) {
            return { kind: 'Rejected', rejectCode: code.rejectCode, errorCode: code.rejectErrorCode, message: code.rejectMessage };
        }
        return { kind: 'Rejected', rejectCode: 0, errorCode: undefined, message: firstLine(error.message) };
    }
    if (error instanceof AgentError && error.cause.code instanceof CertificateNotAuthorizedErrorCode) {
        return { kind: 'CanisterNotHosted', message: firstLine(error.message) };
    }
    if (error instanceof AgentError && error.cause.code instanceof HttpErrorCode) {
        const code = error.cause.code;
        return { kind: 'Http', status: code.status, body: code.bodyText ?? '', message: `HTTP ${code.status} ${code.statusText}${code.bodyText === undefined || code.bodyText === '' ? '' : `: ${firstLine(code.bodyText)}`}` };
    }
    // The agent wraps a failed fetch (refused connection, unknown host).
    if (error instanceof TransportError) return { kind: 'Unreachable', message: firstLine(error.message) };
    if (error instanceof AgentError) return { kind: 'Agent', agentKind: error.kind, agentCode: codeName(error.cause.code), message: firstLine(error.message) };
    const code = networkCode(error);
    if (code !== null) return { kind: 'Unreachable', message: `cannot reach the network (${code})` };
    return null;
}

/** The class name of an agent error code (`CertificateVerificationErrorCode`, …); every concrete code declares one. */
function codeName(code: object): string {
    return 'name' in code && typeof code.name === 'string' ? code.name : 'UnknownErrorCode';
}

function firstLine(text: string): string {
    return text.split('\n', 1)[0] ?? text;
}

/**
 * The `Ok` value of a canister's `Result`, or a thrown {@link DeflowError}.
 *
 * @example
 * const workflow = unwrap(await actor.get_workflow(arg), 'orchestrator', 'get_workflow');
 */
export function unwrap<T>(result: Result<T, DeflowApiError>, canister: DeflowCanister, method: string): T {
    if ('Ok' in result) return result.Ok;
    throw new DeflowError(canister, method, result.Err);
}
