/**
 * What the shipped `icp` binary (icp-cli 1.5) can check of icp.yaml's `ic` environment
 * without reaching the IC (this machine cannot): that icp loads the project with it, resolves
 * it to the mainnet (`https://icp-api.io`, the mainnet root key), lists the four canisters in
 * it and builds them from `npm run build`'s wasm. Creating and installing them there
 * (`icp deploy -e ic`, `npm run icp:deploy -- -e ic`) needs the IC and is not tested: offline,
 * `icp deploy -e ic` builds, then fails at its first network call (the IC's CMC
 * `get_default_subnets`, to pick a subnet), which this test shows too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { parse } from 'yaml';

import { ICP_BINARY } from '../support/npm-start';

jest.setTimeout(180_000);

const ROOT = resolve(__dirname, '..', '..', '..');
const ROLES = ['orchestrator', 'scheduler', 'executor', 'monitor'];

describe('icp.yaml > the ic environment, offline', () => {
    const home = mkdtempSync(join(tmpdir(), 'icp-home-'));
    /** The project's icp.yaml and built wasm, with the unwired init argument npm run icp:deploy starts from. */
    const project = mkdtempSync(join(tmpdir(), 'deflow-icp-ic-'));
    // Not icpRunner's: its ICP_NETWORK='' counts as a --network that `-e` conflicts with.
    const inProject = (args: string[]): { status: number | null; stdout: string; stderr: string } =>
        spawnSync(ICP_BINARY, [...args, '--project-root-override', project], { encoding: 'utf8', cwd: home, timeout: 120_000, env: { ...process.env, HOME: home, DO_NOT_TRACK: '1', RUST_BACKTRACE: '0' } });

    beforeAll(() => {
        writeFileSync(join(project, 'icp.yaml'), readFileSync(join(ROOT, 'icp.yaml'), 'utf8'));
        symlinkSync(join(ROOT, '.azle'), join(project, '.azle'));
        mkdirSync(join(project, '.icp-deflow'));
        writeFileSync(join(project, '.icp-deflow', 'init-arg.did'), '(null)\n');
    });

    (existsSync(ICP_BINARY) ? it : it.skip)('lists the ic environment, resolved to the mainnet with its root key, holding the four canisters', () => {
        const environments = inProject(['environment', 'list']);
        expect(environments.status === 0 ? environments.stdout.split('\n').filter(Boolean).sort() : environments.stderr).toEqual(['deflow-local', 'ic', 'local']);
        const shown = inProject(['project', 'show']);
        expect(shown.status === 0 ? 'ok' : shown.stderr).toBe('ok');
        // icp tags some values (`!Text`, `!Fixed`), which YAML warns about; their content is what matters here.
        const effective = parse(shown.stdout, { logLevel: 'error' }) as { environments: Record<string, { network: { name: string; configuration: Record<string, string> }; canisters: Record<string, unknown> }> };
        const ic = effective.environments['ic']!;
        expect(ic.network).toMatchObject({ name: 'ic', configuration: { mode: 'connected', 'api-url': 'https://icp-api.io/', 'root-key': 'mainnet' } });
        expect(Object.keys(ic.canisters).sort()).toEqual([...ROLES].sort());
        const listed = inProject(['canister', 'list', '-e', 'ic']);
        expect(listed.status === 0 ? listed.stdout.split('\n').filter(Boolean) : listed.stderr).toEqual(ROLES);
    });

    (existsSync(ICP_BINARY) ? it : it.skip)('builds the four canisters for ic from the pre-built wasm; no ids are recorded for ic yet', () => {
        const built = inProject(['build', '-e', 'ic']);
        expect(built.status === 0 ? built.stdout + built.stderr : built.stderr).toContain('Canisters built successfully');
        for (const role of ROLES) {
            const artifact = readFileSync(join(project, '.icp', 'cache', 'artifacts', role));
            expect(artifact.equals(readFileSync(join(ROOT, '.azle', role, `${role}.wasm`)))).toBe(true);
        }
        const id = inProject(['canister', 'status', 'orchestrator', '-e', 'ic', '--id-only']);
        expect(id.status).not.toBe(0);
        expect(id.stderr).toContain("could not find ID for canister 'orchestrator' in environment 'ic'");
    });

    (existsSync(ICP_BINARY) ? it : it.skip)('gets icp deploy -e ic through the build to its first call to the IC, where offline it stops', () => {
        const deploy = inProject(['deploy', '-e', 'ic']);
        expect(deploy.status).not.toBe(0);
        expect(deploy.stdout + deploy.stderr).toContain('Creating canisters');
        // Its first request to the IC is a query or a read_state, whichever of icp's lookups fires first.
        expect(deploy.stderr).toMatch(/failed to resolve subnet: .*icp-api\.io\/api\/v3\/canister\/rkp4c-7iaaa-aaaaa-aaaca-cai\/(query|read_state)/s);
    });
});
