/**
 * The orchestrator's indexes: what its timer passes and listings read instead of scanning the
 * record maps (state.ts keeps them in step with every write). Deadlines and outbox entries by
 * time (read from the front); each owner's workflows; each owner's and each workflow's
 * executions, and each workflow's unfinished ones, in id (= creation) order, seekable by
 * cursor. See docs/architecture.md (Scale) for the costs they keep flat.
 */
import { stableGroupPages } from '../../common/indexes/stable-group-pages';
import { TimeIndex } from '../../common/indexes/time-index';
import { MEMORY } from './memory';

/** Unfinished executions by their next deadline. */
export const deadlineIndex = new TimeIndex(MEMORY.deadlineIndex);

/** Outbox entries by when they are due. */
export const outboxDueIndex = new TimeIndex(MEMORY.outboxDueIndex);

/** Workflow ids per owner (group {@link ownerGroup}). */
export const workflowGroups = stableGroupPages(MEMORY.workflowGroupHeads, MEMORY.workflowGroupPages);

/** Execution ids per owner, per workflow, and unfinished per workflow. */
export const executionGroups = stableGroupPages(MEMORY.executionGroupHeads, MEMORY.executionGroupPages);

export const ownerGroup = (owner: string): string => `owner:${owner}`;
export const workflowGroup = (workflowId: string): string => `workflow:${workflowId}`;
export const activeGroup = (workflowId: string): string => `active:${workflowId}`;
/** An owner's finished executions (the stored-history quota counts and prunes them), in id order. */
export const finishedGroup = (owner: string): string => `finished:${owner}`;

/**
 * Ids examined at most by one listing page: a sparse status filter ends the page early with a
 * cursor. An id examined costs ~5M instructions (its summary read), one listed ~15M: 40
 * examined and a full page of 20 listed stay under 10% of the query limit (docs/architecture.md, Scale).
 */
export const LISTING_SCAN_BUDGET = 40;

/** An execution's entries in the groups, when it is first written. */
export function indexNewExecution(id: string, owner: string, workflowId: string): void {
    executionGroups.add(ownerGroup(owner), id);
    executionGroups.add(workflowGroup(workflowId), id);
}

/** Keeps the deadline index and the workflow's unfinished group in step with `deadline` (`undefined`: finished). */
export function indexDeadline(id: string, workflowId: string, previous: bigint | undefined, deadline: bigint | undefined): void {
    deadlineIndex.move(id, previous, deadline);
    if (deadline !== undefined) executionGroups.add(activeGroup(workflowId), id);
    else executionGroups.remove(activeGroup(workflowId), id);
}

/** Removes a deleted execution from every index. */
export function unindexExecution(id: string, owner: string, workflowId: string, deadline: bigint | undefined): void {
    deadlineIndex.move(id, deadline, undefined);
    executionGroups.remove(activeGroup(workflowId), id);
    executionGroups.remove(ownerGroup(owner), id);
    executionGroups.remove(workflowGroup(workflowId), id);
    executionGroups.remove(finishedGroup(owner), id);
}
