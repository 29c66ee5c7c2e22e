/**
 * The executor's agent records in stable memory: the module agents are installed with (its
 * chunks' bytes too, so an upgrade of the executor keeps it), and one agent per owner. The only
 * module that touches these StableBTreeMaps.
 */
import { Principal, StableBTreeMap, stableJson } from 'azle';

import { firstIndexAfter } from './logic';
import { MEMORY } from './memory';

/** The agent module: its chunks' sha256 hashes in order (their bytes in {@link moduleChunks}) and the sha256 of the assembled module. */
export type StoredAgentModule = { schema_version: 1; chunkHashes: Uint8Array[]; wasmModuleHash: Uint8Array };

/** `Creating` with no canister: creation asked for; with one: created, not installed yet. */
export type StoredAgent = { schema_version: 1; owner: string; status: 'Creating' | 'Ready'; canisterId?: string; createdAt: bigint };

/** Chunk bytes are stored as they are: JSON would quadruple a 1 MiB chunk and cost its encoding. */
const rawBytes = { toBytes: (data: Uint8Array): Uint8Array => data, fromBytes: (bytes: Uint8Array): Uint8Array => bytes };

const moduleStore = new StableBTreeMap<string, StoredAgentModule>(MEMORY.agentModule);
const moduleChunks = new StableBTreeMap<string, Uint8Array>(MEMORY.agentModuleChunks, stableJson, rawBytes);
const agents = new StableBTreeMap<string, StoredAgent>(MEMORY.agents);
const subnetConfig = new StableBTreeMap<'subnets', string[]>(MEMORY.agentSubnets);

/** The subnets new agents are spread over (principal texts); empty: the executor's own. */
export function agentSubnets(): string[] {
    return subnetConfig.get('subnets') ?? [];
}

export function putAgentSubnets(subnets: string[]): void {
    subnetConfig.insert('subnets', subnets);
}

export function agentModule(): StoredAgentModule | undefined {
    return moduleStore.get('module');
}

export function putAgentModule(m: StoredAgentModule): void {
    moduleStore.insert('module', m);
}

/** The bytes of the module chunk with this sha256 (hex), if uploaded. */
export function moduleChunk(hashHex: string): Uint8Array | undefined {
    return moduleChunks.get(hashHex);
}

/** Whether a module chunk with this sha256 (hex) was uploaded (reads no bytes). */
export function hasModuleChunk(hashHex: string): boolean {
    return moduleChunks.containsKey(hashHex);
}

export function putModuleChunk(hashHex: string, chunk: Uint8Array): void {
    moduleChunks.insert(hashHex, chunk);
}

/** How many chunks are stored (bounded: see `upload_agent_module_chunk`). */
export function moduleChunkCount(): number {
    return moduleChunks.len();
}

/** Removes every stored chunk whose hash (hex) is not in `keep`. */
export function pruneModuleChunks(keep: ReadonlySet<string>): void {
    for (const hash of moduleChunks.keys()) if (!keep.has(hash)) moduleChunks.remove(hash);
}

export function agentOf(owner: Principal): StoredAgent | undefined {
    return agents.get(owner.toText());
}

const agentOwners = new StableBTreeMap<string, string>(MEMORY.agentOwners);

export function putAgent(a: StoredAgent): void {
    agents.insert(a.owner, a);
    if (a.canisterId !== undefined) agentOwners.insert(a.canisterId, a.owner);
}

/** Whether `p` is (or is being installed as) some owner's agent. */
export function isAgent(p: Principal): boolean {
    return agentOwners.containsKey(p.toText());
}

/** How many agents have a canister (created, installed or not): the ordinal of the next one. */
export function createdAgentCount(): number {
    return agentOwners.len();
}

/**
 * Up to `limit` agents in owner order after `cursor` (an owner's principal text; none: from
 * the first), and whether more follow. Reads O(log n + limit) entries, whatever the number of owners.
 */
export function agentsAfter(cursor: string | undefined, limit: number): { agents: StoredAgent[]; more: boolean } {
    const len = agents.len();
    // Principal texts are ASCII and stableJson keeps their order, so the map's order is the strings' order.
    const start = firstIndexAfter(len, (i) => agents.keys(i, 1)[0], cursor);
    return { agents: agents.values(start, limit), more: start + limit < len };
}
