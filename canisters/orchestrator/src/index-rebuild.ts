/**
 * The orchestrator's index rebuild (the shared driver: canisters/common/indexes/rebuild.ts):
 * owners' workflows, then executions (groups and deadlines), then outbox entries.
 */
import { IndexRebuild, rebuildStage } from '../../common/indexes/rebuild';
import { executionGroups, indexDeadline, indexNewExecution, outboxDueIndex, ownerGroup, workflowGroups } from './indexes';
import { MEMORY } from './memory';
import { rearmAfterRebuild } from './timers';
import { activeDeadlineOf, indexedRecords, type StoredExecutionSummary, type StoredOutboxEntry, type StoredWorkflow } from './state';
import { outboxDeliveryOf } from './logic/outbox-entry';

/** The set of indexes this code keeps (raise it when one is added). */
export const INDEX_VERSION = 1;

/** Records indexed per timer message. */
export const REBUILD_BATCH = 500;

export const indexRebuild = new IndexRebuild(
    MEMORY.indexBuild,
    INDEX_VERSION,
    [
        rebuildStage<StoredWorkflow>('workflows', indexedRecords.workflows, (id, w) => workflowGroups.add(ownerGroup(w.owner), id), [workflowGroups]),
        rebuildStage<StoredExecutionSummary>('executions', indexedRecords.summaries, (id, s) => {
            indexNewExecution(id, s.owner, s.workflowId);
            const deadline = activeDeadlineOf(id);
            if (deadline !== undefined) indexDeadline(id, s.workflowId, undefined, deadline);
        }, [executionGroups]),
        rebuildStage<StoredOutboxEntry>('outbox', indexedRecords.outbox, (id, e) => outboxDueIndex.move(id, undefined, outboxDeliveryOf(e).next_at))
    ],
    REBUILD_BATCH,
    () => rearmAfterRebuild()
);
