/** Inter-canister endpoints: only the wired peer may call each (else `Unauthorized`). */


import type { ApiError } from '../../../shared/common/errors';
import { err, ok, type Result } from '../../../shared/common/result';
import { parseWith } from '../../../shared/common/codec';
import type { EmergencyState } from '../../../shared/monitoring/emergency';
import { receiveEmergencyState } from '../../common/emergency-store';
import { ExecutionFinishedCodec, SchedulerMethods as M, type ExecutionFinished } from '../../../shared/scheduling/service';
import { requirePeer } from './guards';
import { onExecutionFinished } from './logic/fire';
import { applyWorkflowTarget } from './logic/hold';
import { WorkflowTargetCodec, type WorkflowTarget } from '../../../shared/scheduling/target';
import * as runtime from './runtime';
import * as state from './state';
import { indexRebuild } from './index-rebuild';
import { method } from '../../common/method';

export class PeerMethods {
    /**
     * The orchestrator reports that an execution a schedule started reached a final state:
     * frees the overlap slot and starts a run `BufferOne` held back. Idempotent; a report for
     * a cancelled schedule is accepted and ignored.
     * Call context: update (inter-canister). Caller: the wired orchestrator only.
     * Errors: `Unauthorized`, `InvalidInput`.
     */
    @method(M.notify_execution_finished)
    notify_execution_finished(arg: ExecutionFinished): Result<null, ApiError> {
        const denied = requirePeer(runtime.caller(), 'orchestrator');
        if (denied !== undefined) return err(denied);
        const parsed = parseWith(ExecutionFinishedCodec.schema, arg);
        if ('Err' in parsed) return parsed;
        const schedule = state.getSchedule(parsed.Ok.schedule_id);
        if (schedule === undefined) return ok(null);
        const step = onExecutionFinished(schedule, parsed.Ok, runtime.firingContext());
        runtime.commit(step.schedule, step.effects, schedule);
        return ok(null);
    }

    /**
     * The orchestrator reports that a workflow changed (paused, resumed, deleted, or a new
     * version with its required input paths): each of its schedules is held or released to
     * match (see `logic/hold.ts`). Idempotent; a notice older than one already applied to a
     * schedule changes nothing. Work grows with the schedules of that workflow only.
     * Call context: update (inter-canister, from the orchestrator's outbox). Caller: the wired
     * orchestrator only. Errors: `Unauthorized`, `InvalidInput`.
     */
    @method(M.notify_workflow_changed)
    notify_workflow_changed(arg: WorkflowTarget): Result<null, ApiError> {
        const denied = requirePeer(runtime.caller(), 'orchestrator');
        if (denied !== undefined) return err(denied);
        const parsed = parseWith(WorkflowTargetCodec.schema, arg);
        if ('Err' in parsed) return parsed;
        const now = runtime.now();
        const schedules = indexRebuild.done ? state.schedulesOfWorkflow(parsed.Ok.workflow_id) : state.schedulesOfWorkflowByScan(parsed.Ok.workflow_id);
        const steps = schedules.map((before) => {
            const step = applyWorkflowTarget(before, parsed.Ok, now);
            return { before, after: step.schedule, effects: step.effects };
        });
        runtime.commitAll(steps);
        return ok(null);
    }

    /**
     * The monitor pushes the emergency/safe mode. The newest state wins (`changed_at`), so
     * a late push never undoes a later decision. While `Emergency` is on, due schedules
     * record `Skipped { EmergencyMode }` instead of starting.
     * Call context: update (inter-canister). Caller: the wired monitor only.
     * Errors: `Unauthorized`, `InvalidInput`.
     */
    @method(M.set_emergency_mode)
    set_emergency_mode(arg: EmergencyState): Result<null, ApiError> {
        return receiveEmergencyState(requirePeer(runtime.caller(), 'monitor'), arg, (valid) => state.emergency.adopt(valid));
    }
}
