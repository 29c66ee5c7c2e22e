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
import { DeflowCallError, DeflowError } from '../client/errors';

/** Exit codes of the `deflow` command. */
export const ExitCode = { Ok: 0, ApiError: 1, Usage: 2, Network: 3, NotFound: 4, ExecutionUnsuccessful: 5, Internal: 70 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

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

/** IC error code of a call to a canister id that does not exist. */
const CANISTER_NOT_FOUND = 'IC0301';

/** The exit code and the lines to print on stderr for anything a command threw. */
export function exitFor(error: unknown): { code: ExitCode; lines: string[] } {
    if (error instanceof CliError) return { code: KIND_EXIT[error.kind], lines: [`error: ${error.message}`, ...error.details.map((d) => `  ${d}`)] };
    if (error instanceof DeflowError) {
        return { code: error.kind === 'NotFound' ? ExitCode.NotFound : ExitCode.ApiError, lines: [`error: ${error.message}`] };
    }
    if (error instanceof DeflowCallError) {
        const failure = error.failure;
        switch (failure.kind) {
            case 'Unreachable':
                return { code: ExitCode.Network, lines: [`error: cannot reach the network (${error.canister}.${error.method}): ${failure.message}`, '  check --network and that the network is running (npm start)'] };
            case 'CanisterNotHosted':
                return { code: ExitCode.NotFound, lines: [`error: the ${error.canister} canister does not exist on this network (no subnet hosts its id)`, '  check the canister ids (--orchestrator/--scheduler/--monitor or .deflow/deployment.json)'] };
            case 'Http': {
                // The IC answers 400 with the error code IC0301 for a canister id with no canister.
                if (failure.body.includes(CANISTER_NOT_FOUND) || failure.status === 404) {
                    return { code: ExitCode.NotFound, lines: [`error: the ${error.canister} canister does not exist on this network (${failure.message})`, '  check the canister ids (--orchestrator/--scheduler/--monitor or .deflow/deployment.json)'] };
                }
                return { code: ExitCode.Network, lines: [`error: the network refused ${error.canister}.${error.method}: ${failure.message}`] };
            }
            case 'Agent':
                return { code: ExitCode.Network, lines: [`error: the network's answer was refused (${failure.agentKind}/${failure.agentCode}): ${failure.message}`] };
            case 'Rejected': {
                const where = `${error.canister}.${error.method}`;
                const code = failure.errorCode === undefined ? `reject code ${failure.rejectCode}` : failure.errorCode;
                if (failure.errorCode === CANISTER_NOT_FOUND) {
                    return { code: ExitCode.NotFound, lines: [`error: the ${error.canister} canister does not exist on this network (${code}): ${failure.message}`, '  check the canister ids (--orchestrator/--scheduler/--monitor or .deflow/deployment.json)'] };
                }
                return { code: ExitCode.ApiError, lines: [`error: ${where} was rejected (${code}): ${failure.message}`] };
            }
        }
    }
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
