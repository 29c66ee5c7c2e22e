/**
 * CLI > end to end: the `deflow` binary run as a child process, the way a user runs it,
 * against DeFlow deployed as `npm start` deploys it (support/cli.ts). Every test is its own
 * user (a fresh identity), so it sees only the workflows, executions and schedules it made;
 * the admin tests put the system back as they found it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { EXAMPLES, jsonOf, runDeflow, startCliNetwork, type CliNetwork, type CliUser } from '../support/cli';

jest.setTimeout(300_000);

/** A workflow that finishes at once: one transform of its input. */
const INSTANT = 'name: instant\nnodes:\n  - id: echo\n    config: { kind: Transform, fields: [{ key: n, value: { kind: Input, path: n } }] }\n';

type Listed = { items: { id: string }[]; nextCursor?: string };

describe('CLI > end to end on the local network', () => {
    let net: CliNetwork;

    beforeAll(async () => {
        net = await startCliNetwork();
    });
    afterAll(async () => {
        await net?.tearDown();
    });

    /** Creates a workflow from text as `user`; answers its id. */
    async function createWorkflow(user: CliUser, text: string, name = 'wf.yaml'): Promise<string> {
        const file = join(user.dir, name);
        writeFileSync(file, text);
        return jsonOf<{ id: string }>(await user.deflow(['workflow', 'create', file, '--json'])).id;
    }

    describe('with nothing to list', () => {
        it.each([
            ['workflow', 'list'],
            ['executions', 'list'],
            ['schedule', 'list']
        ])('%s %s exits 0, in text and in JSON', async (...words) => {
            const user = net.user();
            const text = await user.deflow(words);
            expect({ code: text.code, stderr: text.stderr }).toEqual({ code: 0, stderr: '' });
            expect(text.stdout).toMatch(/^no (workflows|executions|schedules)\n$/);
            const json = await user.deflow([...words, '--json']);
            expect({ code: json.code, stderr: json.stderr }).toEqual({ code: 0, stderr: '' });
            const parsed: unknown = JSON.parse(json.stdout);
            expect(Array.isArray(parsed) ? parsed : (parsed as Listed).items).toEqual([]);
        });
    });

    describe('output to a reader that went away', () => {
        it('ends quietly with exit 0 (EPIPE), with and without a network call', async () => {
            const user = net.user();
            await createWorkflow(user, INSTANT);
            for (const args of [['workflow', 'list'], ['workflow', 'list', '--json']]) {
                const r = await user.deflow(args, { closeStdout: true });
                expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
            }
            const help = await runDeflow(['--help'], { closeStdout: true });
            expect({ code: help.code, stderr: help.stderr }).toEqual({ code: 0, stderr: '' });
        });
    });

    describe('workflows', () => {
        it('creates, shows, lists, updates (guarded by --expected-version) and deletes a workflow', async () => {
            const user = net.user();
            const created = await user.deflow(['workflow', 'create', join(EXAMPLES, 'hello-deflow.yaml')]);
            expect(created.code).toBe(0);
            const id = /^created workflow (\S+) \(version 1\)/.exec(created.stdout)?.[1];
            expect(id).toBeDefined();
            expect((await user.deflow(['workflow', 'list'])).stdout).toContain(id);
            expect(jsonOf<{ definition: { name: string } }>(await user.deflow(['workflow', 'show', id!, '--json'])).definition.name).toBe('Hello DeFlow');

            const file = join(user.dir, 'v2.yaml');
            writeFileSync(file, INSTANT);
            const updated = jsonOf<{ version: number; definition: { name: string } }>(await user.deflow(['workflow', 'update', id!, file, '--expected-version', '1', '--json']));
            expect(updated).toMatchObject({ version: 2, definition: { name: 'instant' } });
            const stale = await user.deflow(['workflow', 'update', id!, file, '--expected-version', '1']);
            expect(stale.code).toBe(1);
            expect(stale.stderr).toContain('conflict');
            expect(jsonOf<{ definition: { name: string } }>(await user.deflow(['workflow', 'show', id!, '--version', '1', '--json'])).definition.name).toBe('Hello DeFlow');

            const deleted = await user.deflow(['workflow', 'delete', id!]);
            expect({ code: deleted.code, stdout: deleted.stdout }).toEqual({ code: 0, stdout: `deleted workflow ${id}\n` });
            expect((await user.deflow(['workflow', 'show', id!])).code).toBe(4);
        });

        it('pauses and resumes a workflow: a paused one refuses new runs (exit 1)', async () => {
            const user = net.user();
            const id = await createWorkflow(user, INSTANT);
            expect((await user.deflow(['workflow', 'pause', id])).code).toBe(0);
            const refused = await user.deflow(['run', id]);
            expect(refused.code).toBe(1);
            expect(refused.stderr).toContain('conflict');
            expect((await user.deflow(['workflow', 'resume', id])).code).toBe(0);
            expect((await user.deflow(['run', id])).code).toBe(0);
        });

        it("another user's workflow is not theirs to see (exit 1, Unauthorized)", async () => {
            const owner = net.user();
            const id = await createWorkflow(owner, INSTANT);
            const stranger = await net.user().deflow(['workflow', 'show', id]);
            expect(stranger.code).toBe(1);
            expect(stranger.stderr).toMatch(/is not allowed/);
        });
    });

    describe('executions', () => {
        it('runs with --input @FILE and watches the execution to completion', async () => {
            const user = net.user();
            const id = jsonOf<{ id: string }>(await user.deflow(['workflow', 'create', join(EXAMPLES, 'hello-deflow.yaml'), '--json'])).id;
            const started = jsonOf<{ id: string }>(await user.deflow(['run', id, '--input', `@${join(EXAMPLES, 'hello-deflow.input.json')}`, '--json']));
            const watched = await user.deflow(['executions', 'watch', started.id, '--interval', '200', '--timeout', '60']);
            expect({ code: watched.code, stderr: watched.stderr }).toEqual({ code: 0, stderr: '' });
            const shown = jsonOf<{ status: string; nodes: { nodeId: string; status: string; output?: string }[] }>(await user.deflow(['executions', 'show', started.id, '--json']));
            expect(shown.status).toBe('Succeeded');
            expect(shown.nodes.find((n) => n.nodeId === 'say_small')?.status).toBe('Skipped');
            expect(JSON.parse(shown.nodes.find((n) => n.nodeId === 'summary')!.output!)).toEqual({ amount: 42, big: true });
        });

        it('lists newest first, one page at a time, following --cursor to the end; --order oldest reverses it', async () => {
            const user = net.user();
            const id = await createWorkflow(user, INSTANT);
            const started: string[] = [];
            for (let n = 0; n < 5; n++) started.push(jsonOf<{ id: string }>(await user.deflow(['run', id, '--input', `{"n": ${n}}`, '--json'])).id);

            const seen: string[] = [];
            let cursor: string | undefined;
            let pages = 0;
            do {
                const page = jsonOf<Listed>(await user.deflow(['executions', 'list', '--limit', '2', '--json', ...(cursor === undefined ? [] : ['--cursor', cursor])]));
                expect(page.items.length).toBeLessThanOrEqual(2);
                seen.push(...page.items.map((x) => x.id));
                cursor = page.nextCursor;
                pages++;
            } while (cursor !== undefined && pages < 10);
            expect(seen).toEqual([...started].reverse());
            expect(pages).toBe(3);

            const oldest = jsonOf<Listed>(await user.deflow(['executions', 'list', '--order', 'oldest', '--json']));
            expect(oldest.items.map((x) => x.id)).toEqual(started);
            const text = await user.deflow(['executions', 'list', '--limit', '2']);
            expect(text.stdout).toContain(`more: add --cursor ${started[3]} for the next page`);
            expect((await user.deflow(['executions', 'list', '--limit', '101'])).code).toBe(2);
        });
    });

    describe('schedules', () => {
        it('adds, shows, pauses, resumes, lists and cancels a schedule', async () => {
            const user = net.user();
            const id = await createWorkflow(user, INSTANT);
            const added = jsonOf<{ id: string; workflow_id: string }>(await user.deflow(['schedule', 'add', id, '--every', '3600', '--overlap', 'skip', '--input', '{"n":1}', '--json']));
            expect(added.workflow_id).toBe(id);
            const shown = await user.deflow(['schedule', 'show', added.id]);
            expect(shown.stdout).toMatch(/^state:\s+active$/m);
            expect(jsonOf<{ paused: boolean }>(await user.deflow(['schedule', 'pause', added.id, '--json'])).paused).toBe(true);
            expect((await user.deflow(['schedule', 'show', added.id])).stdout).toMatch(/^state:\s+paused$/m);
            expect(jsonOf<{ paused: boolean }>(await user.deflow(['schedule', 'resume', added.id, '--json'])).paused).toBe(false);
            expect(jsonOf<Listed>(await user.deflow(['schedule', 'list', '--json'])).items.map((s) => s.id)).toEqual([added.id]);
            expect((await user.deflow(['schedule', 'cancel', added.id])).code).toBe(0);
            expect((await user.deflow(['schedule', 'show', 'sched-does-not-exist'])).code).toBe(4);
        });
    });

    describe('position manager', () => {
        it('sets, shows and clears the position manager; a DeFlow canister is refused (exit 1, InvalidInput); liquidations start empty', async () => {
            const user = net.user();
            const lending = net.demo.ids.lending.toText();
            const set = await user.deflow(['position-manager', 'set', lending, 'liquidate', '(record { position: text })', '(variant { Ok: nat; Err: text })']);
            expect({ code: set.code, stderr: set.stderr }).toEqual({ code: 0, stderr: '' });
            expect(set.stdout).toMatch(new RegExp(`^canister:\\s+${lending}$`, 'm'));
            expect(jsonOf<{ method: string }>(await user.deflow(['position-manager', 'show', '--json'])).method).toBe('liquidate');
            const refused = await user.deflow(['position-manager', 'set', net.deployment.peers.orchestrator.toText(), 'liquidate', '()', '()']);
            expect(refused.code).toBe(1);
            expect(refused.stderr).toContain('manager.canister');
            expect((await user.deflow(['liquidations'])).stdout).toBe('0 liquidation(s) in all\n');
            expect((await user.deflow(['position-manager', 'clear'])).code).toBe(0);
            expect((await user.deflow(['position-manager', 'show'])).stdout).toContain('no position manager');
        });
    });

    describe('system', () => {
        it('shows health and the version of all four canisters', async () => {
            const user = net.user();
            const health = await user.deflow(['health']);
            expect(health.code).toBe(0);
            expect(health.stdout).toMatch(/^status:\s+(Healthy|Degraded|Critical)/m);
            const versions = jsonOf<Record<string, { canister: string }>>(await user.deflow(['versions', '--json']));
            expect(Object.fromEntries(Object.entries(versions).map(([role, v]) => [role, v.canister]))).toEqual({ orchestrator: 'orchestrator', scheduler: 'scheduler', executor: 'executor', monitor: 'monitor' });
            expect((await user.deflow(['versions'])).stdout).toMatch(/^executor\s+\d/m);
        });

        describe('as the admin', () => {
            it('turns emergency mode on (new runs refused) and off again', async () => {
                const admin = net.user({ admin: true });
                const id = await createWorkflow(admin, INSTANT, 'emergency.yaml');
                try {
                    const on = await admin.deflow(['emergency', 'on', '--reason', 'cli drill']);
                    expect(on.code).toBe(0);
                    expect(on.stdout).toContain('Emergency mode is on');
                    // The monitor pushes the state to the orchestrator by an inter-canister call.
                    let refused = await admin.deflow(['run', id]);
                    for (let i = 0; i < 20 && refused.code === 0; i++) refused = await admin.deflow(['run', id]);
                    expect(refused.code).toBe(1);
                    expect(refused.stderr).toContain('emergency mode');
                } finally {
                    expect((await admin.deflow(['emergency', 'off', '--reason', 'done'])).code).toBe(0);
                }
                expect(jsonOf<{ emergency: { mode: Record<string, null> } }>(await admin.deflow(['health', '--json'])).emergency.mode).toEqual({ Normal: null });
            });

            it('may acknowledge alerts: an unknown alert id is not found (exit 4), not refused', async () => {
                const r = await net.user({ admin: true }).deflow(['alerts', '--ack', '999999']);
                expect(r.code).toBe(4);
                expect(r.stderr).toContain('not found');
            });
        });

        describe('as a stranger with the generated default identity', () => {
            it('may not toggle emergency mode or acknowledge alerts (exit 1, Unauthorized)', async () => {
                const stranger = net.user({ pemIdentity: false });
                const on = await stranger.deflow(['emergency', 'on']);
                expect(on.code).toBe(1);
                expect(on.stderr).toMatch(/created a new identity/);
                expect(on.stderr).toMatch(/is not allowed/);
                const ack = await stranger.deflow(['alerts', '--ack', '1']);
                expect(ack.code).toBe(1);
                expect(ack.stderr).toMatch(/is not allowed/);
            });
        });
    });

    describe('bad input', () => {
        it('refuses a broken workflow file with the offending field (exit 2)', async () => {
            const user = net.user();
            const file = join(user.dir, 'broken.yaml');
            writeFileSync(file, 'name: broken\nnodes:\n  - id: a\n    config: { kind: Delay, durationMs: -5 }\n');
            const r = await user.deflow(['workflow', 'create', file]);
            expect(r.code).toBe(2);
            expect(r.stderr).toMatch(/nodes\[0\]\.config\.durationMs \(line 4\)/);
        });

        it('refuses a placeholder without a value and a missing --input file (exit 2), naming what to do', async () => {
            const user = net.user();
            const file = join(user.dir, 'unknown.yaml');
            writeFileSync(file, 'name: p\nnodes:\n  - id: read\n    config: { kind: Call, canister: "${demo.nowhere}", method: m, args: { kind: Raw, bytes: "4449444c0000" }, reply: { kind: Raw } }\n');
            const r = await user.deflow(['workflow', 'create', file]);
            expect(r.code).toBe(2);
            expect(r.stderr).toContain('${demo.nowhere}: give it with --var demo.nowhere=VALUE');
            const input = await user.deflow(['run', 'wf-x', '--input', `@${join(user.dir, 'missing.json')}`]);
            expect(input.code).toBe(2);
            expect(input.stderr).toContain('cannot read input file');
        });

        it('reports an unknown workflow or execution id as not found (exit 4)', async () => {
            const user = net.user();
            const wf = await user.deflow(['workflow', 'show', 'wf-does-not-exist']);
            expect(wf.code).toBe(4);
            expect(wf.stderr).toContain('not found');
            expect((await user.deflow(['executions', 'watch', 'ex-does-not-exist'])).code).toBe(4);
        });

        // An id outside every subnet's range: the query and the agent's subnet-key fetch are both
        // refused (HTTP 400, IC0301); whichever the agent reports first, the cause is the same.
        it('reports a canister id no subnet hosts as not found (exit 4), in a few lines that say what to do', async () => {
            const r = await net.user().deflow(['workflow', 'list', '--orchestrator', 'rdmx6-jaaaa-aaaaa-aaadq-cai']);
            expect({ code: r.code, lines: r.stderr.trimEnd().split('\n').length }).toEqual({ code: 4, lines: 2 });
            expect(r.stderr).toContain('the orchestrator canister rdmx6-jaaaa-aaaaa-aaadq-cai does not exist on this network');
            expect(r.stderr).toContain('npm start writes the ids of its network to .deflow/deployment.json');
        });

        it('reports a URL where nothing listens (exit 3) and a URL that is not an IC network (exit 3), saying what to do', async () => {
            const user = net.user();
            const refused = await runDeflow(['workflow', 'list', '--network', 'http://127.0.0.1:4979', '--deployment', join(net.stateDir, 'deployment.json')], { cwd: user.dir, env: { DEFLOW_IDENTITY: user.pem } });
            expect(refused.code).toBe(3);
            expect(refused.stderr).toContain('nothing answers at http://127.0.0.1:4979 (connection refused)');
            // The PocketIC REST server answers HTTP, but is not the IC HTTP interface.
            const notIc = await runDeflow(['workflow', 'list', '--network', process.env.PIC_URL!, '--deployment', join(net.stateDir, 'deployment.json')], { cwd: user.dir, env: { DEFLOW_IDENTITY: user.pem } });
            expect(notIc.code).toBe(3);
            expect(notIc.stderr).toMatch(/answers HTTP but not as an IC network/);
        });
    });
});
