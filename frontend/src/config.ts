/**
 * What the dashboard needs to know about its deployment, read at start from
 * `/deflow-config.json`, which the deployer uploads beside the bundle (so one bundle serves
 * any deployment).
 */
export type DashboardConfig = {
    /** `local`: the local network (local key sign-in, root key fetched); `ic`: mainnet (Internet Identity). */
    network: 'local' | 'ic';
    /** Where the agent sends calls; empty for the page's own origin (the gateway that served it). */
    host: string;
    canisterIds: { orchestrator: string; scheduler: string; monitor: string; executor: string };
    /** The deployment's admins (principal text): they see the admin controls; the canisters decide what they may do. */
    admins: string[];
};

function isStringRecord(value: unknown, keys: readonly string[]): value is Record<string, string> {
    return typeof value === 'object' && value !== null && keys.every((k) => typeof (value as Record<string, unknown>)[k] === 'string');
}

/** Checks the shape of the configuration file; throws a readable error naming what is wrong. */
export function parseConfig(value: unknown): DashboardConfig {
    if (typeof value !== 'object' || value === null) throw new Error('deflow-config.json is not a JSON object');
    const v = value as Record<string, unknown>;
    if (v.network !== 'local' && v.network !== 'ic') throw new Error('deflow-config.json: network must be "local" or "ic"');
    if (typeof v.host !== 'string') throw new Error('deflow-config.json: host must be a string');
    if (!isStringRecord(v.canisterIds, ['orchestrator', 'scheduler', 'monitor', 'executor'])) throw new Error('deflow-config.json: canisterIds needs orchestrator, scheduler, monitor and executor');
    if (!Array.isArray(v.admins) || !v.admins.every((a) => typeof a === 'string')) throw new Error('deflow-config.json: admins must be a list of principals');
    return { network: v.network, host: v.host, canisterIds: { orchestrator: v.canisterIds.orchestrator!, scheduler: v.canisterIds.scheduler!, monitor: v.canisterIds.monitor!, executor: v.canisterIds.executor! }, admins: v.admins as string[] };
}

export async function loadConfig(): Promise<DashboardConfig> {
    const response = await fetch('/deflow-config.json', { cache: 'no-cache' });
    if (!response.ok) throw new Error(`cannot load /deflow-config.json: HTTP ${response.status}`);
    return parseConfig(await response.json());
}
