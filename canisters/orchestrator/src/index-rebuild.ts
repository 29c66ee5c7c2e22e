/**
 * Rebuilds the indexes (./indexes.ts) from the record maps after an upgrade from a release
 * that did not keep them (or kept an older set: {@link INDEX_VERSION}). `post_upgrade` only
 * arms the first batch, so the upgrade's instructions do not grow with the data; each timer
 * message then indexes {@link REBUILD_BATCH} records and arms the next, newest first (how
 * GroupPages takes older ids in bounded pages). Writes made meanwhile index themselves, and
 * re-indexing a record is idempotent, so the two never disagree; until the rebuild ends a
 * listing may miss older records and an older deadline waits a few rounds (docs/architecture.md).
 */
import { setTimer, StableBTreeMap } from 'azle';

import { indexDeadline, indexNewExecution, outboxDueIndex, ownerGroup, workflowGroups } from './indexes';
import { MEMORY } from './memory';
import { activeDeadlineOf, indexedRecords, type StoredExecutionSummary, type StoredOutboxEntry, type StoredWorkflow } from './state';

/** The set of indexes this code keeps; raise it when one is added, and the rebuild runs once. */
export const INDEX_VERSION = 1;

/** Records indexed per timer message. */
export const REBUILD_BATCH = 500;

const STAGES = ['workflows', 'summaries', 'outbox'] as const;
type Stage = (typeof STAGES)[number];

/** `position`: the records below it (in key order) are left to index in `stage`. */
type StoredIndexBuild = { schema_version: 1; version: number; stage: Stage | 'Done'; position: number };

const build = new StableBTreeMap<string, StoredIndexBuild>(MEMORY.indexBuild);
const BUILD_KEY = 'build';

type Indexer = { len: () => number; indexBatch: (start: number, count: number) => void };

function indexer<V>(records: { len: () => number; at: (start: number, count: number) => [string, V][] }, index: (id: string, value: V) => void): Indexer {
    return {
        len: records.len,
        // Newest first within the batch too: GroupPages keeps a rebuild's pages bounded that way.
        indexBatch: (start, count) => {
            const batch = records.at(start, count);
            for (let i = batch.length - 1; i >= 0; i--) index(batch[i]![0], batch[i]![1]);
        }
    };
}

const indexers: Record<Stage, Indexer> = {
    workflows: indexer<StoredWorkflow>(indexedRecords.workflows, (id, w) => workflowGroups.add(ownerGroup(w.owner), id)),
    summaries: indexer<StoredExecutionSummary>(indexedRecords.summaries, (id, s) => {
        indexNewExecution(id, s.owner, s.workflowId);
        const deadline = activeDeadlineOf(id);
        if (deadline !== undefined) indexDeadline(id, s.workflowId, undefined, deadline);
    }),
    outbox: indexer<StoredOutboxEntry>(indexedRecords.outbox, (id, e) => outboxDueIndex.move(id, undefined, e.nextAt))
};

/** Where the rebuild stands. */
export function indexBuildState(): StoredIndexBuild | undefined {
    return build.get(BUILD_KEY);
}

/** Call context: init. A new canister has no records: its indexes are complete. */
export function markIndexesBuilt(): void {
    build.insert(BUILD_KEY, { schema_version: 1, version: INDEX_VERSION, stage: 'Done', position: 0 });
}

/** Call context: post_upgrade. Starts (or continues) the rebuild if this code's indexes are not built yet; O(1) here. */
export function resumeIndexBuild(): void {
    const state = build.get(BUILD_KEY);
    if (state !== undefined && state.version === INDEX_VERSION && state.stage === 'Done') return;
    if (state === undefined || state.version !== INDEX_VERSION) build.insert(BUILD_KEY, { schema_version: 1, version: INDEX_VERSION, stage: STAGES[0], position: indexers[STAGES[0]].len() });
    setTimer(0, () => void rebuildStep());
}

/** Call context: timer. Indexes one batch and arms the next until every stage is done; returns whether work is left. */
export function rebuildStep(): boolean {
    const state = build.get(BUILD_KEY);
    if (state === undefined || state.stage === 'Done') return false;
    const start = Math.max(0, state.position - REBUILD_BATCH);
    indexers[state.stage].indexBatch(start, state.position - start);
    const nextStage = STAGES[STAGES.indexOf(state.stage) + 1];
    const next: StoredIndexBuild =
        start > 0 ? { ...state, position: start } : nextStage === undefined ? { ...state, stage: 'Done', position: 0 } : { ...state, stage: nextStage, position: indexers[nextStage].len() };
    build.insert(BUILD_KEY, next);
    if (next.stage === 'Done') return false;
    setTimer(0, () => void rebuildStep());
    return true;
}
