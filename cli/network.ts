/**
 * Which network and which canisters the CLI talks to.
 *
 * - `--network local` (default): http://127.0.0.1:4943 (`$DEFLOW_PORT` changes the port), the
 *   root key fetched from the network (a local network's key is not the IC's);
 * - `--network ic`: https://icp-api.io with the IC's built-in root key;
 * - `--network <url>`: any other URL; the root key is fetched unless the host is
 *   `icp-api.io`/`ic0.app`/`icp0.io`.
 *
 * Canister ids: `--orchestrator/--scheduler/--monitor ID`, else `$DEFLOW_ORCHESTRATOR_ID`
 * (…`_SCHEDULER_ID`, …`_MONITOR_ID`), else the deployment file `npm start` writes
 * (`--deployment PATH`, or `.deflow/deployment.json` in this folder or a parent; only for a
 * local network).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { HttpAgent, type Identity } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';

import { callFailureOf } from '../client/errors';
import { CliError, messageOf } from './errors';

/** Where to send requests and whether to trust the network's own root key. */
export type NetworkTarget = { name: string; url: string; fetchRootKey: boolean };

const IC_URL = 'https://icp-api.io';
const IC_HOSTS = ['icp-api.io', 'ic0.app', 'icp0.io'];

/**
 * Resolves `--network`.
 *
 * @example
 * resolveNetwork('local') // { name: 'local', url: 'http://127.0.0.1:4943', fetchRootKey: true }
 */
export function resolveNetwork(network: string, env: NodeJS.ProcessEnv = process.env): NetworkTarget {
    if (network === 'local') return { name: 'local', url: `http://127.0.0.1:${env.DEFLOW_PORT ?? '4943'}`, fetchRootKey: true };
    if (network === 'ic') return { name: 'ic', url: IC_URL, fetchRootKey: false };
    let url: URL;
    try {
        url = new URL(network);
    } catch {
        throw new CliError('Usage', `--network must be local, ic or an http(s) URL, got "${network}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError('Usage', `--network URL must be http or https, got "${network}"`);
    const isIc = IC_HOSTS.some((h) => url.hostname === h || url.hostname.endsWith(`.${h}`));
    return { name: network, url: url.origin, fetchRootKey: !isIc };
}

/** The canister ids the CLI uses. */
export type CanisterIds = { orchestrator: Principal; scheduler: Principal; monitor: Principal };
type Role = keyof CanisterIds;
const ROLES: readonly Role[] = ['orchestrator', 'scheduler', 'monitor'];

/** Finds `.deflow/deployment.json` in `dir` or a parent. */
export function findDeploymentFile(dir: string): string | undefined {
    for (let current = resolve(dir); ; current = dirname(current)) {
        const candidate = join(current, '.deflow', 'deployment.json');
        if (existsSync(candidate)) return candidate;
        if (dirname(current) === current) return undefined;
    }
}

function parsePrincipal(text: string, what: string): Principal {
    try {
        const p = Principal.fromText(text);
        if (p.toText() !== text) throw new Error('not canonical');
        return p;
    } catch {
        throw new CliError('Usage', `${what} is not a principal: "${text}"`);
    }
}

/** Reads the peers of a deployment file (`{ peers: { orchestrator: "…", … }, controller }`). */
export function readDeploymentFile(path: string): Partial<Record<Role, Principal>> {
    let parsed: unknown;
    try {
        parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
        throw new CliError('BadInput', `cannot read the deployment file ${path}: ${messageOf(error)}`);
    }
    const peers = typeof parsed === 'object' && parsed !== null && 'peers' in parsed ? parsed.peers : undefined;
    if (typeof peers !== 'object' || peers === null) throw new CliError('BadInput', `${path} has no "peers" object`);
    const out: Partial<Record<Role, Principal>> = {};
    for (const role of ROLES) {
        const value: unknown = (peers as Record<string, unknown>)[role];
        if (typeof value === 'string') out[role] = parsePrincipal(value, `${path}: peers.${role}`);
    }
    return out;
}

/**
 * Canister ids from flags, environment and deployment file, in that order of precedence.
 * Only the roles a command needs must be present; a missing one is reported by {@link requireId}.
 */
export function resolveCanisterIds(
    flags: Partial<Record<Role, string>>,
    options: { network: NetworkTarget; deploymentFile?: string; cwd: string; env?: NodeJS.ProcessEnv }
): { ids: Partial<CanisterIds>; deploymentFile: string | undefined } {
    const env = options.env ?? process.env;
    const file = options.deploymentFile ?? (options.network.name === 'local' ? findDeploymentFile(options.cwd) : undefined);
    const fromFile = file === undefined ? {} : readDeploymentFile(file);
    const ids: Partial<CanisterIds> = {};
    for (const role of ROLES) {
        const flag = flags[role];
        const fromEnv = env[`DEFLOW_${role.toUpperCase()}_ID`];
        if (flag !== undefined) ids[role] = parsePrincipal(flag, `--${role}`);
        else if (fromEnv !== undefined && fromEnv !== '') ids[role] = parsePrincipal(fromEnv, `$DEFLOW_${role.toUpperCase()}_ID`);
        else if (fromFile[role] !== undefined) ids[role] = fromFile[role];
    }
    return { ids, deploymentFile: file };
}

/** Every id, or a usage error naming the missing ones and how to give them. */
export function requireIds(ids: Partial<CanisterIds>): CanisterIds {
    const missing = ROLES.filter((r) => ids[r] === undefined);
    if (missing.length > 0) {
        throw new CliError(
            'Usage',
            `no canister id for ${missing.join(', ')}`,
            ['start the local network with `npm start` (it writes .deflow/deployment.json), or pass ' + missing.map((m) => `--${m} ID`).join(' ')]
        );
    }
    return ids as CanisterIds;
}

/**
 * An HttpAgent for the network; a local network's root key is fetched here, so an
 * unreachable URL fails now with a network error.
 */
export async function createAgent(network: NetworkTarget, identity: Identity): Promise<HttpAgent> {
    try {
        return await HttpAgent.create({ host: network.url, identity, shouldFetchRootKey: network.fetchRootKey });
    } catch (error) {
        const failure = callFailureOf(error);
        if (failure === null) throw error;
        throw new CliError('Network', `cannot reach the ${network.name} network at ${network.url}: ${failure.message}`, ['is it running? `npm start` serves the local network on http://127.0.0.1:4943']);
    }
}
