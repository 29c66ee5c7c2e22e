/**
 * Builds the Azle canisters declared in a dfx.json, skipping any whose inputs did not change.
 *
 * Usage: `tsx scripts/build-canisters.ts [--project DIR] [NAME...]`, or `--all` for every
 * dfx.json tracked by git (the product canisters, test fixtures, examples).
 *
 * A canister's inputs are the files its bundle is made of (its entry point and every file it
 * imports by relative path), the lockfile and the installed Azle version. Their
 * hash is stored beside the wasm (`.azle/<name>/inputs.sha256`); a matching hash means the
 * wasm and the Candid file are already current.
 *
 * Every built wasm carries its Candid interface as the custom section
 * `icp:public candid:service` (added here, see wasm-metadata.ts), which the IC serves as
 * canister metadata so clients show field names.
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

import { buildSync } from 'esbuild';

import { withCustomSection } from './wasm-metadata';

/** The project's own Azle; `azle/package.json` is not an export of the package. */
const azleDir = resolve(__dirname, '..', 'node_modules', 'azle');
/** Bundled packages (zod, cron-parser, …) are pinned here: a change rebuilds every canister. */
const lockfile = resolve(__dirname, '..', 'package-lock.json');

type CanisterEntry = { main: string; candid: string };

/**
 * The project files a canister's bundle is made of: its entry point and everything it
 * imports by relative path, found with esbuild (packages stay external; their versions are
 * covered by the lockfile).
 */
function sourceFiles(projectDir: string, entry: CanisterEntry): string[] {
    const result = buildSync({
        entryPoints: [resolve(projectDir, entry.main)],
        absWorkingDir: projectDir,
        bundle: true,
        write: false,
        metafile: true,
        packages: 'external',
        platform: 'neutral',
        format: 'esm',
        logLevel: 'silent'
    });
    return Object.keys(result.metafile.inputs).map((file) => resolve(projectDir, file)).sort();
}

function inputsHash(projectDir: string, entry: CanisterEntry): string {
    const hash = createHash('sha256');
    const azleVersion = JSON.parse(readFileSync(join(azleDir, 'package.json'), 'utf8')).version;
    hash.update(`azle@${azleVersion}\n`);
    hash.update(readFileSync(lockfile));
    for (const file of sourceFiles(projectDir, entry)) {
        hash.update(`${relative(projectDir, file)}\n`);
        hash.update(readFileSync(file));
    }
    return hash.digest('hex');
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
    return new Promise((resolvePromise, reject) => {
        const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
        child.on('error', reject);
        child.on('exit', (code) =>
            code === 0 ? resolvePromise() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))
        );
    });
}

/** Builds the named canisters of `projectDir` (all when `names` is empty); returns those rebuilt. */
export async function buildCanisters(projectDir: string, names: string[] = []): Promise<string[]> {
    const dfxJson = JSON.parse(readFileSync(join(projectDir, 'dfx.json'), 'utf8')) as {
        canisters: Record<string, CanisterEntry>;
    };
    const wanted = names.length > 0 ? names : Object.keys(dfxJson.canisters);
    const azleBin = join(azleDir, 'src', 'build.ts');
    const tsxBin = require.resolve('tsx/cli');
    const stale = wanted.filter((name) => {
        const entry = dfxJson.canisters[name];
        if (entry === undefined) throw new Error(`no canister named "${name}" in ${projectDir}/dfx.json`);
        const stamp = join(projectDir, '.azle', name, 'inputs.sha256');
        const wasm = join(projectDir, '.azle', name, `${name}.wasm`);
        return !(existsSync(wasm) && existsSync(stamp) &&
            readFileSync(stamp, 'utf8') === inputsHash(projectDir, entry));
    });
    // Two builds at a time: each azle build is mostly single-threaded and CI has two cores.
    const queue = [...stale];
    const worker = async (): Promise<void> => {
        for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
            const entry = dfxJson.canisters[name]!;
            const started = Date.now();
            await run(process.execPath, [tsxBin, azleBin, 'build', name], projectDir, {
                ...process.env,
                CANISTER_CANDID_PATH: resolve(projectDir, entry.candid)
            });
            writeFileSync(join(projectDir, '.azle', name, 'inputs.sha256'), inputsHash(projectDir, entry));
            console.log(`built ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        }
    };
    await Promise.all([worker(), worker()]);
    // Also for builds made before the metadata step existed (idempotent, no rebuild needed).
    for (const name of wanted) addCandidMetadata(projectDir, name, dfxJson.canisters[name]!);
    return stale;
}

/** Puts the canister's `.did` into its wasm as `icp:public candid:service`, when not there yet. */
function addCandidMetadata(projectDir: string, name: string, entry: CanisterEntry): void {
    const wasmPath = join(projectDir, '.azle', name, `${name}.wasm`);
    const candidPath = resolve(projectDir, entry.candid);
    if (!existsSync(wasmPath) || !existsSync(candidPath)) return;
    const wasm = new Uint8Array(readFileSync(wasmPath));
    const updated = withCustomSection(wasm, 'icp:public candid:service', new Uint8Array(readFileSync(candidPath)));
    if (updated !== wasm) writeFileSync(wasmPath, updated);
}

/** Every folder with a dfx.json that git tracks, the project root first. */
export function trackedProjects(root: string): string[] {
    const listed = execFileSync('git', ['ls-files', '--', 'dfx.json', '*/dfx.json'], { cwd: root, encoding: 'utf8' });
    return listed
        .split('\n')
        .filter((line) => line.endsWith('dfx.json'))
        .map((file) => resolve(root, dirname(file)))
        .sort((a, b) => a.length - b.length);
}

async function main(args: string[]): Promise<void> {
    const root = resolve(__dirname, '..');
    const projectIndex = args.indexOf('--project');
    const projects = args.includes('--all')
        ? trackedProjects(root)
        : [resolve(projectIndex >= 0 ? args.splice(projectIndex, 2)[1]! : '.')];
    const names = args.filter((arg) => arg !== '--all');
    for (const projectDir of projects) {
        const built = await buildCanisters(projectDir, names);
        if (built.length === 0) console.log(`canisters of ${relative(root, projectDir) || '.'} are up to date`);
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
    });
}
