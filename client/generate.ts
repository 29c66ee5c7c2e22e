/**
 * `npm run generate`: TypeScript bindings from each canister's Candid file
 * (`canisters/<name>/<name>.did`, written by the Azle build) into `client/declarations/`, with
 * `@icp-sdk/bindgen`. The generated files are committed and never edited by hand; a unit test
 * (`client/declarations.test.ts`) checks that they describe the same service as the IDL
 * factories in `shared/`, so a canister whose API changed without regenerating is caught.
 *
 * They are for consumers that use `@icp-sdk/core` (frontends generated with icp-cli/dfx
 * tooling); the client in this folder types its actors from `shared/` directly.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The canisters whose bindings are generated. */
export const GENERATED_CANISTERS = ['orchestrator', 'scheduler', 'executor', 'monitor'] as const;

const ROOT = resolve(__dirname, '..');
const BINDGEN = join(ROOT, 'node_modules', '.bin', 'icp-bindgen');

function generate(): void {
    const outDir = join(ROOT, 'client', 'declarations');
    rmSync(outDir, { recursive: true, force: true });
    for (const name of GENERATED_CANISTERS) {
        const did = join(ROOT, 'canisters', name, `${name}.did`);
        if (!existsSync(did)) throw new Error(`${did} is missing: run npm run build first`);
        const result = spawnSync(BINDGEN, ['--did-file', did, '--out-dir', outDir, '--actor-disabled', '--declarations-typescript', '--declarations-flat', '--force'], { stdio: 'inherit' });
        if (result.status !== 0) throw new Error(`icp-bindgen failed for ${name} (exit ${String(result.status)})`);
    }
}

if (require.main === module) {
    try {
        generate();
    } catch (error) {
        console.error(`npm run generate failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
    }
}
