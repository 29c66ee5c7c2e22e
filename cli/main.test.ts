import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { Principal } from '@dfinity/principal';

import { DeflowCallError, DeflowError } from '../client/errors';
import { ExitCode, exitFor } from './errors';
import { readScripts } from './commands/system';
import { main, onStandardStreamError } from './main';
import type { Output } from './output';

jest.setTimeout(30_000);

const EXAMPLES = resolve(__dirname, '..', 'examples');
const IDS = ['--orchestrator', 'rrkah-fqaaa-aaaaa-aaaaq-cai', '--scheduler', 'ryjl3-tyaaa-aaaaa-aaaba-cai', '--monitor', 'r7inp-6aaaa-aaaaa-aaabq-cai'];

describe('CLI > dispatch and exit codes (no network)', () => {
    let dir: string;
    let env: NodeJS.ProcessEnv;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'deflow-main-'));
        env = { DEFLOW_CONFIG_DIR: join(dir, 'config') };
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
        const out: string[] = [];
        const err: string[] = [];
        const output: Output = { out: (l) => out.push(l), err: (l) => err.push(l) };
        const code = await main(argv, output, env, dir);
        return { code, out, err };
    }

    it('prints help with exit 0, and usage with exit 2 when no command is given', async () => {
        const help = await run('--help');
        expect(help.code).toBe(ExitCode.Ok);
        expect(help.out.join('\n')).toContain('workflow create');
        expect((await run()).code).toBe(ExitCode.Usage);
    });

    it('refuses unknown commands, unknown flags and wrong argument counts with exit 2', async () => {
        const unknown = await run('workflow', 'frob');
        expect(unknown.code).toBe(ExitCode.Usage);
        expect(unknown.err[0]).toBe('error: unknown command "workflow frob"');
        expect((await run('health', '--bogus')).code).toBe(ExitCode.Usage);
        expect((await run('run', '--cron', '* * * * *', 'wf-1')).code).toBe(ExitCode.Usage);
        expect((await run('workflow', 'show')).code).toBe(ExitCode.Usage);
    });

    it('validates example files offline', async () => {
        const ok = await run('workflow', 'validate', join(EXAMPLES, 'hello-deflow.yaml'));
        expect(ok.code).toBe(ExitCode.Ok);
        expect(ok.out[0]).toMatch(/valid \(5 nodes\)$/);
    });

    it('refuses a broken workflow file with exit 2 and one line per offending field, before any network call', async () => {
        const file = join(dir, 'broken.json');
        writeFileSync(file, JSON.stringify({ name: 'x', nodes: [{ id: 'a', config: { kind: 'Delay', durationMs: 1 } }, { id: 'b', config: { kind: 'Call', canister: 'aaaaa-aa', method: '', args: { kind: 'Raw', bytes: '' }, reply: { kind: 'Raw' } } }] }, null, 2));
        const r = await run('workflow', 'create', file, '--network', 'http://127.0.0.1:4979', ...IDS);
        expect(r.code).toBe(ExitCode.Usage);
        expect(r.err[0]).toBe(`error: ${file} is not a valid workflow (1 problem)`);
        expect(r.err[1]).toMatch(/^ {2}nodes\[1\]\.config\.method \(line \d+\): /);
        const missing = await run('workflow', 'create', join(dir, 'nope.json'));
        expect(missing.code).toBe(ExitCode.Usage);
        expect(missing.err[0]).toContain('ENOENT');
    });

    it('refuses bad --input JSON and a bad --network with exit 2', async () => {
        expect((await run('run', 'wf-1', '--input', '{oops', ...IDS)).code).toBe(ExitCode.Usage);
        const net = await run('health', '--network', 'ftp://example.org', ...IDS);
        expect(net.code).toBe(ExitCode.Usage);
        expect(net.err[0]).toContain('--network');
    });

    it('says where canister ids come from when none are known (exit 2)', async () => {
        const r = await run('workflow', 'list');
        expect(r.code).toBe(ExitCode.Usage);
        expect(r.err[0]).toBe('error: no canister id for orchestrator, scheduler, monitor');
        expect(r.err[1]).toContain('npm start');
    });

    it('reads canister ids from .deflow/deployment.json in a parent folder', async () => {
        const { mkdirSync } = await import('node:fs');
        mkdirSync(join(dir, '.deflow'));
        writeFileSync(join(dir, '.deflow', 'deployment.json'), JSON.stringify({ peers: { orchestrator: 'rrkah-fqaaa-aaaaa-aaaaq-cai', scheduler: 'ryjl3-tyaaa-aaaaa-aaaba-cai', executor: 'r7inp-6aaaa-aaaaa-aaabq-cai', monitor: 'r7inp-6aaaa-aaaaa-aaabq-cai' }, controller: '2vxsx-fae' }));
        mkdirSync(join(dir, 'sub'));
        const out: string[] = [];
        const err: string[] = [];
        // `local` on a port where nothing listens: the ids come from the file, the network fails.
        const code = await main(['workflow', 'list'], { out: (l) => out.push(l), err: (l) => err.push(l) }, { ...env, DEFLOW_PORT: '4979' }, join(dir, 'sub'));
        expect(code).toBe(ExitCode.Network);
        expect(err.join('\n')).toContain('nothing answers at http://127.0.0.1:4979 (connection refused)');
    });

    it('reports an unreachable network with exit 3', async () => {
        const r = await run('health', '--network', 'http://127.0.0.1:4979', ...IDS);
        expect(r.code).toBe(ExitCode.Network);
        expect(r.err.join('\n')).toContain('nothing answers at http://127.0.0.1:4979');
    });

    it('says the drill is not available yet (exit 2) while the project has no drill script', async () => {
        // `deflow drill` delegates to `npm run drill` when the project's package.json has it.
        if (readScripts().drill !== undefined) return;
        const r = await run('drill');
        expect(r.code).toBe(ExitCode.Usage);
        expect(r.err[0]).toContain('not available yet');
    });

    it('finds the drill script in a package.json', () => {
        const file = join(dir, 'package.json');
        writeFileSync(file, JSON.stringify({ scripts: { drill: 'tsx scripts/drill.ts' } }));
        expect(readScripts(file).drill).toBe('tsx scripts/drill.ts');
        expect(readScripts(join(dir, 'missing.json'))).toEqual({});
    });

    it('prints the caller principal and creates the default identity on first use', async () => {
        const r = await run('whoami', '--json');
        expect(r.code).toBe(ExitCode.Ok);
        expect(JSON.parse(r.out.join('\n'))).toMatchObject({ keyType: 'Ed25519', source: join(dir, 'config', 'identity.pem') });
        expect(r.err[0]).toMatch(/^created a new identity /);
    });
});

describe('CLI > exit codes of client errors', () => {
    it.each<[string, unknown, number]>([
        ['NotFound variant', new DeflowError('orchestrator', 'get_workflow', { NotFound: { entity: 'workflow', id: 'wf-9' } }), ExitCode.NotFound],
        ['Unauthorized variant', new DeflowError('monitor', 'enable_emergency_mode', { Unauthorized: { caller: Principal.anonymous() } }), ExitCode.ApiError],
        ['InvalidInput variant', new DeflowError('orchestrator', 'create_workflow', { InvalidInput: { field: 'nodes.0.id', message: 'bad' } }), ExitCode.ApiError],
        ['canister that does not exist', new DeflowCallError('orchestrator', 'list_workflows', { kind: 'Rejected', rejectCode: 3, errorCode: 'IC0301', message: 'no such canister' }), ExitCode.NotFound],
        ['method that does not exist', new DeflowCallError('monitor', 'get_system_health', { kind: 'Rejected', rejectCode: 3, errorCode: 'IC0536', message: 'no method' }), ExitCode.ApiError],
        ['unreachable network', new DeflowCallError('orchestrator', 'list_workflows', { kind: 'Unreachable', cause: 'ConnectionRefused', systemCode: 'ECONNREFUSED', message: 'fetch failed' }), ExitCode.Network],
        ['refused certificate', new DeflowCallError('orchestrator', 'list_workflows', { kind: 'Agent', agentKind: 'Trust', agentCode: 'CertificateVerificationErrorCode', message: 'bad signature' }), ExitCode.Network],
        ['a bug', new RangeError('oops'), ExitCode.Internal]
    ])('%s', (_what, error, code) => {
        expect(exitFor(error).code).toBe(code);
    });

    it('names the field of an InvalidInput answer in the message', () => {
        expect(exitFor(new DeflowError('orchestrator', 'create_workflow', { InvalidInput: { field: 'nodes.0.id', message: 'bad' } })).lines[0]).toBe('error: orchestrator.create_workflow: nodes.0.id: bad');
    });
});

describe('CLI > standard stream failures', () => {
    it('ends quietly with exit 0 when the reader went away (EPIPE), and with 70 on any other stream error', () => {
        const codes: number[] = [];
        onStandardStreamError(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }), (code) => codes.push(code));
        onStandardStreamError(Object.assign(new Error('write EIO'), { code: 'EIO' }), (code) => codes.push(code));
        expect(codes).toEqual([ExitCode.Ok, ExitCode.Internal]);
    });
});
