/**
 * The network an icp-cli environment deploys to, read from the project's `icp.yaml` as icp
 * reads it: `environments[].network` names an entry of `networks[]` (a `connected` network has
 * a `url` and `root-key: fetch` for a local one) or `ic`, the mainnet, which needs no entry.
 * `npm run icp:deploy` uses it for the one step icp has no command for.
 */
import { readFileSync } from 'node:fs';

import { parse } from 'yaml';

export type IcpNetwork = { url: string; fetchRootKey: boolean };

/** The IC's own boundary (icp-cli's built-in `ic` network). */
export const IC_NETWORK: IcpNetwork = { url: 'https://icp-api.io', fetchRootKey: false };

type IcpYaml = { networks?: { name: string; url?: string; 'root-key'?: string }[]; environments?: { name: string; network?: string }[] };

/**
 * @example
 * networkOfYaml('environments: [{ name: dev, network: ic }]', 'dev') // IC_NETWORK
 */
export function networkOfYaml(text: string, environment: string): IcpNetwork {
    const project = (parse(text) ?? {}) as IcpYaml;
    const env = project.environments?.find((e) => e.name === environment);
    if (env === undefined) throw new Error(`icp.yaml has no environment ${environment}`);
    const name = env.network ?? 'local';
    const network = project.networks?.find((n) => n.name === name);
    if (network === undefined) {
        if (name === 'ic') return IC_NETWORK;
        throw new Error(`icp.yaml: environment ${environment} names network ${name}, which has no entry with a url`);
    }
    if (network.url === undefined) throw new Error(`icp.yaml: network ${name} has no url (a connected network is needed here)`);
    return { url: network.url, fetchRootKey: network['root-key'] === 'fetch' };
}

export function networkOfEnvironment(icpYamlPath: string, environment: string): IcpNetwork {
    return networkOfYaml(readFileSync(icpYamlPath, 'utf8'), environment);
}
