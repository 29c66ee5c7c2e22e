/** Inter-canister endpoints: only the peer canisters wired at install time may call them. */

import { apiError, type ApiError } from '../../../shared/common/errors';
import { parseWith } from '../../../shared/common/codec';
import type { EmergencyState } from '../../../shared/monitoring/emergency';
import { receiveEmergencyState } from '../../common/emergency-store';
import { StartScheduledExecutionRequestCodec, type StartScheduledExecutionRequest, type StartScheduledExecutionResult } from '../../../shared/scheduling/outbox';
import type { ScheduleTargetRequest, WorkflowTargetResult } from '../../../shared/scheduling/target';
import { fromOpt } from '../../../shared/common/codec';
import { deletedTarget, targetOf } from './schedule-targets';
import { executionForKey, getExecution, getWorkflow } from './state';
import { onLiquidationReport } from './liquidations';
import { liquidationSlotOf } from './logic';
import { NodeErrorSchema, OrchestratorMethods, WORKFLOW_LIMITS, decodeNodeError, type NodeResultReport, type WorkflowError } from '../../../shared/workflow';
import { method } from '../../common/method';
import { asPlainApiError, callRuleFor } from './call-policy';
import { refuseCallTarget } from '../../../shared/workflow/call-policy';
import { adoptEmergency, applyReport, startNew } from './engine';
import { requireOwner, requirePeer } from './guards';
import { z } from 'zod';
import * as runtime from './runtime';
import { err, type Result } from '../../../shared/common/result';

const IdSchema = z.string().min(1).max(WORKFLOW_LIMITS.maxNodeIdChars);
const ReportSchema = z.object({ execution_id: IdSchema, node_id: IdSchema, attempt: z.number().int().min(1).max(WORKFLOW_LIMITS.maxRetries + 1) });

export class PeerMethods {
    /**
     * Whether `owner` may schedule `workflow_id`, and the workflow's state and required input
     * paths (the scheduler checks the schedule's input against them).
     * Call context: query (inter-canister); the scheduler only.
     * Errors: Unauthorized (not the scheduler, or `owner` does not own the workflow), NotFound,
     * InvalidInput (`kind.Condition.read.canister`: a condition trigger's read target the
     * owner's call policy refuses: a DeFlow canister, the management canister, a non-canister,
     * or one outside their allow-list).
     */
    @method(OrchestratorMethods.check_schedule_target)
    check_schedule_target(arg: ScheduleTargetRequest): WorkflowTargetResult {
        const denied = requirePeer(runtime.caller(), 'scheduler');
        if (denied !== undefined) return err(denied);
        const w = getWorkflow(arg.workflow_id);
        if (w === undefined) return err(apiError.notFound('workflow', arg.workflow_id));
        const notOwner = requireOwner(arg.owner, w);
        if (notOwner !== undefined) return err(notOwner);
        const readTarget = fromOpt(arg.read_target);
        const refused = readTarget === undefined ? undefined : refuseCallTarget(readTarget, callRuleFor(arg.owner));
        if (refused !== undefined) return err(apiError.invalidInput('kind.Condition.read.canister', `the call policy refuses this target: ${refused}`));
        return { Ok: targetOf(w) };
    }

    /**
     * Starts the execution a schedule fired, with the schedule's input (`null` from schedulers
     * before inputs). The same `idempotency_key` always answers the id of the execution it
     * started the first time, even after an upgrade; never a second one. A paused or deleted
     * workflow is answered `Held` with its state (no execution, no failure: the schedule is
     * held with it).
     * Call context: inter-canister update; the scheduler only.
     * Errors (plain ApiError): Unauthorized (not the scheduler, or `owner` does not own the
     * workflow), InvalidInput (also a call node the call policy refuses), EmergencyMode.
     */
    @method(OrchestratorMethods.start_scheduled_execution)
    start_scheduled_execution(arg: StartScheduledExecutionRequest): StartScheduledExecutionResult {
        const denied = requirePeer(runtime.caller(), 'scheduler');
        if (denied !== undefined) return err(denied);
        const valid = parseWith(StartScheduledExecutionRequestCodec.schema, arg);
        if ('Err' in valid) return valid;
        const now = runtime.now();
        const key = arg.idempotency_key;
        const w = getWorkflow(arg.workflow_id);
        // A start already made for this key answers its execution even if the workflow changed since.
        if (executionForKey(key) === undefined) {
            if (w === undefined) return { Held: deletedTarget(arg.workflow_id, now) };
            if (w.status === 'Paused' && w.owner === arg.owner.toText()) return { Held: targetOf(w) };
        }
        const r = startNew(
            {
                workflowId: arg.workflow_id,
                caller: arg.owner,
                trigger: { kind: 'Schedule', scheduleId: arg.schedule_id, dueAt: arg.due_at },
                input: fromOpt(arg.input) ?? 'null',
                scheduled: { scheduleId: arg.schedule_id, idempotencyKey: key }
            },
            now
        );
        return 'Err' in r ? err(asPlainApiError(r.Err)) : { Ok: { execution_id: r.Ok.id } };
    }

    /**
     * The outcome of one node attempt. Idempotent on (execution_id, node_id, attempt): a repeated
     * or late report is answered Ok and changes nothing.
     * Call context: inter-canister update; the executor only. Errors: Unauthorized, InvalidInput.
     */
    @method(OrchestratorMethods.report_node_result)
    report_node_result(report: NodeResultReport): Result<null, WorkflowError> {
        const denied = requirePeer(runtime.caller(), 'executor');
        if (denied !== undefined) return err(denied);
        const valid = parseWith(ReportSchema, report);
        if ('Err' in valid) return valid;
        const o = report.outcome;
        let outcome: { kind: 'Succeeded'; output: string } | { kind: 'Failed'; error: ReturnType<typeof decodeNodeError> };
        if ('Succeeded' in o) {
            outcome = { kind: 'Succeeded', output: o.Succeeded.output };
        } else {
            const error = parseWith(NodeErrorSchema, decodeNodeError(o.Failed));
            if ('Err' in error) return error;
            outcome = { kind: 'Failed', error: error.Ok };
        }
        const now = runtime.now();
        const liquidation = liquidationSlotOf(report);
        if (liquidation !== undefined) {
            // A LiquidatePosition call, keyed apart from the execution's own attempts.
            const owner = getExecution(liquidation.executionId)?.owner;
            if (owner !== undefined) onLiquidationReport(owner, liquidation, outcome, now);
            return { Ok: null };
        }
        applyReport(report.execution_id, { nodeId: report.node_id, attempt: report.attempt, startedAt: report.started_at, finishedAt: report.finished_at, outcome }, now);
        return { Ok: null };
    }

    /**
     * Adopts the monitor's emergency state when newer than the held one. Emergency: no
     * execution starts and running ones pause at the next node boundary; Safe: only critical
     * workflows start; Normal: what emergency mode paused resumes.
     * Call context: inter-canister update; the monitor only. Errors: Unauthorized, InvalidInput.
     */
    @method(OrchestratorMethods.set_emergency_mode)
    set_emergency_mode(state: EmergencyState): Result<null, ApiError> {
        return receiveEmergencyState(requirePeer(runtime.caller(), 'monitor'), state, (valid) => adoptEmergency(valid, runtime.now()));
    }
}
