/**
 * `npm start`: the main job. Builds what is stale, starts the local network (deflow-localnet,
 * in this process) on 127.0.0.1:4943, deploys the four DeFlow canisters wired to each other,
 * prints their ids and keeps running until Ctrl-C.
 *
 * The network (canisters, their memory, the clock) is saved under `.deflow/` on exit and every
 * minute; the next start loads it, reuses the deployed canisters and upgrades those whose
 * code changed. `--fresh` starts from an empty network.
 *
 * The caller's deflow CLI identity (`~/.config/deflow/identity.pem`, or `$DEFLOW_CONFIG_DIR`)
 * controls every canister and is the deployment's admin. The demo canisters the examples call
 * are deployed too; their ids go to `<state>/demo.json` (`{ "price_oracle": "<id>", ... }`).
 * One process per state folder: a second start on the same folder is refused (`<state>/lock`).
 *
 * The dashboard (frontend/, built with Vite) is served by the `dashboard` canister through the
 * gateway at `http://<dashboard id>.localhost:<port>/`; its id goes to `<state>/dashboard.json`.
 *
 * Options: `--port N` (default 4943, or $DEFLOW_PORT; 0 picks a free port), `--host ADDR`
 * (default 127.0.0.1), `--state DIR` (default `.deflow/` in the project, or $DEFLOW_STATE_DIR),
 * `--fresh`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { Principal } from '@dfinity/principal';

import { PocketIc } from '@dfinity/pic';

import { DEMO_CANISTERS, deflowWasm, deployDeflow, deployDemoCanisters, deployIcpProxy, grantMonitorControl, SYSTEM_CANISTERS_DIR, upgradeDeflowCanister, type DeflowDeployment, type DemoIds } from '../cli/deploy';
import { loadDefaultIdentity } from '../cli/identity';
import { PEER_ROLES, type Peers } from '../shared/common/deployment';
import { monitorIdlFactory, type SystemHealth } from '../shared/monitoring';
import type { InstanceConfig } from '../localnet/src/api';
import { Instance } from '../localnet/src/instance';
import { hasSavedInstance, IncrementalSaver, loadInstance } from '../localnet/src/persistence';
import { blobStore } from '../localnet/src/server/blob-store';
import { startHttpServer } from '../localnet/src/server/http-server';
import { InstanceRegistry } from '../localnet/src/server/registry';
import { createDashboardCanister, dashboardUrl, dashboardWasmHash, localDashboardConfig, upgradeDashboardCanister, uploadDashboard } from '../cli/dashboard-deploy';
import { buildCanisters } from './build-canisters';
import { addIcpMinting, deployLocalCycles, hasCyclesSubnets, LOCAL_NETWORK_SUBNETS, SEEDED_CYCLES, SEEDED_ICP_E8S, XDR_PERMYRIAD_PER_ICP } from '../cli/local-cycles';
import { CYCLES_LEDGER_ID, CYCLES_MINTING_CANISTER_ID } from '../localnet/system-canisters/common/interfaces';
import { ICP_LEDGER_ID } from '../localnet/system-canisters/common/icp-interfaces';
import { buildFrontend } from './build-frontend';
import { folderBytes, formatBytes, lockStateFolder, StateFolderBusy } from './state-folder';

type StartOptions = { host: string; port: number; fresh: boolean; stateDir: string | undefined };

const AUTOSAVE_MS = 60_000;

function parseOptions(args: string[]): StartOptions {
    const envState = process.env.DEFLOW_STATE_DIR;
    const options: StartOptions = { host: '127.0.0.1', port: Number(process.env.DEFLOW_PORT ?? 4943), fresh: false, stateDir: envState === undefined || envState === '' ? undefined : envState };
    for (let i = 0; i < args.length; i++) {
        const value = args[i + 1];
        if (args[i] === '--fresh') {
            options.fresh = true;
        } else if (args[i] === '--port' && value !== undefined) {
            options.port = Number(value);
            i++;
        } else if (args[i] === '--host' && value !== undefined) {
            options.host = value;
            i++;
        } else if (args[i] === '--state' && value !== undefined) {
            options.stateDir = value;
            i++;
        } else {
            throw new Error(`unknown option ${args[i]}; usage: npm start -- [--port N] [--host ADDR] [--state DIR] [--fresh]`);
        }
    }
    if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) {
        throw new Error(`--port must be an integer between 0 and 65535, got ${options.port}`);
    }
    return options;
}

/**
 * Live mode on instance 0 (wall-clock time, rounds every few milliseconds) and an HTTP gateway
 * on the requested port, through the PocketIC REST API as any PocketIC client would do it.
 */
async function goLive(restUrl: string, options: StartOptions): Promise<string> {
    const post = async (path: string, body: unknown): Promise<unknown> => {
        const response = await fetch(`${restUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        const text = await response.text();
        return text === '' ? null : (JSON.parse(text) as unknown);
    };
    await post('/instances/0/auto_progress', { artificial_delay_ms: 0 });
    const reply = (await post('/http_gateway', { forward_to: { PocketIcInstance: 0 }, ip_addr: options.host, port: options.port })) as
        | { Created: { instance_id: number; port: number } }
        | { Error: { message: string } };
    if ('Error' in reply) throw new Error(reply.Error.message);
    return `http://${options.host}:${reply.Created.port}`;
}

/** One line per canister from the monitor's `get_system_health`. */
async function printHealth(pic: PocketIc, deployment: DeflowDeployment): Promise<void> {
    const monitor = pic.createActor<{ get_system_health: () => Promise<SystemHealth> }>(
        monitorIdlFactory as unknown as Parameters<PocketIc['createActor']>[0],
        deployment.peers.monitor
    );
    try {
        const health = await monitor.get_system_health();
        console.log(`\nHealth: ${Object.keys(health.status)[0]}; emergency mode: ${Object.keys(health.emergency.mode)[0]}; open alerts: ${health.open_alerts.length}`);
        // The monitor answered this very query, so it is up; the others report to it.
        console.log(`  ${'Monitor'.padEnd(12)} answering (checks ${health.canisters.length} canisters)`);
        for (const canister of health.canisters) {
            const role = Object.keys(canister.role)[0] ?? '?';
            const sample = canister.latest[0];
            const state = canister.stale ? 'stale' : sample === undefined ? 'no report yet' : `reporting (version ${sample.canister_version})`;
            console.log(`  ${role.padEnd(12)} ${state}`);
        }
    } catch (error) {
        console.warn(`health summary unavailable: ${error instanceof Error ? error.message : String(error)}`);
    }
}

/**
 * The CMC, the cycles ledger and the ICP ledger icp-cli creates canisters and mints cycles
 * through, seeded for the operator; deployed once, kept with the network (a network saved
 * before the ICP ledger gets it). Answers the line to print.
 */
async function ensureLocalCycles(pic: PocketIc, instance: Instance, operator: Principal): Promise<string> {
    const exists = (id: string): boolean => instance.canisterRecord(Principal.fromText(id).toUint8Array()) !== undefined;
    const ids = `Cycles ledger ${CYCLES_LEDGER_ID}, CMC ${CYCLES_MINTING_CANISTER_ID} and ICP ledger ${ICP_LEDGER_ID}`;
    const seededIcp = `${SEEDED_ICP_E8S / 100_000_000n} ICP seeded for ${operator.toText()} (icp cycles mint: 1 ICP = ${formatCycles(XDR_PERMYRIAD_PER_ICP * 100_000_000n, 1)} cycles)`;
    if (exists(CYCLES_LEDGER_ID) && exists(ICP_LEDGER_ID)) return `${ids}: icp canister create funds creation from the ledger; icp cycles mint converts ICP`;
    if (exists(CYCLES_LEDGER_ID)) {
        await addIcpMinting(pic, operator, [operator]);
        return `${ids}: ICP ledger added, CMC reinstalled to mint; ${seededIcp}`;
    }
    if (!(await hasCyclesSubnets(pic))) {
        return 'No cycles ledger: this network was saved before it had NNS and fiduciary subnets; icp canister create needs --proxy (or start with --fresh)';
    }
    await deployLocalCycles(pic, operator, [operator]);
    return `${ids}: deployed; ${formatCycles(SEEDED_CYCLES)} cycles and ${seededIcp}`;
}

/** Cycles in T, with `decimals` digits after the point. */
const formatCycles = (cycles: bigint, decimals = 0): string => `${(Number(cycles / 1_000_000_000n) / 1000).toFixed(decimals)} T`;
/** `<state>/dashboard.json`: `{ "dashboard": "<id>" }`. */
function readDashboard(path: string): Principal | null {
    if (!existsSync(path)) return null;
    return Principal.fromText((JSON.parse(readFileSync(path, 'utf8')) as { dashboard: string }).dashboard);
}

/**
 * Builds the frontend and puts it on the dashboard canister: created on a new network,
 * upgraded when its code changed, its files replaced on every start (the bundle may have).
 */
async function deployDashboard(pic: PocketIc, instance: Instance, deployment: DeflowDeployment, saved: Principal | null): Promise<Principal> {
    const distDir = await buildFrontend();
    const controller = deployment.controller;
    let canisterId = saved;
    if (canisterId === null) {
        canisterId = await createDashboardCanister(pic, controller);
    } else {
        const installed = instance.canisterRecord(canisterId.toUint8Array())?.runtime?.module.hash;
        if (installed === undefined || !dashboardWasmHash().equals(Buffer.from(installed))) await upgradeDashboardCanister(pic, canisterId, controller);
    }
    const files = await uploadDashboard(pic, canisterId, controller, distDir, localDashboardConfig(deployment));
    console.log(`dashboard: ${files} files on ${canisterId.toText()}`);
    return canisterId;
}

type SavedDeployment = { peers: Record<keyof Peers, string>; controller: string; admins?: string[] };

function readDeployment(path: string): DeflowDeployment | null {
    if (!existsSync(path)) return null;
    const saved = JSON.parse(readFileSync(path, 'utf8')) as SavedDeployment;
    const peers = Object.fromEntries(PEER_ROLES.map((role) => [role, Principal.fromText(saved.peers[role])])) as Peers;
    return { peers, config: { peers, admins: (saved.admins ?? []).map((a) => Principal.fromText(a)) }, controller: Principal.fromText(saved.controller) };
}

/** `<state>/demo.json`: the demo canister ids by name, which the CLI fills into `${demo.<name>}` placeholders. */
function readDemoIds(path: string): DemoIds | null {
    if (!existsSync(path)) return null;
    const saved = JSON.parse(readFileSync(path, 'utf8')) as Record<keyof DemoIds, string>;
    return Object.fromEntries(Object.entries(saved).map(([key, id]) => [key, Principal.fromText(id)])) as DemoIds;
}

function writeDemoIds(path: string, ids: DemoIds): void {
    writeFileSync(path, `${JSON.stringify(Object.fromEntries(Object.entries(ids).map(([key, id]) => [key, id.toText()])), null, 2)}\n`);
}

/** `<state>/icp-proxy.json`: `{ "proxy": "<id>" }`, the proxy canister for `icp ... --proxy`. */
function readProxy(path: string): Principal | null {
    if (!existsSync(path)) return null;
    return Principal.fromText((JSON.parse(readFileSync(path, 'utf8')) as { proxy: string }).proxy);
}

function writeDeployment(path: string, deployment: DeflowDeployment): void {
    const saved: SavedDeployment = {
        peers: Object.fromEntries(PEER_ROLES.map((role) => [role, deployment.peers[role].toText()])) as Record<keyof Peers, string>,
        controller: deployment.controller.toText(),
        admins: deployment.config.admins.map((a) => a.toText())
    };
    writeFileSync(path, `${JSON.stringify(saved, null, 2)}\n`);
}

async function main(): Promise<void> {
    const options = parseOptions(process.argv.slice(2));
    const projectRoot = resolve(__dirname, '..');
    const stateDir = resolve(projectRoot, options.stateDir ?? '.deflow');
    const networkDir = join(stateDir, 'network');
    const deploymentFile = join(stateDir, 'deployment.json');
    const demoFile = join(stateDir, 'demo.json');
    const proxyFile = join(stateDir, 'icp-proxy.json');
    const dashboardFile = join(stateDir, 'dashboard.json');
    mkdirSync(stateDir, { recursive: true });
    // Before anything else, so a second start neither rebuilds nor touches the saved network.
    const unlock = lockStateFolder(stateDir);
    process.on('exit', unlock);
    if (options.fresh) {
        for (const entry of [networkDir, deploymentFile, demoFile, proxyFile, dashboardFile]) rmSync(entry, { recursive: true, force: true });
    }
    console.log(`State: ${stateDir} (${formatBytes(folderBytes(stateDir))})`);
    const operator = loadDefaultIdentity();
    const operatorPrincipal = operator.identity.getPrincipal();

    const rebuilt = [
        ...(await buildCanisters(projectRoot, [...PEER_ROLES, ...new Set(Object.values(DEMO_CANISTERS)), 'dashboard'])),
        ...(await buildCanisters(SYSTEM_CANISTERS_DIR, ['proxy', 'cmc', 'cycles_ledger', 'icp_ledger']))
    ];
    console.log(rebuilt.length === 0 ? 'canisters are up to date' : `built ${rebuilt.join(', ')}`);

    // The first instance created through the REST API is the saved network, when there is one.
    let network: { instance: Instance; config: InstanceConfig } | null = null;
    const registry = new InstanceRegistry(() => (config) => {
        if (network === null) {
            network = hasSavedInstance(networkDir) ? loadInstance(networkDir) : { instance: new Instance(config), config };
            return network.instance;
        }
        return new Instance(config);
    });
    const server = await startHttpServer({ host: options.host, port: 0, context: { registry, blobs: blobStore } });
    const pic = await PocketIc.create(`http://127.0.0.1:${server.port}`, LOCAL_NETWORK_SUBNETS);

    let deployment = hasSavedInstance(networkDir) ? readDeployment(deploymentFile) : null;
    let demo = deployment === null ? null : readDemoIds(demoFile);
    const restored = deployment !== null;
    if (deployment === null) {
        // A new network starts at the wall clock, as live mode will run it: deployed at
        // PocketIC's genesis (2021), the first health check after going live would find every
        // report five years old and raise StaleHeartbeat alerts.
        await pic.setTime(Date.now());
        deployment = await deployDeflow(pic, { admins: [operatorPrincipal], controller: operatorPrincipal });
        console.log('deployed the four canisters');
    } else {
        // A network saved before the monitor controlled its peers: grant it now (see docs/security.md).
        await grantMonitorControl(pic, deployment.peers, deployment.controller);
        for (const role of PEER_ROLES) {
            const record = network!.instance.canisterRecord(deployment.peers[role].toUint8Array());
            const installed = record?.runtime?.module.hash;
            const built = createHash('sha256').update(deflowWasm(role)).digest();
            if (installed === undefined || !built.equals(Buffer.from(installed))) {
                try {
                    await upgradeDeflowCanister(pic, deployment, role);
                    console.log(`upgraded ${role}: its code changed`);
                } catch (error) {
                    // A refused upgrade leaves the canister running its previous code with all its state.
                    console.warn(`upgrading ${role} was refused; it keeps running its previous code: ${error instanceof Error ? error.message : String(error)}`);
                }
            }
        }
    }
    if (demo === null) {
        demo = await deployDemoCanisters(pic, operatorPrincipal);
        console.log('deployed the demo canisters (price_oracle, backup_price_oracle, lending_position)');
    }
    let proxy = restored ? readProxy(proxyFile) : null;
    if (proxy === null) {
        proxy = await deployIcpProxy(pic, operatorPrincipal);
        writeFileSync(proxyFile, `${JSON.stringify({ proxy: proxy.toText() }, null, 2)}\n`);
    }
    const cycles = await ensureLocalCycles(pic, network!.instance, operatorPrincipal);
    const dashboard = await deployDashboard(pic, network!.instance, deployment, restored ? readDashboard(dashboardFile) : null);
    writeFileSync(dashboardFile, `${JSON.stringify({ dashboard: dashboard.toText() }, null, 2)}\n`);
    writeDeployment(deploymentFile, deployment);
    writeDemoIds(demoFile, demo);
    const saver = new IncrementalSaver(networkDir);
    const save = (): void => {
        if (network === null) return;
        const report = saver.save(network.instance, network.config);
        if (process.env.DEFLOW_SAVE_LOG === '1') {
            console.log(`saved: wrote ${formatBytes(report.bytesWritten)} (${report.chunksWritten} new chunks of ${report.chunksSeen} hashed) in ${Math.round(report.ms)} ms; state folder ${formatBytes(folderBytes(stateDir))}`);
        }
    };
    save();

    // Time follows the wall clock and rounds run by themselves, so timers and schedules fire;
    // the gateway serves the IC HTTP interface for agents, dfx, icp and the deflow CLI.
    const restUrl = `http://127.0.0.1:${server.port}`;
    let url: string;
    try {
        url = await goLive(restUrl, options);
    } catch (error) {
        url = restUrl;
        console.warn(`the IC HTTP interface is unavailable (${error instanceof Error ? error.message : String(error)}); serving the PocketIC REST API only`);
    }
    console.log(`\nDeFlow local network: ${url}`);
    console.log(`Dashboard: ${url === restUrl ? '(needs the HTTP gateway)' : dashboardUrl(url, dashboard)}`);
    for (const role of PEER_ROLES) console.log(`  ${role.padEnd(12)} ${deployment.peers[role].toText()}`);
    console.log(`Demo canisters (${demoFile}):`);
    for (const [name, id] of Object.entries(demo)) console.log(`  ${name.padEnd(20)} ${id.toText()}`);
    console.log(`icp proxy canister (${proxyFile}; icp canister create --proxy ...): ${proxy.toText()}`);
    console.log(cycles);
    console.log(`Controller: ${deployment.controller.toText()}`);
    console.log(`Admins: ${deployment.config.admins.map((a) => a.toText()).join(', ') || '(none)'}`);
    console.log(`Your deflow CLI identity (${operator.source}): ${operatorPrincipal.toText()}`);
    await printHealth(pic, deployment);
    console.log(`\nState: ${stateDir} (${formatBytes(folderBytes(stateDir))}; saved every minute and on exit). Press Ctrl-C to stop.`);

    const autosave = setInterval(save, AUTOSAVE_MS);
    const stop = async (): Promise<void> => {
        clearInterval(autosave);
        network?.instance.stopAutoProgress();
        save();
        console.log(`\nsaved the network to ${networkDir}`);
        await server.close();
        registry.disposeAll();
        process.exit(0);
    };
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
    console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
    // A refused second start is the user's situation, not a failure of this one: exit code 2.
    process.exit(error instanceof StateFolderBusy ? 2 : 1);
});
