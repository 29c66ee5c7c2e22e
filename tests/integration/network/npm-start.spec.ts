/**
 * `npm start` end to end, as a new user meets it: `scripts/start.ts` as a child process on a
 * free port with a temporary state folder, driven through its IC HTTP interface by
 * `@dfinity/agent` and by the shipped `icp` binary (icp-cli 1.5). Covers the failures of
 * issue 10: one `icp` call that killed the network, a 3 MiB message that froze it, the CLI
 * identity that could not use admin commands, demo canisters that were not deployed, a second
 * start forking the state, StaleHeartbeat alerts dated 2021, a health summary without the
 * monitor, and a state folder rewritten whole.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { Actor, CanisterStatus, HttpAgent, type Identity } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

import { builtWasmPath } from '../../../cli/deploy';
import { loadIdentityFile } from '../../../cli/identity';
import { deploymentArgText, type DeploymentConfig } from '../../../shared/common/deployment';
import { encodeCbor } from '../../../localnet/src/http-interface/cbor';
import { monitorIdlFactory, type NotificationEntry, type SystemHealth } from '../../../shared/monitoring';
import { jsonOf, runDeflow, type CliRun } from '../support/cli';
import { CYCLES_MINTING_CANISTER_ID } from '../../../localnet/system-canisters/common/interfaces';
import {
    GetBlocksArgs,
    ICP_LEDGER_ID,
    NotifyMintCyclesArg,
    NotifyMintCyclesResult,
    QueryBlocksResponse,
    type NotifyMintCyclesArgValue,
    type NotifyMintCyclesResultValue,
    type QueryBlocksResponseValue
} from '../../../localnet/system-canisters/common/icp-interfaces';
import { accountIdentifier } from '../../../localnet/system-canisters/icp-ledger/account-id';
import { ICP_BINARY, icpRunner, runStartToExit, startFolders, startNetwork, type StartedNetwork, type StartFolders } from '../support/npm-start';

// A fresh start builds nothing (the suite builds first) but deploys seven Azle canisters.
jest.setTimeout(600_000);

type Monitor = { get_system_health: () => Promise<SystemHealth>; get_notifications: (after: [] | [bigint]) => Promise<{ Ok: NotificationEntry[] } | { Err: unknown }> };

const ROOT = resolve(__dirname, '..', '..', '..');
const GENESIS_2022_NS = BigInt(Date.UTC(2022, 0, 1)) * 1_000_000n;

describe('npm start > the network it makes', () => {
    let folders: StartFolders;
    let network: StartedNetwork;
    let operator: Identity;
    let deployment: { peers: Record<string, string>; controller: string; admins: string[] };
    let demo: Record<string, string>;
    const icp = icpRunner();

    async function agentAs(identity?: Identity): Promise<HttpAgent> {
        return await HttpAgent.create({ host: network.url, shouldFetchRootKey: true, ...(identity === undefined ? {} : { identity }) });
    }

    beforeAll(async () => {
        folders = startFolders();
        network = await startNetwork(folders);
        operator = loadIdentityFile(join(folders.configDir, 'identity.pem')).identity;
        deployment = JSON.parse(readFileSync(join(folders.stateDir, 'deployment.json'), 'utf8')) as typeof deployment;
        demo = JSON.parse(readFileSync(join(folders.stateDir, 'demo.json'), 'utf8')) as Record<string, string>;
    });
    afterAll(async () => {
        if (network !== undefined && network.child.exitCode === null) await network.stop();
    });

    describe('identity and deployment', () => {
        it('makes the caller\'s deflow CLI identity the admin and the only outside controller, and prints it', async () => {
            const principal = operator.getPrincipal().toText();
            expect(network.output()).toContain(`Controller: ${principal}`);
            expect(network.output()).toContain(`Admins: ${principal}`);
            expect(deployment).toMatchObject({ controller: principal, admins: [principal] });
            const agent = await agentAs();
            // DeFlow's own controls (docs/security.md): the monitor controls its peers (status
            // reads, top-ups); no canister controls itself. No other principal controls anything.
            const { monitor } = deployment.peers as { monitor: string };
            for (const id of [...Object.values(deployment.peers), ...Object.values(demo)]) {
                const status = await CanisterStatus.request({ agent, canisterId: Principal.fromText(id), paths: ['controllers'] });
                const peer = Object.values(deployment.peers).includes(id) && id !== monitor;
                const expected = [principal, ...(peer ? [monitor] : [])];
                expect((status.get('controllers') as Principal[]).map((p) => p.toText()).sort()).toEqual(expected.sort());
            }
        });

        it('lets that identity use an admin-only method (the notification log) and refuses the anonymous caller', async () => {
            const monitorId = deployment.peers['monitor']!;
            const asOperator = Actor.createActor<Monitor>(monitorIdlFactory, { agent: await agentAs(operator), canisterId: monitorId });
            const asAnonymous = Actor.createActor<Monitor>(monitorIdlFactory, { agent: await agentAs(), canisterId: monitorId });
            expect(await asOperator.get_notifications([])).toHaveProperty('Ok');
            expect(Object.keys((await asAnonymous.get_notifications([])) as object)).toEqual(['Err']);
        });

        it('deploys the demo canisters the examples call and writes their ids to <state>/demo.json', async () => {
            expect(Object.keys(demo).sort()).toEqual(['backup_price_oracle', 'lending_position', 'price_oracle']);
            const agent = await agentAs();
            for (const key of ['price_oracle', 'backup_price_oracle']) {
                const oracle = Actor.createActor<{ get_price: () => Promise<{ price_e8s: bigint }> }>(
                    ({ IDL: I }) => I.Service({ get_price: I.Func([], [I.Record({ price_e8s: I.Nat64 })], []) }),
                    { agent, canisterId: demo[key]! }
                );
                expect((await oracle.get_price()).price_e8s).toBeGreaterThan(0n);
            }
            const lending = Actor.createActor<{ repay_count: () => Promise<bigint> }>(({ IDL: I }) => I.Service({ repay_count: I.Func([], [I.Nat64], ['query']) }), {
                agent,
                canisterId: demo['lending_position']!
            });
            expect(await lending.repay_count()).toBe(0n);
        });
    });

    describe('health at start', () => {
        it('prints a health summary that includes the monitor', () => {
            expect(network.output()).toMatch(/Health: Healthy; emergency mode: Normal; open alerts: 0/);
            expect(network.output()).toMatch(/\n {2}Monitor {6}answering/);
            for (const role of ['Orchestrator', 'Scheduler', 'Executor']) expect(network.output()).toMatch(new RegExp(`\\n  ${role} +reporting`));
        });

        it('raises no StaleHeartbeat alert and logs nothing dated before 2022 (the clock starts at wall time)', async () => {
            const monitor = Actor.createActor<Monitor>(monitorIdlFactory, { agent: await agentAs(operator), canisterId: deployment.peers['monitor']! });
            const health = await monitor.get_system_health();
            expect(health.open_alerts.map((a) => Object.keys(a.kind)[0])).toEqual([]);
            const log = await monitor.get_notifications([]);
            if (!('Ok' in log)) throw new Error('the operator cannot read the notification log');
            expect(log.Ok.filter((entry) => entry.at < GENESIS_2022_NS || /StaleHeartbeat|stale/i.test(entry.message))).toEqual([]);
        });
    });

    describe('requests that used to crash or freeze it', () => {
        (existsSync(ICP_BINARY) ? it : it.skip)('answers `icp canister call aaaaa-aa raw_rand` with the IC\'s refusal and keeps serving', async () => {
            const result = icp.run(['canister', 'call', '-n', network.url, '-k', 'fetch', 'aaaaa-aa', 'raw_rand', '()']);
            expect(result.status).not.toBe(0);
            expect(result.stderr).toMatch(/ic00 method raw_rand can not be called via ingress messages/);
            expect((await fetch(`${network.url}/api/v2/status`)).status).toBe(200);
            expect(network.child.exitCode).toBeNull();
        });

        it('refuses a 3 MiB ingress message at once with 413, and the network keeps running its canisters', async () => {
            const oracle = Principal.fromText(demo['price_oracle']!).toUint8Array();
            const body = encodeCbor({
                content: { request_type: 'call', canister_id: oracle, method_name: 'set_price', arg: new Uint8Array(3 * 1024 * 1024), sender: new Uint8Array([4]), ingress_expiry: BigInt(Date.now() + 120_000) * 1_000_000n }
            });
            const started = performance.now();
            const response = await fetch(`${network.url}/api/v3/canister/${demo['price_oracle']}/call`, { method: 'POST', headers: { 'Content-Type': 'application/cbor' }, body: new Uint8Array(body) });
            expect(response.status).toBe(413);
            expect(await response.text()).toMatch(/is too large\. Message byte size \d+ is larger than the max allowed 2097152\./);
            expect(performance.now() - started).toBeLessThan(10_000);
            const agent = await agentAs();
            const reply = await agent.query(demo['price_oracle']!, { methodName: 'calls', arg: IDL.encode([], []) });
            expect(reply.status).toBe('replied');
        });
    });

    describe('icp-cli against it', () => {
        /** The canister `icp canister create` made without --proxy (the next tests install and call it). */
        let createdId = '';
        beforeAll(() => {
            if (!existsSync(ICP_BINARY)) return;
            const imported = icp.run(['identity', 'import', 'deflow', '--storage', 'plaintext', '--from-pem', join(folders.configDir, 'identity.pem')]);
            if (imported.status !== 0) throw new Error(`icp identity import failed: ${imported.stderr}`);
        });

        (existsSync(ICP_BINARY) ? it : it.skip)('creates a canister through the proxy canister npm start deploys (icp canister create --proxy), controlled by the caller', async () => {
            const proxy = (JSON.parse(readFileSync(join(folders.stateDir, 'icp-proxy.json'), 'utf8')) as { proxy: string }).proxy;
            expect(network.output()).toContain(`icp proxy canister (${join(folders.stateDir, 'icp-proxy.json')}; icp canister create --proxy ...): ${proxy}`);
            // As on the IC, a canister created without settings is controlled by its creator (the
            // proxy); `--controller` names the user instead.
            const created = icp.run(['canister', 'create', '--detached', '--proxy', proxy, '--controller', operator.getPrincipal().toText(), '-n', network.url, '-k', 'fetch', '--identity', 'deflow']);
            expect(created.status === 0 ? 'ok' : created.stderr).toBe('ok');
            const id = /Created canister with ID (\S+)/.exec(created.stdout + created.stderr)?.[1];
            expect(id).toBeDefined();
            const status = await CanisterStatus.request({ agent: await agentAs(), canisterId: Principal.fromText(id!), paths: ['controllers'] });
            expect((status.get('controllers') as Principal[]).map((p) => p.toText())).toEqual([operator.getPrincipal().toText()]);
            // Only the proxy's controllers may use it: icp's own default identity is refused.
            const stranger = icp.run(['canister', 'create', '--detached', '--proxy', proxy, '-n', network.url, '-k', 'fetch']);
            expect(stranger.status).not.toBe(0);
            expect(stranger.stderr).toMatch(/Unauthorized: you are not in the proxy canister's controllers list/);
        });

        (existsSync(ICP_BINARY) ? it : it.skip)('shows the caller\'s seeded cycles ledger balance and creates a canister without --proxy, funded from it and controlled by the caller', async () => {
            const asDeflow = ['-n', network.url, '-k', 'fetch', '--identity', 'deflow'];
            expect(network.output()).toContain(
                `Cycles ledger um5iw-rqaaa-aaaaq-qaaba-cai, CMC rkp4c-7iaaa-aaaaa-aaaca-cai and ICP ledger ryjl3-tyaaa-aaaaa-aaaba-cai: deployed; 1000 T cycles and 1000000 ICP seeded for ${operator.getPrincipal().toText()} (icp cycles mint: 1 ICP = 3.5 T cycles)`
            );
            const before = icp.run(['cycles', 'balance', ...asDeflow]);
            expect(before.status === 0 ? before.stdout : before.stderr).toContain('Balance: 1_000_000_000_000_000 cycles');
            const created = icp.run(['canister', 'create', '--detached', ...asDeflow]);
            expect(created.status === 0 ? 'ok' : created.stderr).toBe('ok');
            createdId = /Created canister with ID (\S+)/.exec(created.stdout + created.stderr)?.[1] ?? '';
            const status = await CanisterStatus.request({ agent: await agentAs(), canisterId: Principal.fromText(createdId), paths: ['controllers'] });
            expect((status.get('controllers') as Principal[]).map((p) => p.toText())).toEqual([operator.getPrincipal().toText()]);
            // icp's default amount (2T) plus the ledger's fee of 100M cycles.
            expect(icp.run(['cycles', 'balance', ...asDeflow]).stdout).toContain('Balance: 997_999_900_000_000 cycles');
            // An identity without a balance is refused by the ledger, with its balance named.
            const stranger = icp.run(['canister', 'create', '--detached', '-n', network.url, '-k', 'fetch']);
            expect(stranger.status).not.toBe(0);
            expect(stranger.stderr).toMatch(/Insufficient cycles\. Requested: 2000000000000 cycles, available balance: 0 cycles/);
        });

        (existsSync(ICP_BINARY) ? it : it.skip)('installs the created canister, shows its status and calls it', () => {
            const asDeflow = ['-n', network.url, '-k', 'fetch', '--identity', 'deflow'];
            const install = icp.run(['canister', 'install', createdId, '--mode', 'install', '--wasm', builtWasmPath('price_oracle'), ...asDeflow]);
            expect(install.status === 0 ? 'ok' : install.stderr).toBe('ok');
            const status = icp.run(['canister', 'status', createdId, ...asDeflow]);
            expect(status.status === 0 ? 'ok' : status.stderr).toBe('ok');
            expect(status.stdout).toMatch(/Status: Running/);
            expect(status.stdout).toContain(`controller: ${operator.getPrincipal().toText()}`);
            const price = icp.run(['canister', 'call', createdId, 'get_price', '()', ...asDeflow]);
            expect(price.status === 0 ? price.stdout : price.stderr).toMatch(/price_e8s = \d/);
        });

        (existsSync(ICP_BINARY) ? it : it.skip)('tops the created canister up from the caller\'s cycles ledger balance (icp canister top-up: the ledger\'s withdraw)', () => {
            const asDeflow = ['-n', network.url, '-k', 'fetch', '--identity', 'deflow'];
            const cyclesOf = (): bigint => BigInt((/Cycles: ([\d_]+)/.exec(icp.run(['canister', 'status', createdId, ...asDeflow]).stdout)?.[1] ?? '0').replace(/_/g, ''));
            const before = cyclesOf();
            const topUp = icp.run(['canister', 'top-up', createdId, '--amount', '1t', ...asDeflow]);
            expect(topUp.status === 0 ? 'ok' : topUp.stderr).toBe('ok');
            // 1 T arrived (less what the canister burnt meanwhile); the balance paid 1 T plus the 100M fee.
            expect(cyclesOf() - before).toBeGreaterThan(999_000_000_000n);
            expect(icp.run(['cycles', 'balance', ...asDeflow]).stdout).toContain('Balance: 996_999_800_000_000 cycles');
            // An identity without a balance is refused by the ledger, with its balance named.
            const stranger = icp.run(['canister', 'top-up', createdId, '--amount', '1t', '-n', network.url, '-k', 'fetch']);
            expect(stranger.status).not.toBe(0);
            expect(stranger.stderr).toMatch(/Insufficient cycles\. Requested: 1_000_000_000_000 cycles, balance: 0 cycles/);
        });

        (existsSync(ICP_BINARY) ? it : it.skip)('mints cycles from the seeded ICP (icp cycles mint --icp 2, then --cycles 1t at the CMC\'s rate); notifying the same block again mints nothing', async () => {
            const asDeflow = ['-n', network.url, '-k', 'fetch', '--identity', 'deflow'];
            const icpBalance = icp.run(['token', 'balance', ...asDeflow]);
            expect(icpBalance.status === 0 ? icpBalance.stdout : icpBalance.stderr).toContain('Balance: 1000000.00000000 ICP');
            // 2 ICP at 3.5 XDR per ICP is 7 T cycles; the cycles ledger keeps its 100M fee.
            const minted = icp.run(['cycles', 'mint', '--icp', '2', ...asDeflow]);
            expect(minted.status === 0 ? minted.stdout : minted.stderr).toContain('Minted 6_999_900_000_000 cycles to your account, new balance: 1_003_999_700_000_000 cycles.');
            expect(icp.run(['cycles', 'balance', ...asDeflow]).stdout).toContain('Balance: 1_003_999_700_000_000 cycles');
            // The payment is the ICP ledger's last block; the CMC answers a second notify of it with the same success.
            const agent = await agentAs(operator);
            const icpLedger = Actor.createActor<{ query_blocks: (arg: { start: bigint; length: bigint }) => Promise<QueryBlocksResponseValue> }>(
                () => IDL.Service({ query_blocks: IDL.Func([GetBlocksArgs], [QueryBlocksResponse], ['query']) }),
                { agent, canisterId: ICP_LEDGER_ID }
            );
            const payment = (await icpLedger.query_blocks({ start: 0n, length: 0n })).chain_length - 1n;
            const cmc = Actor.createActor<{ notify_mint_cycles: (arg: NotifyMintCyclesArgValue) => Promise<NotifyMintCyclesResultValue> }>(
                () => IDL.Service({ notify_mint_cycles: IDL.Func([NotifyMintCyclesArg], [NotifyMintCyclesResult], []) }),
                { agent, canisterId: CYCLES_MINTING_CANISTER_ID }
            );
            const again = await cmc.notify_mint_cycles({ block_index: payment, to_subaccount: [], deposit_memo: [] });
            expect(again).toMatchObject({ Ok: { minted: 7_000_000_000_000n, balance: 1_003_999_700_000_000n } });
            expect(icp.run(['cycles', 'balance', ...asDeflow]).stdout).toContain('Balance: 1_003_999_700_000_000 cycles');
            // --cycles: icp reads the rate and pays ceil((1 T + fee) / 35 000) = 28 574 286 e8s, minting 1_000_100_010_000 cycles.
            const byCycles = icp.run(['cycles', 'mint', '--cycles', '1t', ...asDeflow]);
            expect(byCycles.status === 0 ? byCycles.stdout : byCycles.stderr).toContain('Minted 1_000_000_010_000 cycles to your account, new balance: 1_004_999_700_010_000 cycles.');
        });

        (existsSync(ICP_BINARY) ? it : it.skip)('refuses icp cycles mint for an identity without ICP with icp\'s own insufficient-funds error, and mints nothing', () => {
            const stranger = icp.run(['cycles', 'mint', '--icp', '1', '-n', network.url, '-k', 'fetch']);
            expect(stranger.status).not.toBe(0);
            expect(stranger.stderr).toContain('Insufficient funds: 1.00010000 ICP required, 0 ICP available.');
            expect(icp.run(['cycles', 'balance', '-n', network.url, '-k', 'fetch']).stdout).toContain('Balance: 0 cycles');
        });

        (existsSync(ICP_BINARY) ? it : it.skip)('sends ICP with icp token transfer, to a principal (icrc1_transfer) and to an account identifier (transfer)', async () => {
            const asDeflow = ['-n', network.url, '-k', 'fetch', '--identity', 'deflow'];
            const anonymousAccount = accountIdentifier(Principal.anonymous());
            const toPrincipal = icp.run(['token', 'transfer', '1', '2vxsx-fae', ...asDeflow]);
            expect(toPrincipal.status === 0 ? toPrincipal.stdout : toPrincipal.stderr).toMatch(/Transferred 1(\.0+)? ICP to 2vxsx-fae in block \d+/);
            const toAccount = icp.run(['token', 'transfer', '0.5', anonymousAccount, ...asDeflow]);
            expect(toAccount.status === 0 ? toAccount.stdout : toAccount.stderr).toMatch(/Transferred 0\.50* ICP to .* in block \d+/);
            const anonymousBalance = icp.run(['token', 'balance', '-n', network.url, '-k', 'fetch']);
            expect(anonymousBalance.stdout).toContain('Balance: 1.50000000 ICP');
        });

        (existsSync(ICP_BINARY) ? it : it.skip)('follows the release runbook (docs/upgrade-drill.md) with icp: stop, upgrade with an argument, start, get_version; the argument takes effect', () => {
            const asDeflow = ['-n', network.url, '-k', 'fetch', '--identity', 'deflow'];
            const monitor = deployment.peers['monitor']!;
            const added = icp.run(['identity', 'new', 'second-admin', '--storage', 'plaintext']);
            expect(added.status === 0 ? 'ok' : added.stderr).toBe('ok');
            const secondAdmin = icp.run(['identity', 'principal', '--identity', 'second-admin']).stdout.trim();
            const asSecond = ['-n', network.url, '-k', 'fetch', '--identity', 'second-admin'];
            expect(icp.run(['canister', 'call', monitor, 'get_notifications', '(null)', ...asSecond]).stdout).toMatch(/Err/);
            const versionBefore = Number(/canister_version = (\d+)/.exec(icp.run(['canister', 'call', monitor, 'get_version', '()', ...asDeflow]).stdout)?.[1]);
            const peers = Object.fromEntries(Object.entries(deployment.peers).map(([role, id]) => [role, Principal.fromText(id)])) as unknown as DeploymentConfig['peers'];
            const arg = deploymentArgText({ peers, admins: [operator.getPrincipal(), Principal.fromText(secondAdmin)] });
            for (const step of [
                ['canister', 'stop', monitor],
                ['canister', 'install', monitor, '--mode', 'upgrade', '--wasm', builtWasmPath('monitor'), '--args', arg],
                ['canister', 'start', monitor]
            ]) {
                const result = icp.run([...step, ...asDeflow]);
                expect(result.status === 0 ? 'ok' : `${step.join(' ')}: ${result.stderr}`).toBe('ok');
            }
            const version = icp.run(['canister', 'call', monitor, 'get_version', '()', ...asDeflow]);
            expect(version.status === 0 ? 'ok' : version.stderr).toBe('ok');
            expect(Number(/canister_version = (\d+)/.exec(version.stdout)?.[1])).toBeGreaterThan(versionBefore);
            expect(icp.run(['canister', 'call', monitor, 'get_notifications', '(null)', ...asSecond]).stdout).toMatch(/Ok/);
        });

        (existsSync(ICP_BINARY) ? it : it.skip)('calls a demo canister and shows field names from its candid:service metadata', () => {
            const result = icp.run(['canister', 'call', '-n', network.url, '-k', 'fetch', demo['price_oracle']!, 'get_price', '()']);
            expect(result.status === 0 ? 'ok' : result.stderr).toBe('ok');
            expect(result.stdout).toMatch(/price_e8s = \d/);
        });

        (existsSync(ICP_BINARY) ? it : it.skip)('stops and starts a canister as its controller (the CLI identity imported into icp)', async () => {
            const target = demo['lending_position']!;
            const network_ = ['-n', network.url, '-k', 'fetch', '--identity', 'deflow'];
            const stop = icp.run(['canister', 'stop', target, ...network_]);
            expect(stop.status === 0 ? 'ok' : stop.stderr).toBe('ok');
            const whileStopped = icp.run(['canister', 'call', target, 'repay_count', '()', '--query', ...network_]);
            expect(whileStopped.status).not.toBe(0);
            expect(whileStopped.stderr).toMatch(/stopped/i);
            const start = icp.run(['canister', 'start', target, ...network_]);
            expect(start.status === 0 ? 'ok' : start.stderr).toBe('ok');
            const afterStart = icp.run(['canister', 'call', target, 'repay_count', '()', '--query', ...network_]);
            expect(afterStart.status === 0 ? 'ok' : afterStart.stderr).toBe('ok');
            // A stranger (icp's own default identity) is not a controller.
            const stranger = icp.run(['canister', 'stop', target, '-n', network.url, '-k', 'fetch']);
            expect(stranger.status).not.toBe(0);
            expect(stranger.stderr).toMatch(/controller/i);
        });

        describe('icp deploy from icp.yaml', () => {
            /** The canisters `npm run icp:deploy` created, by role (the next test runs a workflow on them). */
            let icpDeployed: Record<string, string> = {};
            (existsSync(ICP_BINARY) ? it : it.skip)('brings up the four canisters wired to each other (npm run icp:deploy), and a second run upgrades them in place', async () => {
                // The project's icp.yaml, connected to this network's URL instead of port 4943.
                const project = mkdtempSync(join(tmpdir(), 'deflow-icp-project-'));
                writeFileSync(join(project, 'icp.yaml'), readFileSync(join(ROOT, 'icp.yaml'), 'utf8').replace('url: http://127.0.0.1:4943', `url: ${network.url}`));
                symlinkSync(join(ROOT, '.azle'), join(project, '.azle'));
                const deploy = (): ReturnType<typeof spawnSync> =>
                    spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', 'icp-deploy.ts'), '--project-dir', project, '--identity', 'deflow'], {
                        encoding: 'utf8',
                        env: { ...process.env, HOME: icp.home, DO_NOT_TRACK: '1', RUST_BACKTRACE: '0' },
                        timeout: 300_000
                    });
                const first = deploy();
                expect(first.status === 0 ? 'ok' : `${String(first.stdout)}\n${String(first.stderr)}`).toBe('ok');
                const ids = Object.fromEntries([...String(first.stdout).matchAll(/Created canister (\w+) with ID (\S+)/g)].map((m) => [m[1]!, m[2]!]));
                expect(Object.keys(ids).sort()).toEqual(['executor', 'monitor', 'orchestrator', 'scheduler']);
                const monitor = Actor.createActor<Monitor>(monitorIdlFactory, { agent: await agentAs(operator), canisterId: ids['monitor']! });
                // Wired: the other three know the monitor's id from their init argument and have reported to it.
                const health = await monitor.get_system_health();
                expect(health.canisters.map((c) => Object.keys(c.role)[0]).sort()).toEqual(['Executor', 'Orchestrator', 'Scheduler']);
                expect(health.canisters.filter((c) => c.latest.length === 0 || c.stale)).toEqual([]);
            const controllers = await CanisterStatus.request({ agent: await agentAs(), canisterId: Principal.fromText(ids['orchestrator']!), paths: ['controllers'] });
            expect((controllers.get('controllers') as Principal[]).map((p) => p.toText()).sort()).toEqual([operator.getPrincipal().toText(), ids['monitor']!].sort());
                // The deploying identity is the deployment's admin; nobody else is.
                expect(await monitor.get_notifications([])).toHaveProperty('Ok');
                const asAnonymous = Actor.createActor<Monitor>(monitorIdlFactory, { agent: await agentAs(), canisterId: ids['monitor']! });
                expect(Object.keys((await asAnonymous.get_notifications([])) as object)).toEqual(['Err']);
                const second = deploy();
                expect(second.status === 0 ? 'ok' : String(second.stderr)).toBe('ok');
                expect(String(second.stdout)).not.toMatch(/Created canister/);
                expect((await monitor.get_system_health()).canisters).toHaveLength(3);
                icpDeployed = ids;
            });

            (existsSync(ICP_BINARY) ? it : it.skip)("gives an owner's first workflow an agent, through which its call node runs (the agent module is set, as npm start sets it)", async () => {
                expect(Object.keys(icpDeployed)).toHaveLength(4);
                // The deflow CLI of a new owner, pointed at the icp-deployed canisters (and npm start's demo ids beside them).
                const dir = mkdtempSync(join(tmpdir(), 'deflow-icp-owner-'));
                const deploymentFile = join(dir, 'deployment.json');
                writeFileSync(deploymentFile, JSON.stringify({ peers: icpDeployed, controller: operator.getPrincipal().toText() }));
                writeFileSync(join(dir, 'demo.json'), JSON.stringify(demo));
                const pem = join(dir, 'owner.pem');
                writeFileSync(pem, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), { mode: 0o600 });
                const workflowFile = join(dir, 'price.json');
                writeFileSync(workflowFile, JSON.stringify({
                    name: 'Read the demo price',
                    nodes: [{ id: 'price', config: { kind: 'Call', canister: '${demo.price_oracle}', method: 'get_price', args: { kind: 'Raw', bytes: '4449444c0000' }, cycles: 0, reply: { kind: 'Candid', types: '(record { price_e8s: nat64 })' } } }]
                }));
                const oracle = Actor.createActor<{ calls: () => Promise<bigint> }>(({ IDL: I }) => I.Service({ calls: I.Func([], [I.Nat64], ['query']) }), {
                    agent: await agentAs(),
                    canisterId: demo['price_oracle']!
                });
                const callsBefore = await oracle.calls();
                const owner = (args: string[]): Promise<CliRun> =>
                    runDeflow([...args, '--network', network.url, '--deployment', deploymentFile, '--json'], { cwd: dir, env: { HOME: dir, DEFLOW_CONFIG_DIR: join(dir, 'config'), DEFLOW_IDENTITY: pem } });
                const workflow = jsonOf<{ id: string }>(await owner(['workflow', 'create', workflowFile]));
                const run = jsonOf<{ status: string; nodes: { nodeId: string; output?: string }[] }>(await owner(['run', workflow.id, '--watch', '--interval', '250', '--timeout', '120']));
                expect(run.status).toBe('Succeeded');
                expect(JSON.parse(run.nodes.find((n) => n.nodeId === 'price')?.output ?? 'null')).toEqual({ price_e8s: 100_000_000 });
                const agent = jsonOf<{ status: unknown; agent: string[] }>(await owner(['agent']));
                expect(agent.status).toEqual({ Ready: null });
                expect(agent.agent).toHaveLength(1);
                // The oracle answered one more call (it counts them): the call node's, made by that agent.
                expect(await oracle.calls()).toBe(callsBefore + 1n);
            });
        });
    });

    describe('one process per state folder, saved incrementally', () => {
        it('refuses a second start on the same state folder, naming the first one\'s pid, and leaves its state alone', async () => {
            // The lock names the process that runs the network (tsx's child, not the spawned wrapper).
            const holder = readFileSync(join(folders.stateDir, 'lock'), 'utf8').trim();
            const second = await runStartToExit(folders);
            expect(second.code).toBe(2);
            expect(second.output).toContain(`another npm start (pid ${holder}) is running on ${folders.stateDir}`);
            expect((await fetch(`${network.url}/api/v2/status`)).status).toBe(200);
        });

        it('saves on SIGTERM, and the next start resumes the same canisters without redeploying, reporting the folder size', async () => {
            const code = await network.stop();
            expect(code).toBe(0);
            expect(network.output()).toMatch(/saved the network to /);
            const resumed = await startNetwork(folders);
            try {
                expect(resumed.output()).not.toMatch(/deployed the/);
                expect(resumed.output()).toMatch(new RegExp(`State: ${folders.stateDir.replace(/[/.]/g, '\\$&')} \\(\\d+(\\.\\d)? MB\\)`));
                const again = JSON.parse(readFileSync(join(folders.stateDir, 'deployment.json'), 'utf8')) as typeof deployment;
                expect(again.peers).toEqual(deployment.peers);
                // The first save of a resumed network finds every chunk already on disk.
                expect(resumed.output()).toMatch(/saved: wrote (\d+ B|[\d.]+ (kB|MB)) \(\d+ new chunks of \d+ hashed\)/);
                const agent = await HttpAgent.create({ host: resumed.url, shouldFetchRootKey: true });
                const reply = await agent.query(demo['price_oracle']!, { methodName: 'calls', arg: IDL.encode([], []) });
                expect(reply.status).toBe('replied');
            } finally {
                expect(await resumed.stop()).toBe(0);
            }
        });
    });
});
