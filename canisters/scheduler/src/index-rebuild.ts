/**
 * The scheduler's index rebuild (the shared driver: canisters/common/indexes/rebuild.ts): after
 * an upgrade from a release without the listing groups, timer messages index the stored
 * schedules in batches, newest first; `post_upgrade` only arms the first.
 */
import { IndexRebuild, rebuildStage } from '../../common/indexes/rebuild';
import { indexSchedule, scheduleGroups } from './indexes';
import { MEMORY } from './memory';
import { indexedSchedules } from './state';

/** The set of indexes this code keeps (raise it when one is added). */
export const INDEX_VERSION = 1;

/** Schedules indexed per timer message (three group adds each): as many as the schema migration rewrites per message (MIGRATION_BATCH, logic/migration.ts). */
export const REBUILD_BATCH = 100;

// Nothing to re-arm when it ends: the firing timer reads the due index, not these groups.
export const indexRebuild = new IndexRebuild(MEMORY.indexBuild, INDEX_VERSION, [rebuildStage('schedules', indexedSchedules, (_id, s) => indexSchedule(s), [scheduleGroups])], REBUILD_BATCH, () => undefined);
