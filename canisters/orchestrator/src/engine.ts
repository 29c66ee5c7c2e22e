/**
 * The adapter between the pure logic (`./logic`) and the canister: it loads state, runs one
 * step, commits the new execution and queues the step's effects in the stable outbox, all in
 * the same message. Inter-canister calls happen later, from the outbox timer, so a peer being
 * upgraded only delays them.
 */
import { canisterSelf, canisterVersion, Principal } from 'azle';

import { apiError, type ApiError } from '../../../shared/common/errors';
import type { EmergencyState } from '../../../shared/monitoring/emergency';
import type { Execution, Trigger } from '../../../shared/workflow';
import { BUILD_ID, PACKAGE_VERSION } from '../../common/version';
import { callRefusalOf, type CallRefusedError } from './call-policy';
import { budgetOf, chargeNotificationTo, countRefusedNotificationOf } from './quotas';
import {
    checkTimeouts,
    compileWorkflow,
    handleNodeResult,
    holdAction,
    holdCause,
    nextDeadline,
    pauseExecution,
    resumeExecution,
    startExecution,
    type AttemptReport,
    type CompiledWorkflow,
    type Effect,
    type Step
} from './logic';
import {
    activeExecutions,
    emergency,
    enqueue,
    executionForKey,
    getExecution,
    getWorkflow,
    getWorkflowVersion,
    nextExecutionId,
    putExecution,
    rememberKey,
    updateMeta,
    type StoredExecution
} from './state';
import * as runtime from './runtime';
import type { Result } from '../../../shared/common/result';

/**
 * The compiled definition an execution runs, with what its owner may still spend in this
 * message. Stored versions passed validation when they were written, so a failure here is a
 * broken invariant (trap: the message is rolled back).
 */
export function compiledFor(workflowId: string, version: number): CompiledWorkflow {
    const v = getWorkflowVersion(workflowId, version);
    if (v === undefined) throw new Error(`invariant: workflow ${workflowId} v${version} missing`);
    const c = compileWorkflow(v.definition);
    if ('Err' in c) throw new Error(`invariant: stored workflow ${workflowId} v${version} invalid: ${c.Err.kind}`);
    const owner = getWorkflow(workflowId)?.owner;
    return owner === undefined ? c.Ok : { ...c.Ok, budget: budgetOf(owner, runtime.now()) };
}

/** Persists a step's execution and queues its effects. */
export function commit(stored: StoredExecution, step: Step<Execution>, now: bigint, wf?: CompiledWorkflow): void {
    const compiled = wf ?? compiledFor(step.state.workflowId, step.state.workflowVersion);
    const next: StoredExecution = { ...stored, execution: step.state, pausedBy: step.state.status === 'Paused' ? stored.pausedBy : undefined };
    const deadline = nextDeadline(compiled, step.state);
    putExecution(next, deadline);
    if (deadline !== undefined) runtime.wakeDeadlines(deadline, now);
    for (const effect of step.effects) applyEffect(next, effect, now);
    runtime.wakeOutbox();
}

function applyEffect(stored: StoredExecution, e: Effect, now: bigint): void {
    switch (e.kind) {
        case 'DispatchNode':
            enqueue({ kind: 'Dispatch', executionId: e.executionId, nodeId: e.nodeId, attempt: e.attempt, dueAt: e.dueAt, timeoutMs: e.timeoutMs, task: e.task }, now);
            return;
        case 'CancelDispatched':
            enqueue({ kind: 'CancelDispatched', executionId: e.executionId }, now);
            return;
        case 'StartWorkflow':
            enqueue({ kind: 'StartWorkflow', owner: stored.owner, workflowId: e.workflowId, input: e.input, origin: e.origin }, now);
            return;
        case 'Notify':
            chargeNotificationTo(stored.owner, now);
            enqueue({ kind: 'Notify', level: e.level, message: `[${e.executionId}${e.nodeId === undefined ? '' : `/${e.nodeId}`}] ${e.message}` }, now);
            return;
        case 'NotificationRefused':
            countRefusedNotificationOf(stored.owner);
            return;
        case 'PauseAllWorkflows':
        case 'EnableSafeMode': {
            const mode = e.kind === 'PauseAllWorkflows' ? 'Emergency' : 'Safe';
            const reason = `emergency action of node ${e.nodeId} in execution ${e.executionId}`;
            // Applied here at once (no new execution may start meanwhile), and asked of the
            // monitor so the scheduler and executor follow; the monitor's answer wins later.
            adoptEmergency({ mode: mode === 'Emergency' ? { Emergency: null } : { Safe: null }, reason, changed_at: now, changed_by: [canisterSelf()] }, now);
            enqueue({ kind: 'RequestEmergency', mode, reason }, now);
            return;
        }
        case 'ExecutionFinished':
            updateMeta((m) => ({
                ...m,
                counters: {
                    ...m.counters,
                    completedTotal: m.counters.completedTotal + 1n,
                    failuresTotal: m.counters.failuresTotal + (e.status === 'Failed' ? 1n : 0n),
                    executionTimeNsTotal: m.counters.executionTimeNsTotal + (e.finishedAt - e.startedAt)
                }
            }));
            if (stored.scheduled !== undefined) {
                enqueue({ kind: 'ScheduledFinished', notice: { schedule_id: stored.scheduled.scheduleId, idempotency_key: stored.scheduled.idempotencyKey, execution_id: e.executionId, finished_at: e.finishedAt } }, now);
            }
            return;
    }
}

/** The code running now, recorded on every execution it starts. */
function ranBy(): Execution['ranBy'] {
    return { packageVersion: PACKAGE_VERSION, buildId: BUILD_ID, canisterVersion: canisterVersion() };
}

/** Whether the current system mode lets a workflow start. */
export function emergencyBlocks(critical: boolean): ApiError | undefined {
    const mode = emergency.current.mode;
    if ('Emergency' in mode) return apiError.emergencyMode('emergency mode: no execution starts');
    if ('Safe' in mode && !critical) return apiError.emergencyMode('safe mode: only critical workflows start');
    return undefined;
}

export type StartRequest = {
    workflowId: string;
    caller: Principal;
    trigger: Trigger;
    input: string;
    scheduled?: { scheduleId: string; idempotencyKey: string };
};

/**
 * Starts an execution of the latest version of a workflow for `caller`, who must own it.
 * Errors: NotFound, Unauthorized, Conflict (workflow paused), EmergencyMode, CallRefused (a
 * call node of the version outside the owner's current rule: stored before the rule, or the
 * owner narrowed their allow-list since).
 */
export function startNew(req: StartRequest, now: bigint): Result<Execution, ApiError | CallRefusedError> {
    if (req.scheduled !== undefined) {
        const existing = executionForKey(req.scheduled.idempotencyKey);
        const stored = existing === undefined ? undefined : getExecution(existing);
        if (stored !== undefined) return { Ok: stored.execution };
    }
    const w = getWorkflow(req.workflowId);
    if (w === undefined) return { Err: apiError.notFound('workflow', req.workflowId) };
    if (w.owner !== req.caller.toText()) return { Err: apiError.unauthorized(req.caller) };
    if (w.status === 'Paused') return { Err: apiError.conflict(`workflow ${w.id} is paused`) };
    const wf = compiledFor(w.id, w.latestVersion);
    const blocked = emergencyBlocks(wf.def.critical === true);
    if (blocked !== undefined) return { Err: blocked };
    const refused = callRefusalOf(wf.def, req.caller);
    if (refused !== undefined) return { Err: refused };
    const id = nextExecutionId();
    const step = startExecution(wf, { id, workflowId: w.id, workflowVersion: w.latestVersion, trigger: req.trigger, input: req.input, ranBy: ranBy() }, now);
    if (req.scheduled !== undefined) rememberKey(req.scheduled.idempotencyKey, id);
    commit({ schema_version: 1, execution: step.state, owner: w.owner, scheduled: req.scheduled }, step, now, wf);
    return { Ok: step.state };
}

/** Records a node attempt's outcome (from the executor, or a local start_workflow node). */
export function applyReport(executionId: string, report: AttemptReport, now: bigint): void {
    const stored = getExecution(executionId);
    if (stored === undefined) return; // pruned or unknown: nothing waits for it
    const wf = compiledFor(stored.execution.workflowId, stored.execution.workflowVersion);
    const step = handleNodeResult(wf, stored.execution, report, now);
    if (step.ignored !== undefined) return;
    commit(stored, step, now, wf);
}

/**
 * Pauses, resumes or relabels one unfinished execution so it agrees with what holds it now:
 * its workflow being paused, or emergency mode. Both are re-read here, so resuming a workflow
 * during emergency mode leaves its executions paused (relabelled `Emergency`) and lifting
 * emergency mode leaves paused a workflow the owner paused meanwhile.
 */
export function reconcileExecution(id: string, now: bigint): void {
    const stored = getExecution(id);
    if (stored === undefined) return;
    const x = stored.execution;
    const cause = holdCause({ workflowPaused: getWorkflow(x.workflowId)?.status === 'Paused', emergencyMode: 'Emergency' in emergency.current.mode });
    const action = holdAction({ status: x.status, pausedBy: stored.pausedBy }, cause);
    if (action.kind === 'None') return;
    const wf = compiledFor(x.workflowId, x.workflowVersion);
    if (action.kind === 'Relabel') {
        commit({ ...stored, pausedBy: action.cause }, { state: x, effects: [] }, now, wf);
        return;
    }
    const r = action.kind === 'Pause' ? pauseExecution(wf, x, now) : resumeExecution(wf, x, now);
    // holdAction only proposes legal transitions; a refusal here is a broken invariant.
    if ('Err' in r) throw new Error(`invariant: ${action.kind} of ${id}: ${JSON.stringify(r.Err)}`);
    commit({ ...stored, pausedBy: action.kind === 'Pause' ? action.cause : undefined }, r.Ok, now, wf);
}

/**
 * Adopts an emergency state if it is newer than the held one, then brings executions in line.
 * Entering `Emergency` pauses every running execution at its next node boundary (attempts
 * already out finish and are recorded); leaving it resumes what it paused. Safe mode only
 * restricts new starts.
 */
export function adoptEmergency(incoming: EmergencyState, now: bigint): void {
    if (emergency.adopt(incoming)) reconcileMode(now);
}

/** Makes running/paused executions agree with the mode in force (idempotent). */
export function reconcileMode(now: bigint): void {
    for (const [id] of activeExecutions()) reconcileExecution(id, now);
}

/** Timer step: fails what is past its deadline, re-runs what became runnable. */
export function checkDeadlines(now: bigint = runtime.now()): void {
    for (const [id, deadline] of activeExecutions()) {
        if (deadline > now) {
            runtime.wakeDeadlines(deadline, now);
            continue;
        }
        const stored = getExecution(id);
        if (stored === undefined) continue;
        const wf = compiledFor(stored.execution.workflowId, stored.execution.workflowVersion);
        commit(stored, checkTimeouts(wf, stored.execution, now), now, wf);
    }
}
