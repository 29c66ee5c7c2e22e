/**
 * The scheduler's listing index (docs/architecture.md, Scale): schedule ids in id (= creation)
 * order per owner, per workflow and over all schedules, as seekable group pages
 * (canisters/common/indexes/group-pages.ts). `list_persistent_scheduled_executions` reads one
 * group from its cursor instead of walking every stored schedule; state.ts keeps the groups
 * in step with every create and delete (a schedule's owner and workflow never change).
 */
import type { Schedule } from '../../../shared/scheduling/schedule';
import { MAX_PAGE_SIZE } from '../../../shared/common/page';
import { stableGroupPages } from '../../common/indexes/stable-group-pages';
import { MEMORY } from './memory';

export const scheduleGroups = stableGroupPages(MEMORY.scheduleGroupHeads, MEMORY.scheduleGroupPages);

/** Every schedule's group (what an admin lists with no filter). */
export const ALL_GROUP = 'all';
export const ownerGroup = (owner: string): string => `owner:${owner}`;
export const workflowGroup = (workflowId: string): string => `workflow:${workflowId}`;

/**
 * Schedule ids examined at most by one listing page: a sparse filter (an owner filter over
 * another owner's workflow) ends the page early with a cursor. Each costs a schedule read
 * (~18M instructions listed), so one page's worth keeps a page under 10% of the query limit.
 */
export const LISTING_SCAN_BUDGET = MAX_PAGE_SIZE;

const groupsOf = (s: Schedule): string[] => [ALL_GROUP, ownerGroup(s.owner.toText()), workflowGroup(s.workflow_id)];

/** Enters a schedule in its groups (idempotent: the rebuild may index one a write already did). */
export function indexSchedule(s: Schedule): void {
    for (const group of groupsOf(s)) scheduleGroups.add(group, s.id);
}

export function unindexSchedule(s: Schedule): void {
    for (const group of groupsOf(s)) scheduleGroups.remove(group, s.id);
}

/**
 * The group a listing reads: the narrowest its filters name. A workflow's group when a
 * workflow is named (the owner filter then applies to each id read), else the owner's, else all.
 */
export function listingGroup(filter: { owner?: string; workflowId?: string }): string {
    if (filter.workflowId !== undefined) return workflowGroup(filter.workflowId);
    if (filter.owner !== undefined) return ownerGroup(filter.owner);
    return ALL_GROUP;
}
