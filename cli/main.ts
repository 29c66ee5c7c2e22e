/**
 * `deflow`: the DeFlow command line. Parses the command line, finds the command, runs it
 * and turns any failure into a message on stderr and a meaningful exit code (see
 * {@link ./errors} for the table). `main` never calls `process.exit`, so tests run it in-process.
 *
 * @example
 * npx deflow workflow create examples/daily-compound.json
 * npx deflow run wf-1 --input '{"threshold_e8s": 100}' --watch
 */
import { checkOptions, parseCommandLine } from './args';
import { agentCommands } from './commands/agent';
import { positionCommands } from './commands/positions';
import { executionCommands } from './commands/executions';
import { scheduleCommands } from './commands/schedule';
import { systemCommands } from './commands/system';
import { workflowCommands } from './commands/workflow';
import { createContext, type Command, type CommandContext } from './context';
import { CliError, ExitCode, exitFor, isExitCode, nodeErrorCode } from './errors';
import { consoleOutput, type Output } from './output';

/** Every command, in help order. */
export const COMMANDS: readonly Command[] = [...workflowCommands, ...executionCommands, ...scheduleCommands, ...agentCommands, ...positionCommands, ...systemCommands];

/** The help text. */
export function usage(): string[] {
    const width = Math.max(...COMMANDS.map((c) => `${c.words.join(' ')} ${c.synopsis}`.length));
    return [
        'usage: deflow <command> [args] [flags]',
        '',
        'commands:',
        ...COMMANDS.map((c) => `  ${`${c.words.join(' ')} ${c.synopsis}`.padEnd(width)}  ${c.summary}`),
        '',
        'global flags:',
        '  --network local|ic|URL   where DeFlow runs (default local = http://127.0.0.1:4943; $DEFLOW_NETWORK)',
        '  --identity FILE.pem      Ed25519 or secp256k1 PEM key ($DEFLOW_IDENTITY; default ~/.config/deflow/identity.pem, created on first use)',
        '  --orchestrator/--scheduler/--monitor ID   canister ids ($DEFLOW_<ROLE>_ID; default from .deflow/deployment.json)',
        '  --deployment FILE        a deployment file written by npm start',
        '  --json                   machine-readable output',
        '',
        'exit codes: 0 ok, 1 canister error or rejected call, 2 usage or bad input, 3 network unreachable,',
        '            4 not found, 5 execution ended Failed/Cancelled (watch), 70 internal error'
    ];
}

/** The command whose words start `words`, with its arguments. */
export function findCommand(words: readonly string[]): { command: Command; args: string[] } | undefined {
    const matches = COMMANDS.filter((c) => c.words.every((w, i) => words[i] === w)).sort((a, b) => b.words.length - a.words.length);
    const command = matches[0];
    return command === undefined ? undefined : { command, args: words.slice(command.words.length) };
}

/**
 * Runs one command line; answers the exit code.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], out: Output = consoleOutput, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Promise<ExitCode> {
    let ctx: CommandContext | undefined;
    try {
        const parsed = parseCommandLine(argv);
        if (parsed.words.length === 0 || (parsed.options.help === true && findCommand(parsed.words) === undefined)) {
            for (const line of usage()) (parsed.options.help === true ? out.out : out.err)(line);
            return parsed.options.help === true ? ExitCode.Ok : ExitCode.Usage;
        }
        const found = findCommand(parsed.words);
        if (found === undefined) {
            const group = COMMANDS.filter((c) => c.words[0] === parsed.words[0]).map((c) => c.words.join(' '));
            throw new CliError('Usage', `unknown command "${parsed.words.join(' ')}"`, group.length > 0 ? [`did you mean: ${group.join(', ')}`] : ['run deflow --help for the list']);
        }
        const { command, args } = found;
        const name = command.words.join(' ');
        if (parsed.options.help === true) {
            out.out(`usage: deflow ${name} ${command.synopsis}`.trimEnd());
            out.out(`  ${command.summary}`);
            if (command.options.length > 0) out.out(`  flags: ${command.options.map((o) => `--${o}`).join(' ')}`);
            return ExitCode.Ok;
        }
        checkOptions(parsed.options, command.options, name);
        if (args.length < command.args.min || args.length > command.args.max) {
            throw new CliError('Usage', `usage: deflow ${name} ${command.synopsis}`.trimEnd());
        }
        ctx = createContext(parsed.options, out, env, cwd);
        const result: unknown = await command.run(ctx, args);
        if (result === undefined) return ExitCode.Ok;
        // A command answering anything but an exit code is a bug (a write's `true` once leaked here).
        if (!isExitCode(result)) throw new Error(`command "${name}" answered ${String(result)}, not an exit code`);
        return result;
    } catch (error) {
        const { code, lines } = exitFor(error, ctx?.resolvedNetwork());
        for (const line of lines) out.err(line);
        return code;
    }
}

/**
 * Ends the process quietly (exit 0) when the reader of its output went away (`deflow … | head`):
 * the reader chose to stop, so nothing more is written and nothing is reported. Any other
 * failure of a standard stream ends the process with the internal-error code.
 */
export function onStandardStreamError(error: unknown, exit: (code: ExitCode) => void = (code) => process.exit(code)): void {
    exit(nodeErrorCode(error) === 'EPIPE' ? ExitCode.Ok : ExitCode.Internal);
}

/**
 * The agent library writes its own diagnostics to the console (a failed subnet-key fetch prints
 * a 30-line stack); the CLI reports every failure itself through {@link exitFor}, so those are
 * shown only with `DEFLOW_DEBUG=1`. The CLI never writes through `console`.
 */
function muteLibraryConsole(): void {
    for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'group', 'groupCollapsed', 'groupEnd'] as const) {
        console[method] = () => undefined;
    }
}

/**
 * The `deflow` process (cli/bin/deflow.js): runs {@link main} on the process's arguments and
 * streams, and sets the exit code.
 */
export function runAsProcess(argv: readonly string[] = process.argv.slice(2)): void {
    process.stdout.on('error', (error) => onStandardStreamError(error));
    process.stderr.on('error', (error) => onStandardStreamError(error));
    if (process.env.DEFLOW_DEBUG !== '1') muteLibraryConsole();
    void main(argv).then((code) => {
        process.exitCode = code;
    });
}

if (require.main === module) runAsProcess();
