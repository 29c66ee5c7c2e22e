/**
 * The CLI's typed failures and the exit codes they map to. Every command either returns
 * normally (exit 0) or throws; `exitFor` is the one place that turns a failure into a code
 * and a message, matching error kinds, never message text.
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | a canister answered an error variant (`Unauthorized`, `InvalidInput`, `Conflict`, …) or rejected the call |
 * | 2 | usage error or bad input (unknown command or flag, unreadable or invalid workflow file, bad JSON) |
 * | 3 | network unreachable or unusable (connection refused, wrong URL, root key or certificate problem) |
 * | 4 | not found (unknown workflow, execution or schedule id; a canister id with no canister) |
 * | 5 | `executions watch` / `run --watch`: the execution ended `Failed` or `Cancelled` |
 * | 70 | an unexpected internal error (a bug: the stack is printed) |
 */
import { CANISTER_NOT_FOUND, DeflowCallError, DeflowError, type CallFailure } from '../client/errors';

/** Exit codes of the `deflow` command. */
export const ExitCode = { Ok: 0, ApiError: 1, Usage: 2, Network: 3, NotFound: 4, ExecutionUnsuccessful: 5, Internal: 70 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const EXIT_CODES: ReadonlySet<unknown> = new Set(Object.values(ExitCode));

/** True for the documented exit codes only. */
export function isExitCode(value: unknown): value is ExitCode {
    return EXIT_CODES.has(value);
}

/** Kinds of failure the CLI itself raises (the client's errors are mapped beside them). */
export type CliErrorKind = 'Usage' | 'BadInput' | 'Network' | 'NotFound' | 'ExecutionUnsuccessful' | 'NotAvailable';

/**
 * A failure the CLI detected itself: bad usage, a bad input file, no network, a missing
 * canister id, an execution that ended unsuccessfully.
 *
 * @example
 * throw new CliError('BadInput', 'nodes[2].config.method: Too small');
 */
export class CliError extends Error {
    override readonly name = 'CliError';

    constructor(
        readonly kind: CliErrorKind,
        message: string,
        /** Extra lines printed after the message (e.g. every invalid field of a file). */
        readonly details: readonly string[] = []
    ) {
        super(message);
    }
}

const KIND_EXIT: Record<CliErrorKind, ExitCode> = {
    Usage: ExitCode.Usage,
    BadInput: ExitCode.Usage,
    NotAvailable: ExitCode.Usage,
    Network: ExitCode.Network,
    NotFound: ExitCode.NotFound,
    ExecutionUnsuccessful: ExitCode.ExecutionUnsuccessful
};

/** Where the CLI was talking to, for messages that say what to do. */
export type NetworkInfo = { name: string; url: string };

const CHECK_IDS = 'check the canister ids: npm start writes the ids of its network to .deflow/deployment.json; --orchestrator/--scheduler/--monitor/--executor ID (or $DEFLOW_<ROLE>_ID) override them';

/** A failure explained: what happened, and what to do about it. */
export type Advice = { message: string; hints: string[] };

/** What to do when a network does not answer, by cause. */
export function unreachableAdvice(network: NetworkInfo, failure: Extract<CallFailure, { kind: 'Unreachable' }>): Advice {
    switch (failure.cause) {
        case 'ConnectionRefused':
            return {
                message: `nothing answers at ${network.url} (connection refused)`,
                hints: [network.name === 'local' ? 'start the local network with `npm start` (it serves http://127.0.0.1:4943; $DEFLOW_PORT or --network URL for another port)' : 'check the port in --network, and that the network runs there']
            };
        case 'UnknownHost':
            return { message: `the host of ${network.url} is unknown (${failure.systemCode ?? 'DNS'})`, hints: ['check the host name in --network (local, ic, or an http(s) URL)'] };
        case 'Tls':
            return {
                message: `the TLS handshake with ${network.url} failed (${failure.systemCode ?? 'TLS'})`,
                hints: [network.url.startsWith('https:') ? `a local network is served over plain http: try --network ${network.url.replace(/^https:/, 'http:')}` : 'check the certificate of the host']
            };
        case 'Timeout':
            return { message: `${network.url} did not answer in time (${failure.systemCode ?? 'timeout'})`, hints: ['check that the network is running and not overloaded, then retry'] };
        case 'Other':
            return { message: `cannot reach ${network.url}: ${failure.message}`, hints: ['check --network and that the network is running (npm start)'] };
    }
}

/** An HTTP server answered, but not as an IC network (a wrong URL or port). */
export function notAnIcNetworkAdvice(network: NetworkInfo, failure: Extract<CallFailure, { kind: 'Http' }>): Advice {
    return {
        message: `${network.url} answers HTTP but not as an IC network (${failure.message})`,
        hints: ['give the URL of an IC HTTP interface: the one npm start prints (http://127.0.0.1:4943 by default), a replica, or --network ic']
    };
}

function linesOf(advice: Advice): string[] {
    return [`error: ${advice.message}`, ...advice.hints.map((h) => `  ${h}`)];
}

function notHostedLines(error: DeflowCallError, detail: string): string[] {
    const id = error.canisterId === undefined ? '' : ` ${error.canisterId.toText()}`;
    return [`error: the ${error.canister} canister${id} does not exist on this network (${detail})`, `  ${CHECK_IDS}`];
}

/** Exit code and lines of a call that failed before the canister answered. */
function callFailureExit(error: DeflowCallError, network: NetworkInfo | undefined): { code: ExitCode; lines: string[] } {
    const failure = error.failure;
    const where = `${error.canister}.${error.method}`;
    switch (failure.kind) {
        case 'Unreachable':
            return { code: ExitCode.Network, lines: linesOf(unreachableAdvice(network ?? { name: '?', url: 'the network' }, failure)) };
        case 'CanisterNotHosted':
            return { code: ExitCode.NotFound, lines: notHostedLines(error, `no subnet hosts its id: ${failure.message}`) };
        case 'Http':
            return { code: ExitCode.Network, lines: network === undefined ? [`error: the network refused ${where}: ${failure.message}`] : linesOf(notAnIcNetworkAdvice(network, failure)) };
        case 'Agent':
            return { code: ExitCode.Network, lines: [`error: the network's answer to ${where} was refused (${failure.agentKind}/${failure.agentCode}): ${failure.message}`, '  is --network the network these canister ids belong to?'] };
        case 'Rejected': {
            const code = failure.errorCode ?? `reject code ${failure.rejectCode}`;
            if (failure.errorCode === CANISTER_NOT_FOUND) return { code: ExitCode.NotFound, lines: notHostedLines(error, `${code}: ${failure.message}`) };
            return { code: ExitCode.ApiError, lines: [`error: ${where} was rejected (${code}): ${failure.message}`] };
        }
    }
}

/**
 * The exit code and the lines to print on stderr for anything a command threw; `network` (when
 * the command got that far) lets network failures say where and what to do.
 */
export function exitFor(error: unknown, network?: NetworkInfo): { code: ExitCode; lines: string[] } {
    if (error instanceof CliError) return { code: KIND_EXIT[error.kind], lines: [`error: ${error.message}`, ...error.details.map((d) => `  ${d}`)] };
    if (error instanceof DeflowError) {
        return { code: error.kind === 'NotFound' ? ExitCode.NotFound : ExitCode.ApiError, lines: [`error: ${error.message}`] };
    }
    if (error instanceof DeflowCallError) return callFailureExit(error, network);
    // Anything else is a bug in the CLI: show it whole.
    return { code: ExitCode.Internal, lines: [`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`] };
}

/**
 * The `code` of a Node system or argument error (`ENOENT`, `ERR_PARSE_ARGS_UNKNOWN_OPTION`).
 * Checked structurally: such errors may come from another realm (a test VM), where
 * `instanceof Error` is false.
 */
export function nodeErrorCode(error: unknown): string | undefined {
    return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** The `message` of anything thrown, structurally. */
export function messageOf(error: unknown): string {
    return typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string' ? error.message : String(error);
}
