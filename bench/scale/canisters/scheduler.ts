/**
 * The scheduler's bench build: the production canister plus `bulk_load` (see contract.ts),
 * which creates one schedule per workflow id in one message through the canister's own
 * logic and state module (`validateScheduleRequest`, `createSchedule`, `saveSchedule`: every
 * index is kept as real traffic keeps it) without the production method's per-schedule
 * `check_schedule_target` round trip to the orchestrator: its query (~49M instructions) and
 * reply continuation (~92M) were 85% of a loaded schedule's 166M, and the workflows loaded
 * here are the orchestrator bulk_load's own, owned by the caller and active. Values are
 * encoded with fast-json.ts (the same bytes).
 */
import { msgCaller } from 'azle';

import { method } from '../../../canisters/common/method';

import type { ScheduleRequest } from '../../../shared/scheduling/schedule';
import production from '../../../canisters/scheduler/src/index';
import { createSchedule } from '../../../canisters/scheduler/src/logic/lifecycle';
import { validateScheduleRequest } from '../../../canisters/scheduler/src/logic/validate';
import { now, replan } from '../../../canisters/scheduler/src/runtime';
import { deployment, nextScheduleId, saveSchedule } from '../../../canisters/scheduler/src/state';
import { scheduleGroups } from '../../../canisters/scheduler/src/indexes';
import { SchedulerBulkLoadMethod } from './contract';
import { withFastJson } from './fast-json';

class BulkLoadMethods {
    /** Call context: update; admins only (and only in this build). Errors: the first refusal, as text. */
    @method(SchedulerBulkLoadMethod)
    bulk_load(arg: { request: ScheduleRequest; workflow_ids: string[] }): { Ok: number } | { Err: string } {
        const caller = msgCaller();
        if (!deployment.isAdmin(caller)) return { Err: 'Unauthorized' };
        const at = now();
        // The listing groups are written once per touched page for the whole call (GroupPages.batch).
        const refused = withFastJson(() => scheduleGroups.batch(() => {
            for (const workflow_id of arg.workflow_ids) {
                const valid = validateScheduleRequest({ ...arg.request, workflow_id }, caller, false, at);
                const created = 'Ok' in valid ? createSchedule(valid.Ok, nextScheduleId(), at) : valid;
                if ('Err' in created) return `${workflow_id}: ${JSON.stringify(Object.keys(created.Err))}`;
                saveSchedule(created.Ok, undefined);
            }
            return undefined;
        }));
        if (refused !== undefined) return { Err: refused };
        replan();
        return { Ok: arg.workflow_ids.length };
    }
}

export default [...production, BulkLoadMethods];
