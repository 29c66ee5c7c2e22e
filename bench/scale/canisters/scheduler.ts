/**
 * The scheduler's bench build: the production canister plus `bulk_load` (see contract.ts),
 * which runs the production `schedule_workflow_execution` once per workflow id in one message
 * (unbound: instantiating a decorated class would register its methods a second time).
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
        for (const workflow_id of arg.workflow_ids) {
            // Creation asks the orchestrator (check_schedule_target): one inter-canister call per schedule.
            const r = await schedule.call(undefined, { ...arg.request, workflow_id });
            if ('Err' in r) return { Err: `${workflow_id}: ${JSON.stringify(Object.keys(r.Err))}` };
        }
        return { Ok: arg.workflow_ids.length };
    }
}

export default [...production, BulkLoadMethods];
