/**
 * The executor's agent records in stable memory: the module new agents are installed with, and
 * one agent per owner. The only module that touches these StableBTreeMaps.
 */
import { Principal, StableBTreeMap } from 'azle';

import { MEMORY } from './memory';

/** The agent module: chunk hashes (in the executor's own chunk store, in order) and the module's sha256. */
export type StoredAgentModule = { schema_version: 1; chunkHashes: Uint8Array[]; wasmModuleHash: Uint8Array };

/** `Creating` with no canister: creation asked for; with one: created, not installed yet. */
export type StoredAgent = { schema_version: 1; owner: string; status: 'Creating' | 'Ready'; canisterId?: string; createdAt: bigint };

const moduleStore = new StableBTreeMap<string, StoredAgentModule>(MEMORY.agentModule);
const agents = new StableBTreeMap<string, StoredAgent>(MEMORY.agents);

export function agentModule(): StoredAgentModule | undefined {
    return moduleStore.get('module');
}

export function putAgentModule(m: StoredAgentModule): void {
    moduleStore.insert('module', m);
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

/** Every agent (bounded by the number of owners; for upgrades of all agents). */
export function allAgents(): StoredAgent[] {
    return agents.values();
}
