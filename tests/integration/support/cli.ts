/**
 * The `deflow` CLI as a user runs it: the real binary (cli/bin/deflow.js) as a child process
 * against DeFlow and the demo canisters deployed as `npm start` deploys them, served over the
 * IC HTTP interface (`pic.makeLive()`), with the state folder `npm start` writes
 * (`.deflow/deployment.json`, `.deflow/demo.json`). Each {@link CliNetwork.user} is a new
 * identity with its own config folder, so a test sees only what it made itself.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import type { PocketIc } from '@dfinity/pic';

import { loadIdentityFile } from '../../../cli/identity';
import { deployDemoCanisters, type DemoCanisters } from '../../../drill/env';
import { deployDeflow, type DeflowDeployment } from './deflow';
import { createPic } from './pic';

const ROOT = resolve(__dirname, '..', '..', '..');
/** The shipped binary. */
export const DEFLOW_BIN = join(ROOT, 'cli', 'bin', 'deflow.js');
export const EXAMPLES = join(ROOT, 'examples');

/** What one run of the binary did. */
export type CliRun = { code: number | null; stdout: string; stderr: string };

/** Options of one run: extra environment, and `closeStdout` to close the reading end at once (a reader that went away). */
export type RunOptions = { env?: NodeJS.ProcessEnv; cwd?: string; closeStdout?: boolean };

/** Runs `node cli/bin/deflow.js ARGS` to its end. */
export function runDeflow(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
    return new Promise((resolvePromise, reject) => {
        const child = spawn(process.execPath, [DEFLOW_BIN, ...args], { cwd: options.cwd ?? ROOT, env: { PATH: process.env.PATH, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        if (options.closeStdout === true) child.stdout.destroy();
        else child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
        child.on('error', reject);
        child.on('close', (code) => {
            clearTimeout(timer);
            resolvePromise({ code, stdout, stderr });
        });
    });
}

/** The JSON a successful `--json` run printed; a failed run fails the test with its stderr. */
export function jsonOf<T>(run: CliRun): T {
    if (run.code !== 0) throw new Error(`deflow exited ${String(run.code)}:\n${run.stderr}`);
    return JSON.parse(run.stdout) as T;
}

/** A CLI user: its own PEM identity and config folder. `deflow` adds `--network` and `--deployment`. */
export type CliUser = { principal: string; pem: string; dir: string; deflow(args: readonly string[], options?: RunOptions): Promise<CliRun> };

/** A deployed system the CLI talks to. */
export type CliNetwork = {
    pic: PocketIc;
    deployment: DeflowDeployment;
    demo: DemoCanisters;
    url: string;
    /** The state folder (`.deflow/`) holding deployment.json and demo.json. */
    stateDir: string;
    /** A user of its own; `admin: true` gives the deployment's admin identity instead. */
    user(options?: { admin?: boolean; pemIdentity?: boolean }): CliUser;
    tearDown(): Promise<void>;
};

function newPem(path: string): void {
    writeFileSync(path, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), { mode: 0o600 });
}

/** Deploys DeFlow (with an admin) and the demo canisters, writes the state folder, serves the HTTP interface. */
export async function startCliNetwork(): Promise<CliNetwork> {
    const root = mkdtempSync(join(tmpdir(), 'deflow-cli-'));
    const adminPem = join(root, 'admin.pem');
    newPem(adminPem);
    const pic = await createPic();
    const deployment = await deployDeflow(pic, { admins: [loadIdentityFile(adminPem).identity.getPrincipal()] });
    const demo = await deployDemoCanisters(pic);
    const stateDir = join(root, '.deflow');
    mkdirSync(stateDir);
    const text = (ids: Record<string, { toText(): string }>): Record<string, string> => Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, v.toText()]));
    writeFileSync(join(stateDir, 'deployment.json'), JSON.stringify({ peers: text(deployment.peers), controller: deployment.controller.toText() }));
    writeFileSync(join(stateDir, 'demo.json'), JSON.stringify({ price_oracle: demo.ids.oracle.toText(), backup_price_oracle: demo.ids.backupOracle.toText(), lending_position: demo.ids.lending.toText() }));
    const url = `http://127.0.0.1:${await pic.makeLive()}`;
    let users = 0;
    return {
        pic,
        deployment,
        demo,
        url,
        stateDir,
        user(options = {}) {
            const dir = join(root, `user-${++users}`);
            mkdirSync(dir);
            const pem = options.admin === true ? adminPem : join(dir, 'identity.pem');
            if (options.admin !== true) newPem(pem);
            const env: NodeJS.ProcessEnv = { HOME: dir, DEFLOW_CONFIG_DIR: join(dir, 'config'), ...(options.pemIdentity === false ? {} : { DEFLOW_IDENTITY: pem }) };
            return {
                principal: loadIdentityFile(pem).identity.getPrincipal().toText(),
                pem,
                dir,
                deflow: (args, run = {}) => runDeflow([...args, '--network', url, '--deployment', join(stateDir, 'deployment.json')], { cwd: dir, ...run, env: { ...env, ...run.env } })
            };
        },
        async tearDown() {
            await pic.stopLive();
            await pic.tearDown();
            rmSync(root, { recursive: true, force: true });
        }
    };
}
