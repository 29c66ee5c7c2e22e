/**
 * Rebuilds a canister's indexes from its record maps after an upgrade from a release that did
 * not keep them (or kept an older set: the canister's index version). `post_upgrade` only
 * arms the first batch, so the upgrade's instructions do not grow with the data; each timer
 * message then indexes one batch of records and arms the next, walking each record map from
 * its newest key down (how GroupPages takes older ids in bounded pages). Writes made
 * meanwhile index themselves, and indexing a record again is idempotent, so the two never
 * disagree; until the rebuild ends a listing may miss older records and an older due time
 * waits a few rounds (docs/architecture.md, Scale).
 */
import { setTimer, StableBTreeMap } from 'azle';

import { inBatches, type GroupPages } from './group-pages';

/** One record map to index: its size, and "index the records at positions [start, start + count)". */
export type RebuildStage = { name: string; len: () => number; indexBatch: (start: number, count: number) => void };

/** `position`: the records below it (in key order) are left to index in stage `stage`. */
type StoredIndexBuild = { schema_version: 1; version: number; stage: string; position: number };

const DONE = 'Done';
const BUILD_KEY = 'build';

/**
 * A stage over a map read by position: each batch indexed newest first. `groups`: the group
 * indexes `index` adds to; a batch writes each of their touched pages once (GroupPages.batch).
 */
export function rebuildStage<V>(name: string, records: { len: () => number; at: (start: number, count: number) => [string, V][] }, index: (id: string, value: V) => void, groups: GroupPages[] = []): RebuildStage {
    return {
        name,
        len: records.len,
        indexBatch: (start, count) => {
            const batch = records.at(start, count);
            inBatches(groups, () => {
                for (let i = batch.length - 1; i >= 0; i--) index(batch[i]![0], batch[i]![1]);
            });
        }
    };
}

export class IndexRebuild {
    private readonly build: StableBTreeMap<string, StoredIndexBuild>;

    /**
     * @param version the set of indexes the code keeps; raise it when one is added, and the rebuild runs once
     * @param batch records indexed per timer message
     * @param onDone runs in the message that ends the rebuild: the timers armed in post_upgrade
     *   saw incomplete indexes, so what they act on is looked up again here
     */
    constructor(
        memoryId: number,
        private readonly version: number,
        private readonly stages: RebuildStage[],
        private readonly batch: number,
        private readonly onDone: () => void
    ) {
        this.build = new StableBTreeMap<string, StoredIndexBuild>(memoryId);
    }

    /** Whether the indexes are complete for this code. */
    get done(): boolean {
        const state = this.build.get(BUILD_KEY);
        return state !== undefined && state.version === this.version && state.stage === DONE;
    }

    /** Call context: init. A new canister has no records: its indexes are complete. */
    markBuilt(): void {
        this.build.insert(BUILD_KEY, { schema_version: 1, version: this.version, stage: DONE, position: 0 });
    }

    /** Call context: post_upgrade. Starts (or continues) the rebuild unless done; O(1) here. */
    resume(): void {
        if (this.done) return;
        const state = this.build.get(BUILD_KEY);
        if (state === undefined || state.version !== this.version) this.enter(0);
        setTimer(0, () => void this.step());
    }

    /** Call context: timer. Indexes one batch and arms the next until every stage is done; returns whether work is left. */
    step(): boolean {
        const state = this.build.get(BUILD_KEY);
        const at = this.stages.findIndex((s) => s.name === state?.stage);
        if (state === undefined || at < 0) return false;
        const start = Math.max(0, state.position - this.batch);
        this.stages[at]!.indexBatch(start, state.position - start);
        if (start > 0) this.build.insert(BUILD_KEY, { ...state, position: start });
        else this.enter(at + 1);
        if (this.done) {
            this.onDone();
            return false;
        }
        setTimer(0, () => void this.step());
        return true;
    }

    private enter(stage: number): void {
        const next = this.stages[stage];
        this.build.insert(BUILD_KEY, { schema_version: 1, version: this.version, stage: next?.name ?? DONE, position: next?.len() ?? 0 });
    }
}
