/**
 * The server process as @dfinity/pic starts it: the bin spawned without a shell, with
 * `--port-file` (docs/localnet.md, "Process contract"). An integration spec: it spawns server processes, which the
 * unit project never does.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(__dirname, '../bin/deflow-localnet.js');

jest.setTimeout(30_000);

let dir: string;
beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'deflow-localnet-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Exit = { code: number | null; signal: NodeJS.Signals | null; stdout: string };

function start(args: string[]): { child: ChildProcess; exit: Promise<Exit> } {
    const child = spawn(BIN, args);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.resume();
    const exit = new Promise<Exit>((done) => child.on('exit', (code, signal) => done({ code, signal, stdout })));
    return { child, exit };
}

/** Polls the port file as pic-js does: missing or not yet a number means "not ready". */
async function waitForPort(portFile: string): Promise<number> {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
        const port = existsSync(portFile) ? parseInt(readFileSync(portFile, 'utf8')) : NaN;
        if (!isNaN(port)) return port;
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('port file never appeared');
}

it('prints the PocketIC version', async () => {
    const { exit } = start(['--version']);
    const result = await exit;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('pocket-ic-server 14.0.0\n');
});

it('writes its port to the port file, answers /status, and removes the file on SIGTERM', async () => {
    const portFile = join(dir, 'pocket_ic_1.port');
    const { child, exit } = start(['--port-file', portFile]);
    const port = await waitForPort(portFile);
    expect(readFileSync(portFile, 'utf8')).toBe(`${port}\n`);
    expect((await fetch(`http://127.0.0.1:${port}/status`)).status).toBe(200);

    child.kill('SIGTERM');
    expect((await exit).code).toBe(0);
    expect(existsSync(portFile)).toBe(false);
});

it('exits 0 at once, leaving the file alone, when the port file already exists', async () => {
    const portFile = join(dir, 'pocket_ic_2.port');
    writeFileSync(portFile, '12345\n');
    const { exit } = start(['--port-file', portFile, '--ttl', '5']);
    expect((await exit).code).toBe(0);
    expect(readFileSync(portFile, 'utf8')).toBe('12345\n');
});

it('shuts down after the idle TTL and removes the port file', async () => {
    const portFile = join(dir, 'pocket_ic_3.port');
    const { exit } = start(['--port-file', portFile, '--ttl', '1']);
    await waitForPort(portFile);
    expect((await exit).code).toBe(0);
    expect(existsSync(portFile)).toBe(false);
});

it('rejects unknown arguments with exit code 2', async () => {
    const { exit } = start(['--no-such-flag']);
    expect((await exit).code).toBe(2);
});
