/**
 * Collects the instructions of every execution per canister and entry point while a
 * benchmark step runs, and says which limit applies to each (the replica's application-subnet
 * limits, docs/localnet.md "Cost model"): 40B for updates, timers and callbacks, 5B for
 * queries, 300B for an install or upgrade (pre_upgrade + post_upgrade together).
 */
import { Principal } from '@dfinity/principal';

import { observeExecutions } from '../../localnet/src/engine/execution-observer';

export const LIMITS = { message: 40_000_000_000n, query: 5_000_000_000n, install: 300_000_000_000n } as const;

export type EntryKind = 'update' | 'query' | 'timer' | 'callback' | 'upgrade' | 'other';

/** What an entry point is and the name shown for it. */
export function classify(entry: string): { kind: EntryKind; name: string } {
    if (entry.startsWith('canister_update ')) {
        const name = entry.slice('canister_update '.length);
        // ic-cdk-timers runs each timer as a self-call to this internal method.
        return name.includes('timer_executor') ? { kind: 'timer', name: 'timer' } : { kind: 'update', name };
    }
    if (entry.startsWith('canister_query ') || entry.startsWith('canister_composite_query ')) return { kind: 'query', name: entry.slice(entry.indexOf(' ') + 1) };
    if (entry === 'canister_global_timer' || entry === 'canister_heartbeat') return { kind: 'timer', name: entry === 'canister_global_timer' ? 'global timer' : 'heartbeat' };
    if (entry.startsWith('table[')) return { kind: 'callback', name: 'response callback' };
    if (entry === 'canister_pre_upgrade' || entry === 'canister_post_upgrade') return { kind: 'upgrade', name: 'pre_upgrade + post_upgrade' };
    return { kind: 'other', name: entry };
}

export function limitOf(kind: EntryKind): bigint {
    return kind === 'query' ? LIMITS.query : kind === 'upgrade' ? LIMITS.install : LIMITS.message;
}

/** Max instructions per (canister, kind, name) seen while recording; upgrade entries are summed per install. */
export class Meter {
    private readonly max = new Map<string, bigint>();
    private readonly sum = new Map<string, { instructions: bigint; count: number }>();
    private readonly names = new Map<string, string>();
    private upgradeSum = new Map<string, bigint>();

    constructor(canisters: Record<string, Principal>) {
        for (const [role, id] of Object.entries(canisters)) this.names.set(id.toText(), role);
    }

    start(): void {
        observeExecutions((e) => {
            const role = this.names.get(Principal.fromUint8Array(e.canisterId).toText());
            if (role === undefined) return;
            const { kind, name } = classify(e.entry);
            if (kind === 'upgrade') {
                this.upgradeSum.set(role, (this.upgradeSum.get(role) ?? 0n) + e.instructions);
                this.note(`${role}\t${kind}\t${name}`, this.upgradeSum.get(role)!);
                if (e.entry === 'canister_post_upgrade') this.upgradeSum.delete(role);
                return;
            }
            this.note(`${role}\t${kind}\t${name}`, e.instructions);
        });
    }

    stop(): void {
        observeExecutions(undefined);
    }

    private note(key: string, instructions: bigint): void {
        const total = this.sum.get(key) ?? { instructions: 0n, count: 0 };
        this.sum.set(key, { instructions: total.instructions + instructions, count: total.count + 1 });
        const seen = this.max.get(key);
        if (seen === undefined || instructions > seen) this.max.set(key, instructions);
    }

    /** Every (role, kind, name) seen, with the sum of its instructions and how many executions it took. */
    totals(): { role: string; kind: EntryKind; name: string; instructions: bigint; count: number }[] {
        return [...this.sum.entries()].map(([key, total]) => {
            const [role, kind, name] = key.split('\t') as [string, EntryKind, string];
            return { role, kind, name, ...total };
        });
    }

    /** Every (role, kind, name) seen, with its maximum. */
    results(): { role: string; kind: EntryKind; name: string; instructions: bigint }[] {
        return [...this.max.entries()].map(([key, instructions]) => {
            const [role, kind, name] = key.split('\t') as [string, EntryKind, string];
            return { role, kind, name, instructions };
        });
    }
}
