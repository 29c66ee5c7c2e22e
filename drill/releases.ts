/**
 * Builds an earlier release of a canister from the git history, for drills that upgrade from
 * it (the schema migration drill installs the scheduler as it was before schema v2, lets it
 * write v1 records, then upgrades to the current code).
 *
 * Why from git rather than a v1 writer kept in the canister or records forged with
 * `setStableMemory`: the old release's own code writes the old records, exactly as on a real
 * subnet, and the current canister carries no test-only entry points. The release's source is
 * exported with `git archive` into `node_modules/.cache/deflow-releases/<commit>/` (inside the
 * project, so the bundler finds the project's node_modules; outside git's view) and built with
 * the project's incremental Azle build, so later runs reuse the wasm.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { buildCanisters } from '../scripts/build-canisters';

const PROJECT_ROOT = resolve(__dirname, '..');
const CACHE = join(PROJECT_ROOT, 'node_modules', '.cache', 'deflow-releases');

/**
 * The last commit whose scheduler stores schedules in schema v1 (no `last_fired_at`).
 * Pinned: the migration drill must keep upgrading from exactly this release.
 */
export const SCHEDULER_V1_RELEASE = '6061d986a81916dd145f0a2409384beb8800888b';

/**
 * The last commit whose orchestrator and executor keep no indexes (they scan their record
 * maps): the index rebuild test upgrades from exactly this release.
 */
export const PRE_INDEX_RELEASE = '55bab173ebc70febb50d9bbd9382e78dcec4a5ef';

/** What a release build needs from the tree: the project file, contracts, toolkit and the canister. */
const RELEASE_PATHS = ['dfx.json', 'tsconfig.json', 'shared', 'canisters/common', 'canisters/tsconfig.json'];

/**
 * The wasm of canister `name` as built from `commit` (built on first use, then cached).
 *
 * @example
 * const v1 = await releaseWasm(SCHEDULER_V1_RELEASE, 'scheduler');
 */
export async function releaseWasm(commit: string, name: string): Promise<Uint8Array> {
    const dir = join(CACHE, commit);
    const wasm = join(dir, '.azle', name, `${name}.wasm`);
    const dfx = JSON.parse(execFileSync('git', ['show', `${commit}:dfx.json`], { cwd: PROJECT_ROOT, encoding: 'utf8' })) as { canisters: Record<string, { main: string }> };
    const entry = dfx.canisters[name];
    if (entry === undefined) throw new Error(`release ${commit} has no canister ${name}`);
    const canisterDir = entry.main.split('/').slice(0, -2).join('/');
    // Each canister of a release is exported on first use (several may share the cache folder).
    if (!existsSync(join(dir, canisterDir))) {
        mkdirSync(dir, { recursive: true });
        const archive = execFileSync('git', ['archive', '--format=tar', commit, ...RELEASE_PATHS, canisterDir], { cwd: PROJECT_ROOT, maxBuffer: 64 * 1024 * 1024 });
        execFileSync('tar', ['-x', '-C', dir], { input: archive });
    }
    await buildCanisters(dir, [name]);
    return new Uint8Array(readFileSync(wasm));
}
