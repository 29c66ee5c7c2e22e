/**
 * Deploys the four DeFlow canisters on a PocketIC instance (the project's local network or a
 * real PocketIC), wired to each other the way `dfx deploy` wires them: all four are created
 * first (so every id is known), then each is installed with the same `DeploymentConfig`.
 * Used by `npm start`, the CLI and the integration tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';

import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import type { Actor, ActorInterface, PocketIc } from '@dfinity/pic';

type Identity = Parameters<Actor<Record<string, never>>['setIdentity']>[0];

import { AgentModuleChunkWire, AgentModuleWire } from '../shared/agent/executor-agent-api';
import { encodeDeploymentArg, PEER_ROLES, type DeploymentConfig, type PeerRole, type Peers } from '../shared/common/deployment';

const PROJECT_ROOT = resolve(__dirname, '..');
const INSTALL_ORDER: readonly PeerRole[] = ['monitor', 'orchestrator', 'scheduler', 'executor'];

/** The wasm `npm run build` produced for a canister of dfx.json. */
export function builtWasmPath(name: string): string {
    const path = resolve(PROJECT_ROOT, '.azle', name, `${name}.wasm`);
    if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build`);
    return path;
}

/** The wasm `npm run build` produced for a DeFlow canister. */
export function deflowWasmPath(role: PeerRole): string {
    return builtWasmPath(role);
}

const wasmCache = new Map<string, Uint8Array>();
export function builtWasm(name: string): Uint8Array {
    let wasm = wasmCache.get(name);
    if (wasm === undefined) {
        wasm = new Uint8Array(readFileSync(builtWasmPath(name)));
        wasmCache.set(name, wasm);
    }
    return wasm;
}

export function deflowWasm(role: PeerRole): Uint8Array {
    return builtWasm(role);
}

export type DeflowDeployment = {
    peers: Peers;
    config: DeploymentConfig;
    /** The principal that created and controls the canisters. */
    controller: Principal;
};

/**
 * Creates and installs the four canisters. `admins` may toggle emergency mode; the
 * `controller` (pic-js's default sender unless given) controls every canister.
 */
export async function deployDeflow(
    pic: PocketIc,
    options: { admins?: Principal[]; controller?: Principal; withoutAgentModule?: boolean } = {}
): Promise<DeflowDeployment> {
    const sender = options.controller;
    const ids = {} as Record<PeerRole, Principal>;
    for (const role of PEER_ROLES) {
        ids[role] = await pic.createCanister(sender === undefined ? {} : { sender });
    }
    const controller = sender ?? Principal.anonymous();
    await grantMonitorControl(pic, ids, controller);
    const config: DeploymentConfig = { peers: ids, admins: options.admins ?? [] };
    // The monitor first: the others send it a health report as soon as they are installed.
    for (const role of INSTALL_ORDER) {
        await pic.installCode({
            canisterId: ids[role],
            wasm: deflowWasm(role),
            arg: encodeDeploymentArg(config),
            ...(sender === undefined ? {} : { sender })
        });
    }
    if (options.withoutAgentModule !== true) await uploadAgentModule(pic, ids, sender);
    // Azle seeds its PRNG from raw_rand on a timer after init; let that settle.
    await pic.tick(3);
    return { peers: ids, config, controller };
}

/** The canisters the monitor watches, and so controls. */
const MONITORED_ROLES = ['orchestrator', 'scheduler', 'executor'] as const;

/**
 * Makes the monitor a controller of the canisters it watches (idempotent: sets the full
 * controller list of each). `controller` is the deploying principal and the sender. `npm start`
 * also calls it on a restored network deployed before the monitor was a controller.
 */
export async function grantMonitorControl(pic: PocketIc, ids: Peers, controller: Principal): Promise<void> {
    for (const role of MONITORED_ROLES) {
        await pic.updateCanisterSettings({ canisterId: ids[role], controllers: peerControllers(role, controller, ids), sender: controller });
    }
}

/**
 * The controllers of a DeFlow canister: the deploying principal; for the three the monitor
 * watches, the monitor too, because `canister_status` (real memory, cycles, idle burn, module
 * hash) answers controllers only, as a cycle-monitoring service needs. No canister controls
 * itself (the executor installs agents from each agent's own chunk store, which it controls as
 * the agent's controller). See docs/security.md.
 *
 * @example
 * peerControllers('scheduler', operator, ids) // [operator, ids.monitor]
 */
export function peerControllers(role: PeerRole, controller: Principal, ids: Peers): Principal[] {
    return role === 'monitor' ? [controller] : [controller, ids.monitor];
}

/** The agent module, gzip-compressed (about 1.3 MB instead of 4.3 MB: two chunks instead of five). */
let agentModuleCache: Uint8Array | undefined;
export function agentModuleBytes(): Uint8Array {
    agentModuleCache ??= new Uint8Array(gzipSync(readFileSync(builtWasmPath('agent')), { level: 9 }));
    return agentModuleCache;
}

/** `upload_agent_module_chunk` takes at most 1 MiB (what the executor hands on to an agent's `upload_chunk`). */
const CHUNK_BYTES = 1024 * 1024;

/**
 * How the agent module reaches an executor: `update(method, arg)` calls one of the executor's
 * methods (`upload_agent_module_chunk`, `set_agent_module`) as an admin or controller, with and
 * answering Candid bytes. A PocketIC client (`npm start`, tests) and an HTTP agent
 * (`npm run icp:deploy`) each provide one.
 */
export type AgentModuleTransport = {
    update(method: 'upload_agent_module_chunk' | 'set_agent_module', arg: Uint8Array): Promise<Uint8Array>;
};

const ResultOfIdl = (ok: IDL.Type): IDL.Type => IDL.Variant({ Ok: ok, Err: IDL.Reserved });

/**
 * Uploads the agent module to the executor in chunks of at most 1 MiB, each with its sha256
 * (it keeps them in its stable memory, so an upgrade of the executor keeps them), and names
 * them with `set_agent_module` with the sha256 of the whole. The management canister checks
 * both hashes when the executor installs an agent. Admins and controllers only.
 */
export async function installAgentModule(transport: AgentModuleTransport, wasm: Uint8Array = agentModuleBytes()): Promise<void> {
    const sha256 = (bytes: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(bytes).digest());
    const hashes: Uint8Array[] = [];
    for (let offset = 0; offset < wasm.length; offset += CHUNK_BYTES) {
        const chunk = wasm.subarray(offset, offset + CHUNK_BYTES);
        hashes.push(sha256(chunk));
        const reply = await transport.update('upload_agent_module_chunk', new Uint8Array(IDL.encode([AgentModuleChunkWire.idl], [{ chunk, sha256: hashes[hashes.length - 1] }])));
        const [result] = IDL.decode([ResultOfIdl(IDL.Null)], reply) as unknown as [{ Ok: null } | { Err: unknown }];
        if (!('Ok' in result)) throw new Error('the executor refused a chunk of the agent module (upload_agent_module_chunk)');
    }
    const reply = await transport.update('set_agent_module', new Uint8Array(IDL.encode([AgentModuleWire.idl], [{ chunk_hashes: hashes, wasm_module_hash: sha256(wasm) }])));
    const [result] = IDL.decode([ResultOfIdl(IDL.Null)], reply) as unknown as [{ Ok: null } | { Err: unknown }];
    if (!('Ok' in result)) throw new Error('the executor refused the agent module (set_agent_module)');
}

/**
 * Hands the executor the module it creates owners' agents from (`installAgentModule`). Part
 * of every deployment; a new agent module is the same step, then `upgrade_agents`.
 */
export async function uploadAgentModule(pic: PocketIc, ids: Peers, sender?: Principal): Promise<void> {
    const executor = ids.executor;
    const as = sender === undefined ? {} : { sender };
    await installAgentModule({ update: async (method, arg) => await pic.updateCall({ canisterId: executor, method, arg, ...as }) });
}

/** The demo canisters the examples call, by the names `.deflow/demo.json` gives them. */
export const DEMO_CANISTERS = {
    price_oracle: 'price_oracle',
    backup_price_oracle: 'price_oracle',
    lending_position: 'lending_position'
} as const;
export type DemoCanisterKey = keyof typeof DEMO_CANISTERS;
export type DemoIds = Record<DemoCanisterKey, Principal>;

/**
 * Creates and installs the demo canisters (a price oracle, a backup oracle, a lending
 * position), controlled by `controller`. They take no init argument.
 */
export async function deployDemoCanisters(pic: PocketIc, controller: Principal): Promise<DemoIds> {
    const ids = {} as DemoIds;
    for (const key of Object.keys(DEMO_CANISTERS) as DemoCanisterKey[]) {
        ids[key] = await pic.createCanister({ sender: controller });
        await pic.installCode({ canisterId: ids[key], wasm: builtWasm(DEMO_CANISTERS[key]), sender: controller });
    }
    await pic.tick(3);
    return ids;
}

/** The folder of the system canisters a local network provides (built by `npm run build`). */
export const SYSTEM_CANISTERS_DIR = resolve(PROJECT_ROOT, 'localnet', 'system-canisters');

/**
 * Creates and installs the proxy canister icp-cli uses on local networks (`--proxy`), with
 * `controller` as its only controller and the cycles a provisional creation gives.
 */
export async function deployIcpProxy(pic: PocketIc, controller: Principal): Promise<Principal> {
    const path = resolve(SYSTEM_CANISTERS_DIR, '.azle', 'proxy', 'proxy.wasm');
    if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build`);
    const canisterId = await pic.createCanister({ sender: controller });
    await pic.installCode({ canisterId, wasm: new Uint8Array(readFileSync(path)), sender: controller });
    return canisterId;
}

/** Wall-clock milliseconds of each step of {@link upgradeDeflowCanister}. */
export type UpgradeTiming = { stopMs: number; installMs: number; startMs: number };

/**
 * Upgrades one canister the way dfx does: stop, install in upgrade mode, start (the executor
 * keeps the agent module in its stable memory, so nothing is uploaded again). The canister
 * is started again even when the install is refused (a trapping `post_upgrade`), so it keeps
 * serving its old code; the install error is then rethrown.
 *
 * `whileStopped` runs between the stop and the install: upgrade drills use it to keep the
 * other canisters busy (and let time pass) while this one is down. Its time is not counted.
 *
 * @example
 * const t = await upgradeDeflowCanister(pic, deployment, 'scheduler');
 * console.log(t.stopMs + t.installMs + t.startMs);
 */
export async function upgradeDeflowCanister(
    pic: PocketIc,
    deployment: DeflowDeployment,
    role: PeerRole,
    options: { wasm?: Uint8Array; config?: DeploymentConfig | null; whileStopped?: () => Promise<void> } = {}
): Promise<UpgradeTiming> {
    const canisterId = deployment.peers[role];
    const sender = deployment.controller;
    let mark = performance.now();
    const lap = (): number => {
        const elapsed = performance.now() - mark;
        mark = performance.now();
        return elapsed;
    };
    await pic.stopCanister({ canisterId, sender });
    const stopMs = lap();
    let installMs = 0;
    let startMs = 0;
    try {
        if (options.whileStopped !== undefined) await options.whileStopped();
        lap();
        await pic.upgradeCanister({
            canisterId,
            wasm: options.wasm ?? deflowWasm(role),
            arg: encodeDeploymentArg(options.config === undefined ? null : options.config),
            sender
        });
    } finally {
        installMs = lap();
        await pic.startCanister({ canisterId, sender });
        startMs = lap();
    }
    return { stopMs, installMs, startMs };
}

/** A typed actor for one canister of a deployment. */
export function deflowActor<T extends ActorInterface<T>>(pic: PocketIc, deployment: DeflowDeployment, role: PeerRole, idlFactory: IDL.InterfaceFactory, identity?: Identity): Actor<T> {
    const actor = pic.createActor<T>(idlFactory as unknown as Parameters<PocketIc['createActor']>[0], deployment.peers[role]);
    if (identity !== undefined) actor.setIdentity(identity);
    return actor;
}
