import { NS_PER_MS } from '../../../../shared/workflow';
import type { ExecutionStatus } from '../../../../shared/workflow';
import { isTerminalExecution } from './machine';

/** How many finished executions to keep, and for how long. */
export type RetentionPolicy = { maxCompleted: number; maxAgeMs: number };

export const DEFAULT_EXECUTION_RETENTION: RetentionPolicy = { maxCompleted: 10_000, maxAgeMs: 30 * 24 * 60 * 60 * 1000 };

/** The little retention needs to know about an execution (a stored summary suffices). */
export type RetentionCandidate = { id: string; status: ExecutionStatus; finishedAt?: bigint };

/**
 * Which finished executions to delete: all finished longer than `maxAgeMs` ago, then the
 * oldest beyond `maxCompleted`. Unfinished executions are never pruned. The adapter deletes
 * the answer in bounded batches (pass at most a batch of candidates, oldest first).
 *
 * @example
 * pruneExecutions([{ id: 'a', status: 'Succeeded', finishedAt: 1n }], 10n ** 18n, { maxCompleted: 100, maxAgeMs: 1000 }); // ['a']
 */
export function pruneExecutions(candidates: readonly RetentionCandidate[], now: bigint, policy: RetentionPolicy): string[] {
    const cutoff = now - BigInt(policy.maxAgeMs) * NS_PER_MS;
    const finished = candidates
        .filter((c): c is RetentionCandidate & { finishedAt: bigint } => isTerminalExecution(c.status) && c.finishedAt !== undefined)
        .sort((a, b) => (a.finishedAt < b.finishedAt ? -1 : a.finishedAt > b.finishedAt ? 1 : a.id < b.id ? -1 : 1));
    const drop = new Set<string>();
    for (const c of finished) if (c.finishedAt < cutoff) drop.add(c.id);
    const kept = finished.filter((c) => !drop.has(c.id));
    const excess = kept.length - policy.maxCompleted;
    for (let i = 0; i < excess; i++) drop.add(kept[i].id);
    return finished.filter((c) => drop.has(c.id)).map((c) => c.id);
}
