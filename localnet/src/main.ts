/**
 * `deflow-localnet`: a PocketIC-compatible server process, started by @dfinity/pic exactly as
 * it starts the real `pocket-ic` binary (`--port-file <tmp>/pocket_ic_<ppid>.port [--ttl N]`).
 * Process contract: docs/localnet.md, "Process contract".
 */
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { parseInstructionLimits, type InstructionLimits } from './engine/instruction-limits';
import { blobStore } from './server/blob-store';
import { RunningServer, startHttpServer } from './server/http-server';
import { errorLog, serverLog, setRequestLogging } from './server/log';
import { InstanceFactory, InstanceRegistry } from './server/registry';

/** The real server's version line; clients may check it. */
const VERSION_LINE = 'pocket-ic-server 14.0.0';
const DEFAULT_TTL_SECONDS = 60;
const TTL_CHECK_INTERVAL_MS = 1_000;

const USAGE = `Usage: deflow-localnet [options]

A PocketIC-compatible server (REST API of pocket-ic-server 14) for @dfinity/pic.

Options:
  --port-file PATH  create PATH exclusively and write the bound port to it; if PATH already
                    exists another server is running: exit 0 at once
  --port N          port to listen on (default 0: any free port)
  --ip ADDR         address to listen on (default 127.0.0.1)
  --ttl SECONDS     exit after this long without requests (default ${DEFAULT_TTL_SECONDS})
  --log             log every request to stdout
  --instruction-limits SPEC
                    instruction limits for every subnet: "benchmarking" (PocketIC's
                    benchmarking limits) or name=N pairs, e.g. message=1000000000,query=500000
                    (names: message, query, install, inspect, round, slice, messageWithoutDts)
  --version         print the version and exit
  --help            print this help and exit
`;

type Options = {
    portFile: string | undefined;
    port: number;
    ip: string;
    ttlSeconds: number;
    log: boolean;
    instructionLimits: Partial<InstructionLimits> | undefined;
};

/** Command-line parsing failed; reported with the usage text and exit code 2 (as clap does). */
class UsageError extends Error {}

function parseArgs(args: string[]): Options | 'version' | 'help' {
    const options: Options = { portFile: undefined, port: 0, ip: '127.0.0.1', ttlSeconds: DEFAULT_TTL_SECONDS, log: false, instructionLimits: undefined };
    for (let i = 0; i < args.length; i++) {
        // Accept both `--flag value` and `--flag=value`.
        const [flag, inline] = args[i].startsWith('--') && args[i].includes('=') ? [args[i].slice(0, args[i].indexOf('=')), args[i].slice(args[i].indexOf('=') + 1)] : [args[i], undefined];
        const value = (): string => {
            const next = inline ?? args[++i];
            if (next === undefined) throw new UsageError(`${flag} needs a value`);
            return next;
        };
        switch (flag) {
            case '--version':
            case '-V':
                return 'version';
            case '--help':
            case '-h':
                return 'help';
            case '--port-file':
                options.portFile = value();
                break;
            case '--port':
                options.port = unsignedInteger(flag, value(), 65_535);
                break;
            case '--ip':
                options.ip = value();
                break;
            case '--ttl':
                options.ttlSeconds = unsignedInteger(flag, value(), Number.MAX_SAFE_INTEGER);
                break;
            case '--log':
                options.log = true;
                break;
            case '--instruction-limits':
                try {
                    options.instructionLimits = parseInstructionLimits(value());
                } catch (error) {
                    throw new UsageError(`${flag}: ${error instanceof Error ? error.message : String(error)}`);
                }
                break;
            default:
                throw new UsageError(`unknown argument ${args[i]}`);
        }
    }
    return options;
}

function unsignedInteger(flag: string, text: string, max: number): number {
    const value = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value > max) throw new UsageError(`${flag} needs an integer from 0 to ${max}, got ${text}`);
    return value;
}

/**
 * The engine is required on first instance creation, not at startup: if it fails to load, the
 * client gets that error as a reply, instead of a process that dies before writing its port
 * file (pic-js hides stderr by default and would only report a 90 s timeout).
 */
function loadEngine(instructionLimits: Partial<InstructionLimits> | undefined): InstanceFactory {
    const engine: typeof import('./instance') = require('./instance');
    return (config) => engine.createInstance(config, instructionLimits === undefined ? {} : { instructionLimits });
}

/** Creates the port file exclusively; `undefined` means it exists (another server owns it). */
function claimPortFile(path: string): number | undefined {
    try {
        return openSync(path, 'wx');
    } catch (error) {
        if (error instanceof Error && 'code' in error && error.code === 'EEXIST') return undefined;
        throw error;
    }
}

function removePortFile(path: string): void {
    try {
        unlinkSync(path);
    } catch (error) {
        if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) errorLog(`could not delete the port file ${path}: ${String(error)}`);
    }
}

async function run(options: Options): Promise<void> {
    setRequestLogging(options.log);
    const portFd = options.portFile === undefined ? undefined : claimPortFile(options.portFile);
    if (options.portFile !== undefined && portFd === undefined) {
        // Another server from the same test driver is running; the client will use its port.
        process.exit(0);
    }

    const registry = new InstanceRegistry(() => loadEngine(options.instructionLimits));
    let server: RunningServer;
    try {
        server = await startHttpServer({ host: options.ip, port: options.port, context: { registry, blobs: blobStore } });
    } catch (error) {
        errorLog(`cannot listen on ${options.ip}:${options.port}: ${error instanceof Error ? error.message : String(error)}`);
        if (options.portFile !== undefined) removePortFile(options.portFile);
        process.exit(1);
    }

    if (portFd !== undefined) {
        writeSync(portFd, `${server.port}\n`);
        closeSync(portFd);
    }
    serverLog(`deflow-localnet (${VERSION_LINE}) listening on http://${options.ip}:${server.port}`);

    let stopping = false;
    const shutdown = async (reason: string): Promise<void> => {
        if (stopping) return;
        stopping = true;
        serverLog(`shutting down: ${reason}`);
        clearInterval(ttlTimer);
        await server.close();
        registry.disposeAll();
        blobStore.clear();
        if (options.portFile !== undefined) removePortFile(options.portFile);
        process.exit(0);
    };

    const ttlMs = options.ttlSeconds * 1000;
    const ttlTimer = setInterval(() => {
        if (server.idleMs() >= ttlMs) void shutdown(`idle for ${options.ttlSeconds} s`);
    }, Math.min(TTL_CHECK_INTERVAL_MS, Math.max(ttlMs, 100)));
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Entry point: parses `argv` (without node and script) and runs the server. */
export function main(args: string[]): void {
    // A bug in one request must not take down a server that other test files share.
    process.on('uncaughtException', (error) => errorLog(`uncaught exception: ${error.stack ?? error.message}`));
    process.on('unhandledRejection', (reason) => errorLog(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));

    let parsed: ReturnType<typeof parseArgs>;
    try {
        parsed = parseArgs(args);
    } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`error: ${error.message}\n\n${USAGE}`);
        process.exit(2);
    }
    if (parsed === 'version') {
        process.stdout.write(`${VERSION_LINE}\n`);
        return;
    }
    if (parsed === 'help') {
        process.stdout.write(USAGE);
        return;
    }
    void run(parsed).catch((error: unknown) => {
        errorLog(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        process.exit(1);
    });
}

if (require.main === module) main(process.argv.slice(2));
