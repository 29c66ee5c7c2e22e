/**
 * The orchestrator's per-owner settings and quota usage in stable memory: the only module that
 * touches their StableBTreeMaps. Principals are stored as text (one canonical spelling: `Principal.toText`).
 */
import { Principal, StableBTreeMap } from 'azle';

import { EMPTY_USAGE, type OwnerUsage } from '../../../shared/workflow';
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
    return usage.get(owner)?.usage ?? EMPTY_USAGE;
}

export function updateUsage(owner: string, change: (u: OwnerUsage) => OwnerUsage): void {
    usage.insert(owner, { schema_version: 1, usage: change(usageOf(owner)) });
}
