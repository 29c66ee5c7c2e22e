/**
 * Which network and which canisters the CLI talks to.
 *
 * - `--network local` (default): http://127.0.0.1:4943 (`$DEFLOW_PORT` changes the port), the
 *   root key fetched from the network (a local network's key is not the IC's);
 * - `--network ic`: https://icp-api.io with the IC's built-in root key;
 * - `--network <url>`: any other URL; the root key is fetched unless the host is
 *   `icp-api.io`/`ic0.app`/`icp0.io`.
 *
 * Canister ids: `--orchestrator/--scheduler/--monitor/--executor ID`, else `$DEFLOW_ORCHESTRATOR_ID`
 * (…`_SCHEDULER_ID`, …`_MONITOR_ID`, …`_EXECUTOR_ID`), else the deployment file `npm start` writes
 * (`--deployment PATH`, or `.deflow/deployment.json` in this folder or a parent; only for a
 * local network).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { HttpAgent, type Identity } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';

import { callFailureOf } from '../client/errors';
import { CliError, messageOf, notAnIcNetworkAdvice, unreachableAdvice, type Advice } from './errors';
import { readIdsFile } from './placeholders';

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

/** The canister ids the CLI uses; the executor's only for `versions`. */
export type CanisterIds = { orchestrator: Principal; scheduler: Principal; monitor: Principal; executor?: Principal };
type Role = keyof CanisterIds;
/** The roles every networked command needs. */
const REQUIRED_ROLES = ['orchestrator', 'scheduler', 'monitor'] as const;
const ROLES: readonly Role[] = [...REQUIRED_ROLES, 'executor'];

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

/** The deployment file to use: the one given, else (local network only) `.deflow/deployment.json` in `cwd` or a parent. */
export function deploymentFileFor(given: string | undefined, network: NetworkTarget, cwd: string): string | undefined {
    return given ?? (network.name === 'local' ? findDeploymentFile(cwd) : undefined);
}

/** The file of demo canister ids `npm start` writes beside the deployment file. */
export const DEMO_IDS_FILE = 'demo.json';

/**
 * The demo canister ids of a deployment (`{ price_oracle: "…", … }`): the deployment file's
 * `demo` object when it has one, else `demo.json` beside it; `undefined` when neither exists.
 */
export function demoIdsBeside(deploymentFile: string): Record<string, string> | undefined {
    const parsed: unknown = JSON.parse(readFileSync(deploymentFile, 'utf8'));
    const inline = typeof parsed === 'object' && parsed !== null && 'demo' in parsed ? parsed.demo : undefined;
    if (typeof inline === 'object' && inline !== null) {
        return Object.fromEntries(Object.entries(inline).filter((e): e is [string, string] => typeof e[1] === 'string'));
    }
    const beside = join(dirname(deploymentFile), DEMO_IDS_FILE);
    return existsSync(beside) ? readIdsFile(beside) : undefined;
}

/**
 * Canister ids from flags, environment and deployment file, in that order of precedence.
 * Only the roles a command needs must be present; a missing one is reported by {@link requireIds}.
 */
export function resolveCanisterIds(flags: Partial<Record<Role, string>>, options: { deploymentFile: string | undefined; env?: NodeJS.ProcessEnv }): Partial<CanisterIds> {
    const env = options.env ?? process.env;
    const file = options.deploymentFile;
    const fromFile = file === undefined ? {} : readDeploymentFile(file);
    const ids: Partial<CanisterIds> = {};
    for (const role of ROLES) {
        const flag = flags[role];
        const fromEnv = env[`DEFLOW_${role.toUpperCase()}_ID`];
        if (flag !== undefined) ids[role] = parsePrincipal(flag, `--${role}`);
        else if (fromEnv !== undefined && fromEnv !== '') ids[role] = parsePrincipal(fromEnv, `$DEFLOW_${role.toUpperCase()}_ID`);
        else if (fromFile[role] !== undefined) ids[role] = fromFile[role];
    }
    return ids;
}

/** Every required id, or a usage error naming the missing ones and how to give them. */
export function requireIds(ids: Partial<CanisterIds>): CanisterIds {
    const missing = REQUIRED_ROLES.filter((r) => ids[r] === undefined);
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
 * unreachable or wrong URL fails now, with a message that says what to do.
 */
export async function createAgent(network: NetworkTarget, identity: Identity): Promise<HttpAgent> {
    try {
        return await HttpAgent.create({ host: network.url, identity, shouldFetchRootKey: network.fetchRootKey });
    } catch (error) {
        const failure = callFailureOf(error);
        if (failure === null) throw error;
        const advice: Advice =
            failure.kind === 'Unreachable'
                ? unreachableAdvice(network, failure)
                : failure.kind === 'Http'
                  ? notAnIcNetworkAdvice(network, failure)
                  : { message: `the ${network.name} network at ${network.url} gave an answer the agent refused: ${failure.message}`, hints: ['check --network'] };
        throw new CliError('Network', advice.message, advice.hints);
    }
}
