/**
 * A deflow-localnet server process of its own, started with extra flags (the run's shared
 * server is started by the global setup without any), and stopped with SIGTERM.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(__dirname, '..', '..', '..', 'localnet', 'bin', 'deflow-localnet.js');

export type ServerProcess = { url: string; stop(): Promise<void> };

export async function startServerProcess(flags: string[]): Promise<ServerProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'deflow-localnet-flags-'));
    const portFile = join(dir, 'port');
    const child = spawn(BIN, ['--port-file', portFile, ...flags], { stdio: ['ignore', 'ignore', 'inherit'] });
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    const deadline = Date.now() + 30_000;
    for (;;) {
        const port = existsSync(portFile) ? parseInt(readFileSync(portFile, 'utf8')) : NaN;
        if (!isNaN(port)) {
            return {
                url: `http://127.0.0.1:${port}`,
                stop: async () => {
                    child.kill('SIGTERM');
                    await exited;
                    rmSync(dir, { recursive: true, force: true });
                }
            };
        }
        if (child.exitCode !== null || Date.now() > deadline) {
            child.kill('SIGTERM');
            rmSync(dir, { recursive: true, force: true });
            throw new Error(`the server did not start with ${flags.join(' ')}`);
        }
        await new Promise((done) => setTimeout(done, 50));
    }
}
