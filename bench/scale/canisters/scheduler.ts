/**
 * The scheduler's bench build: the production canister plus `bulk_load` (see contract.ts),
 * which runs the production `schedule_workflow_execution` once per workflow id in one message,
 * all of a batch concurrently (called unbound: instantiating a decorated class would register
 * its methods a second time).
 */
import { msgCaller } from 'azle';

import { method } from '../../../canisters/common/method';

import type { ScheduleRequest } from '../../../shared/scheduling/schedule';
import production from '../../../canisters/scheduler/src/index';
import { ScheduleMethods } from '../../../canisters/scheduler/src/schedules';
import { deployment } from '../../../canisters/scheduler/src/state';
import { SchedulerBulkLoadMethod } from './contract';

class BulkLoadMethods {
    /** Call context: update; admins only (and only in this build). Errors: the first refusal, as text. */
    @method(SchedulerBulkLoadMethod)
    async bulk_load(arg: { request: ScheduleRequest; workflow_ids: string[] }): Promise<{ Ok: number } | { Err: string }> {
        if (!deployment.isAdmin(msgCaller())) return { Err: 'Unauthorized' };
        const schedule = ScheduleMethods.prototype.schedule_workflow_execution;
        // Creation asks the orchestrator (check_schedule_target): the calls go out together, so
        // a batch takes a few rounds instead of one round trip per schedule. Each reply's
        // continuation runs alone, so ids and quota counts stay in sequence.
        const answers = await Promise.all(arg.workflow_ids.map((workflow_id) => schedule.call(undefined, { ...arg.request, workflow_id }).then((r) => ({ workflow_id, r }))));
        const refused = answers.find((a) => 'Err' in a.r);
        if (refused !== undefined && 'Err' in refused.r) return { Err: `${refused.workflow_id}: ${JSON.stringify(Object.keys(refused.r.Err))}` };
        return { Ok: arg.workflow_ids.length };
    }
}

export default [...production, BulkLoadMethods];
