/**
 * The typed errors of the DeFlow client. Callers match `kind`, never the message:
 *
 * - {@link DeflowError}: the canister answered `Err`; carries the API error variant.
 * - {@link DeflowCallError}: the call itself failed: rejected by the IC (`Rejected`, with the
 *   reject code and the IC error code such as `IC0301` canister not found or `IC0536` method
 *   not found), the network could not be reached (`Unreachable`, with its cause), no subnet
 *   hosts the canister id (`CanisterNotHosted`), the host answered another HTTP error status
 *   (`Http`), or the agent refused the answer (`Agent`: a certificate, root key or protocol problem).
 */
import {
    AgentError,
    CertificateNotAuthorizedErrorCode,
    CertifiedRejectErrorCode,
    HttpErrorCode,
    HttpFetchErrorCode,
    RejectError,
    TransportError,
    UncertifiedRejectErrorCode,
    UncertifiedRejectUpdateErrorCode
} from '@dfinity/agent';

import type { Principal } from '@dfinity/principal';

import type { Result } from '../shared/common/result';
import type { WorkflowError } from '../shared/workflow/errors';
import { tagOf } from '../shared/common/codec';

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

/** Why a network could not be reached, from the system error under the agent's failed fetch. */
export type UnreachableCause = 'ConnectionRefused' | 'UnknownHost' | 'Tls' | 'Timeout' | 'Other';

/** Why a call failed before the canister could answer `Ok` or `Err`. */
export type CallFailure =
    | { kind: 'Rejected'; rejectCode: number; errorCode: string | undefined; message: string }
    /** No answer: `cause` from the system error code (`systemCode`, e.g. `ECONNREFUSED`) when there is one. */
    | { kind: 'Unreachable'; cause: UnreachableCause; systemCode: string | undefined; message: string }
    /**
     * No subnet of this network hosts the canister id: the network's certificate says so, or the
     * HTTP interface refused the request with `IC0301` (an id outside every subnet's range).
     */
    | { kind: 'CanisterNotHosted'; message: string }
    /** The host answered an HTTP error status; `errorCode` is the IC error code its body names (`IC0301`), if any. */
    | { kind: 'Http'; status: number; errorCode: string | undefined; body: string; message: string }
    | { kind: 'Agent'; agentKind: string; agentCode: string; message: string };

/**
 * A call to a DeFlow canister failed: see {@link CallFailure}.
 *
 * @example
 * if (e instanceof DeflowCallError && e.failure.kind === 'Unreachable') retryLater();
 */
export class DeflowCallError extends Error {
    override readonly name = 'DeflowCallError';
    /** The id the call went to, when known (the CLI names it in "does not exist" messages). */
    readonly canisterId: Principal | undefined;

    constructor(
        readonly canister: DeflowCanister,
        readonly method: string,
        readonly failure: CallFailure,
        options: { cause?: unknown; canisterId?: Principal } = {}
    ) {
        super(`${canister}.${method}: ${failure.message}`, { cause: options.cause });
        this.canisterId = options.canisterId;
    }
}

/** IC error code of a canister id no subnet hosts (and of a call to a canister that does not exist). */
export const CANISTER_NOT_FOUND = 'IC0301';

/** System error codes of a failed connection, by cause (Node's `fetch` puts them on the cause of its `TypeError`). */
const UNREACHABLE_CAUSES: Record<string, UnreachableCause> = {
    ECONNREFUSED: 'ConnectionRefused',
    ENOTFOUND: 'UnknownHost',
    EAI_AGAIN: 'UnknownHost',
    ETIMEDOUT: 'Timeout',
    UND_ERR_CONNECT_TIMEOUT: 'Timeout',
    UND_ERR_HEADERS_TIMEOUT: 'Timeout',
    EPROTO: 'Tls',
    ERR_SSL_WRONG_VERSION_NUMBER: 'Tls',
    ERR_SSL_PACKET_LENGTH_TOO_LONG: 'Tls',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'Tls',
    SELF_SIGNED_CERT_IN_CHAIN: 'Tls',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'Tls',
    CERT_HAS_EXPIRED: 'Tls',
    ERR_TLS_CERT_ALTNAME_INVALID: 'Tls'
};

/** The errors of a cause chain, outermost first (fetch's `TypeError` → its cause, which carries the system `code`). */
function causeChain(error: unknown): object[] {
    const chain: object[] = [];
    for (let current: unknown = error; typeof current === 'object' && current !== null && chain.length < 5; current = 'cause' in current ? current.cause : undefined) chain.push(current);
    return chain;
}

/** The first system error `code` in an error's cause chain. */
function systemCodeOf(error: unknown): string | undefined {
    for (const e of causeChain(error)) if (!(e instanceof AgentError) && 'code' in e && typeof e.code === 'string') return e.code;
    return undefined;
}

function unreachable(fetchError: unknown, fallback: string): CallFailure {
    const systemCode = systemCodeOf(fetchError);
    const cause = systemCode === undefined ? 'Other' : (UNREACHABLE_CAUSES[systemCode] ?? 'Other');
    // Without a system code, the innermost cause says why (fetch refuses some ports as "bad port").
    const innermost = causeChain(fetchError).at(-1);
    const why = systemCode ?? (innermost !== undefined && 'message' in innermost && typeof innermost.message === 'string' ? innermost.message : undefined);
    return { kind: 'Unreachable', cause, systemCode, message: why === undefined ? fallback : `${fallback} (${why})` };
}

/**
 * The IC error code an HTTP error body names. The IC HTTP interface answers a request it
 * refuses before any canister sees it with a plain-text body `error: <name>\ndetails: IC<nnnn>: …`
 * (e.g. `error: canister_not_found` / `IC0301` for an id outside every subnet's range); the
 * agent hands over only the text, so this reads the `details: IC<nnnn>` field of that format.
 */
export function httpErrorCodeOf(body: string): string | undefined {
    return /^details: (IC\d{4})\b/m.exec(body)?.[1];
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
        const body = code.bodyText ?? '';
        const errorCode = httpErrorCodeOf(body);
        const message = `HTTP ${code.status} ${code.statusText}${body === '' ? '' : `: ${firstLine(body)}`}`;
        if (code.status === 400 && errorCode === CANISTER_NOT_FOUND) return { kind: 'CanisterNotHosted', message: `${message} (${CANISTER_NOT_FOUND})` };
        return { kind: 'Http', status: code.status, errorCode, body, message };
    }
    // The agent wraps a failed fetch (refused connection, unknown host, TLS failure).
    if (error instanceof TransportError) {
        const code = error.cause.code;
        return unreachable(code instanceof HttpFetchErrorCode ? code.error : error, 'the network did not answer');
    }
    if (error instanceof AgentError) return { kind: 'Agent', agentKind: error.kind, agentCode: codeName(error.cause.code), message: firstLine(error.message) };
    // Node's fetch reports a refused or unresolvable host as a `TypeError` whose cause carries a system error code.
    if (error instanceof TypeError && systemCodeOf(error) !== undefined) return unreachable(error, 'cannot reach the network');
    return null;
}

/**
 * The query-signature check fails (`MissingSignatureErrorCode`) when the agent could not fetch
 * the subnet's node keys: its own fetch swallows the reason. True for that failure, whose cause
 * {@link diagnoseCallFailure} finds by asking the same `read_state` directly.
 */
export function isMissingSubnetKeys(failure: CallFailure): boolean {
    return failure.kind === 'Agent' && failure.agentCode === 'MissingSignatureErrorCode';
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
