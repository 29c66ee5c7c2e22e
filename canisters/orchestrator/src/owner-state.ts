/**
 * The orchestrator's per-owner settings and quota usage in stable memory: the only module that
 * touches their StableBTreeMaps. Principals are stored as text (one canonical spelling: `Principal.toText`).
 */
import { Principal, StableBTreeMap } from 'azle';

import { UNKNOWN_FUNDING, type AgentFunding } from '../../../shared/agent/funding';
import { DEFAULT_OWNER_QUOTAS, EMPTY_USAGE, type OwnerQuotaLimits, type OwnerUsage } from '../../../shared/workflow';
import { MEMORY } from './memory';

export type StoredAllowList = { schema_version: 1; targets: string[] };

const allowLists = new StableBTreeMap<string, StoredAllowList>(MEMORY.callAllowLists);

/** The owner's call allow-list; empty when they keep none. */
export function allowListOf(owner: Principal): Principal[] {
    return (allowLists.get(owner.toText())?.targets ?? []).map((t) => Principal.fromText(t));
}

/** Replaces the owner's list; an empty list removes the entry. */
export function putAllowList(owner: Principal, targets: readonly Principal[]): void {
    if (targets.length === 0) allowLists.remove(owner.toText());
    else allowLists.insert(owner.toText(), { schema_version: 1, targets: targets.map((t) => t.toText()) });
}

export type StoredOwnerUsage = { schema_version: 1; usage: OwnerUsage };

const usage = new StableBTreeMap<string, StoredOwnerUsage>(MEMORY.ownerUsage);

/** What the owner (principal text) used of their quotas. */
export function usageOf(owner: string): OwnerUsage {
    // Fields added by later releases read as their empty value in records written before.
    return { ...EMPTY_USAGE, ...usage.get(owner)?.usage };
}

export function updateUsage(owner: string, change: (u: OwnerUsage) => OwnerUsage): void {
    usage.insert(owner, { schema_version: 1, usage: change(usageOf(owner)) });
}

/** `Requested`: the executor was asked to create it; `Ready`: its principal is known. */
export type StoredOwnerAgent = { schema_version: 1; status: 'Requested' | 'Ready'; agent?: string; requestedAt: bigint };

const ownerAgents = new StableBTreeMap<string, StoredOwnerAgent>(MEMORY.ownerAgents);

export function ownerAgentOf(owner: string): StoredOwnerAgent | undefined {
    return ownerAgents.get(owner);
}

const agentOwners = new StableBTreeMap<string, string>(MEMORY.agentOwners);

export function putOwnerAgent(owner: string, a: StoredOwnerAgent): void {
    ownerAgents.insert(owner, a);
    if (a.agent !== undefined) agentOwners.insert(a.agent, owner);
}

/** Whether `p` is some owner's agent. */
export function isKnownAgent(p: Principal): boolean {
    return agentOwners.containsKey(p.toText());
}

export type StoredAgentFunding = { schema_version: 1; funding: AgentFunding };

const funding = new StableBTreeMap<string, StoredAgentFunding>(MEMORY.ownerFunding);

/** The owner's agent funding as last read (unknown before the first read: runs go). */
export function fundingOf(owner: string): AgentFunding {
    return funding.get(owner)?.funding ?? UNKNOWN_FUNDING;
}

export function updateFunding(owner: string, change: (f: AgentFunding) => AgentFunding): AgentFunding {
    const next = change(fundingOf(owner));
    funding.insert(owner, { schema_version: 1, funding: next });
    return next;
}

export type StoredQuotaLimits = { schema_version: 1; limits: OwnerQuotaLimits };

const quotaLimits = new StableBTreeMap<string, StoredQuotaLimits>(MEMORY.quotaLimits);
const DEFAULT_LIMITS_KEY = '';

/** The limits that apply to the owner: their own if an admin set them, else the default admins set, else `DEFAULT_OWNER_QUOTAS`. */
export function limitsOf(owner: string): OwnerQuotaLimits {
    return quotaLimits.get(owner)?.limits ?? quotaLimits.get(DEFAULT_LIMITS_KEY)?.limits ?? DEFAULT_OWNER_QUOTAS;
}

/** Sets one owner's limits, or (`owner` undefined) the default for every owner without their own. */
export function putLimits(owner: string | undefined, limits: OwnerQuotaLimits): void {
    quotaLimits.insert(owner ?? DEFAULT_LIMITS_KEY, { schema_version: 1, limits });
}
