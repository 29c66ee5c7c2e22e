/**
 * Deploys the dashboard: the `dashboard` canister (an asset canister of DeFlow's own, see
 * canisters/dashboard) with the built frontend (frontend/dist) and `/deflow-config.json`, which
 * tells the page where the DeFlow canisters are and who the admins are. Used by `npm start`
 * and the browser tests.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';
import type { PocketIc } from '@dfinity/pic';

import { dashboardAssetsMethods, type PutAssetResult } from '../shared/dashboard/assets-api';
import type { DeflowDeployment } from './deploy';
import { builtWasm } from './deploy';

const M = dashboardAssetsMethods(IDL);

/** What `/deflow-config.json` holds (frontend/src/config.ts reads it). */
export type DashboardConfigFile = { network: 'local' | 'ic'; host: string; canisterIds: Record<'orchestrator' | 'scheduler' | 'monitor' | 'executor', string>; admins: string[] };

export const DASHBOARD_CONFIG_PATH = '/deflow-config.json';

/** A chunk well under the 2 MB ingress limit, leaving room for the Candid envelope. */
const UPLOAD_CHUNK_BYTES = 1_500_000;

const CONTENT_TYPES: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.json': 'application/json',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.ico': 'image/x-icon',
    '.woff2': 'font/woff2',
    '.txt': 'text/plain; charset=utf-8'
};

export function contentTypeOf(path: string): string {
    return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** The configuration file for a deployment on the local network (the page's own origin is the gateway). */
export function localDashboardConfig(deployment: DeflowDeployment): DashboardConfigFile {
    const p = deployment.peers;
    return { network: 'local', host: '', canisterIds: { orchestrator: p.orchestrator.toText(), scheduler: p.scheduler.toText(), monitor: p.monitor.toText(), executor: p.executor.toText() }, admins: deployment.config.admins.map((a) => a.toText()) };
}

function filesOf(dir: string): { path: string; bytes: Uint8Array }[] {
    const found: { path: string; bytes: Uint8Array }[] = [];
    const walk = (current: string): void => {
        for (const name of readdirSync(current).sort()) {
            const full = join(current, name);
            if (statSync(full).isDirectory()) walk(full);
            else found.push({ path: `/${relative(dir, full).split(sep).join('/')}`, bytes: new Uint8Array(readFileSync(full)) });
        }
    };
    walk(dir);
    return found;
}

async function putAsset(pic: PocketIc, canisterId: Principal, sender: Principal, path: string, bytes: Uint8Array): Promise<void> {
    for (let offset = 0; offset === 0 || offset < bytes.length; offset += UPLOAD_CHUNK_BYTES) {
        const arg = { path, content_type: contentTypeOf(path), chunk: bytes.subarray(offset, offset + UPLOAD_CHUNK_BYTES), append: offset > 0 };
        const reply = await pic.updateCall({ canisterId, method: 'put_asset', arg: new Uint8Array(IDL.encode(M.put_asset.args, [arg])), sender });
        const [result] = IDL.decode([M.put_asset.ret], reply) as unknown as [PutAssetResult];
        if ('Err' in result) throw new Error(`the dashboard canister refused ${path}: ${JSON.stringify(result.Err)}`);
    }
}

/**
 * Uploads the built files and the configuration, then removes files an earlier build left
 * (old hashed bundles). Answers the number of files stored.
 */
export async function uploadDashboard(pic: PocketIc, canisterId: Principal, sender: Principal, distDir: string, config: DashboardConfigFile): Promise<number> {
    const files = [...filesOf(distDir), { path: DASHBOARD_CONFIG_PATH, bytes: new TextEncoder().encode(`${JSON.stringify(config, null, 2)}\n`) }];
    for (const file of files) await putAsset(pic, canisterId, sender, file.path, file.bytes);
    const listed = IDL.decode([M.list_assets.ret], await pic.queryCall({ canisterId, method: 'list_assets', arg: new Uint8Array(IDL.encode([], [])), sender })) as unknown as [{ path: string }[]];
    const keep = new Set(files.map((f) => f.path));
    for (const { path } of listed[0].filter((a) => !keep.has(a.path))) {
        await pic.updateCall({ canisterId, method: 'delete_asset', arg: new Uint8Array(IDL.encode(M.delete_asset.args, [path])), sender });
    }
    return files.length;
}

export function dashboardWasm(): Uint8Array {
    return builtWasm('dashboard');
}

export function dashboardWasmHash(): Buffer {
    return createHash('sha256').update(dashboardWasm()).digest();
}

/** The empty Candid argument list (`DIDL\0\0`) its init and post-upgrade take (they certify the files). */
const NO_ARGUMENTS = new Uint8Array(IDL.encode([], []));

/** Creates and installs the dashboard canister, controlled by `controller`. */
export async function createDashboardCanister(pic: PocketIc, controller: Principal): Promise<Principal> {
    const canisterId = await pic.createCanister({ sender: controller });
    await pic.installCode({ canisterId, wasm: dashboardWasm(), sender: controller, arg: NO_ARGUMENTS });
    return canisterId;
}

/** Upgrades the dashboard canister to the built code (its files are kept in stable memory). */
export async function upgradeDashboardCanister(pic: PocketIc, canisterId: Principal, controller: Principal): Promise<void> {
    await pic.upgradeCanister({ canisterId, wasm: dashboardWasm(), sender: controller, arg: NO_ARGUMENTS });
}

/** The URL a browser opens: the gateway serves the canister at `<id>.localhost` (Chromium and Firefox resolve it to loopback). */
export function dashboardUrl(gatewayUrl: string, canisterId: Principal): string {
    const url = new URL(gatewayUrl);
    return `${url.protocol}//${canisterId.toText()}.localhost:${url.port}/`;
}
