/**
 * `npm start` as a user runs it, for end-to-end tests: `scripts/start.ts` as a child process
 * on a free port (`--port 0`) with its own state folder and CLI config folder, and the shipped
 * `icp` binary with a throw-away HOME. Waiting is on the process's own output, never a sleep.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const TSX = resolve(ROOT, 'node_modules', '.bin', 'tsx');
/** The icp-cli 1.5 binary the project ships (devDependency @icp-sdk/icp-cli-linux-x64). */
export const ICP_BINARY = resolve(ROOT, 'node_modules', '@icp-sdk', 'icp-cli-linux-x64', 'bin', 'icp');

const READY_LINE = 'Press Ctrl-C to stop.';

/** A running `npm start`. */
export type StartedNetwork = {
    url: string;
    child: ChildProcess;
    /** Everything it printed so far (stdout and stderr). */
    output: () => string;
    /** Sends SIGTERM and resolves with the exit code once it has saved and exited. */
    stop: () => Promise<number | null>;
};

export type StartFolders = { stateDir: string; configDir: string };

/** Fresh temporary folders for a network's state and the CLI identity. */
export function startFolders(): StartFolders {
    const base = mkdtempSync(join(tmpdir(), 'deflow-npm-start-'));
    return { stateDir: join(base, 'state'), configDir: join(base, 'config') };
}

function spawnStart(folders: StartFolders, extraArgs: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
    const child = spawn(TSX, ['scripts/start.ts', '--port', '0', '--state', folders.stateDir, ...extraArgs], {
        cwd: ROOT,
        env: { ...process.env, DEFLOW_CONFIG_DIR: folders.configDir, DEFLOW_SAVE_LOG: '1', DEFLOW_PORT: '' },
        stdio: ['ignore', 'pipe', 'pipe']
    });
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
    return { child, output: () => text, exited };
}

/** Starts `npm start` and resolves once it serves (its ready line), or rejects with its output. */
export async function startNetwork(folders: StartFolders, extraArgs: string[] = []): Promise<StartedNetwork> {
    const { child, output, exited } = spawnStart(folders, extraArgs);
    await new Promise<void>((resolveReady, rejectReady) => {
        const check = (): void => {
            if (output().includes(READY_LINE)) {
                child.stdout!.off('data', check);
                resolveReady();
            }
        };
        child.stdout!.on('data', check);
        void exited.then((code) => rejectReady(new Error(`npm start exited with ${code} before it was ready:\n${output()}`)));
    });
    const url = /DeFlow local network: (http:\/\/\S+)/.exec(output())?.[1];
    if (url === undefined) throw new Error(`npm start printed no URL:\n${output()}`);
    return {
        url,
        child,
        output,
        stop: async () => {
            child.kill('SIGTERM');
            return await exited;
        }
    };
}

/** Runs `npm start` expecting it to end by itself (a refused start); resolves with its code and output. */
export async function runStartToExit(folders: StartFolders): Promise<{ code: number | null; output: string }> {
    const { output, exited } = spawnStart(folders, []);
    const code = await exited;
    return { code, output: output() };
}

export type IcpResult = { status: number | null; stdout: string; stderr: string };

/** An `icp` runner with its own HOME (identities, settings) for one test file. */
export function icpRunner(): { run: (args: string[]) => IcpResult; home: string } {
    const home = mkdtempSync(join(tmpdir(), 'icp-home-'));
    const run = (args: string[]): IcpResult => {
        const result = spawnSync(ICP_BINARY, args, {
            encoding: 'utf8',
            cwd: home,
            timeout: 120_000,
            env: { ...process.env, HOME: home, ICP_NETWORK: '', DO_NOT_TRACK: '1', RUST_BACKTRACE: '0' }
        });
        return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    return { run, home };
}
