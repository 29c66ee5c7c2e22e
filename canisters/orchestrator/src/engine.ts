/**
 * The adapter between the pure logic (`./logic`) and the canister: it loads state, runs one
 * step, commits the new execution and queues the step's effects in the stable outbox, all in
 * the same message. Inter-canister calls happen later, from the outbox timer, so a peer being
 * upgraded only delays them.
 */
import { canisterVersion, Principal } from 'azle';

import { apiError, type ApiError } from '../../../shared/common/errors';
import type { EmergencyState } from '../../../shared/monitoring/emergency';
import { completionOf, isValidCallbackMethod, refuseCompletionTarget, WORKFLOW_LIMITS, type CompletionCallback, type Execution, type Trigger } from '../../../shared/workflow';
import { buildId, PACKAGE_VERSION } from '../../common/version';
import { MAX_UNDERFUNDED_RUNS, hasRoomToWait, withWaiting } from '../../../shared/agent/funding';
import { requestFundingCheck } from './agents';
import { callRefusalOf, protectedCanisters, type CallRefusedError } from './call-policy';
import { requestLiquidation } from './liquidations';
import { fundingOf, isKnownAgent, updateFunding } from './owner-state';
import { budgetOf, chargeNotificationTo, countFor, countRefusedNotificationOf, pruneHistoryOf, quotaExceeded } from './quotas';
import {
    checkTimeouts,
    compileWorkflow,
    createUnderfunded,
    handleNodeResult,
    holdAction,
    holdCause,
    isTerminalExecution,
    nextDeadline,
    pauseExecution,
    resumeExecution,
    startExecution,
    type AttemptReport,
    type CompiledWorkflow,
    type Effect,
    type PauseCause,
    type Step
} from './logic';
import {
    activeExecutions,
    dueExecutions,
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
import { err, type Result } from '../../../shared/common/result';

/** Executions the deadline pass handles per timer message: its instructions stay bounded whatever is stored. */
export const DEADLINE_BATCH = 50;

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
            enqueue({ kind: 'Dispatch', executionId: e.executionId, nodeId: e.nodeId, attempt: e.attempt, dueAt: e.dueAt, timeoutMs: e.timeoutMs, task: e.task, ...(stored.emergencyRun ? { critical: true } : {}) }, now);
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
            // Not applied here: a system-wide mode needs the owner's authority, which the
            // monitor checks; its answer (and its push to every peer) brings the mode.
            enqueue({ kind: 'RequestEmergency', mode, reason, owner: stored.owner }, now);
            return;
        }
        case 'LiquidatePosition':
            requestLiquidation(stored.owner, e.slot, e.args, now);
            return;
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
            countFor(stored.owner, 'concurrent_executions', -1);
            pruneHistoryOf(stored.owner, e.executionId);
            // A run spent the agent's cycles (calls, attached cycles): read its balance again.
            requestFundingCheck(stored.owner, now);
            if (stored.scheduled !== undefined) {
                enqueue({ kind: 'ScheduledFinished', notice: { schedule_id: stored.scheduled.scheduleId, idempotency_key: stored.scheduled.idempotencyKey, execution_id: e.executionId, finished_at: e.finishedAt } }, now);
            }
            if (stored.completionCallback !== undefined) {
                enqueue({ kind: 'CompletionCallback', ...stored.completionCallback, completion: completionOf(stored.execution) }, now);
            }
            return;
    }
}

/** The code running now (its module hash: see `buildId`), recorded on every execution it starts. */
function ranBy(): Execution['ranBy'] {
    return { packageVersion: PACKAGE_VERSION, buildId: buildId(), canisterVersion: canisterVersion() };
}

/**
 * Why `caller` may not be called back at `method`, or `undefined`: the method must be a valid
 * method name and the caller, the callback's target, a canister outside DeFlow.
 */
function completionCallbackError(caller: Principal, method: string): ApiError | undefined {
    if (!isValidCallbackMethod(method)) return apiError.invalidInput('callback_method', `1 to ${WORKFLOW_LIMITS.maxMethodChars} characters`);
    const refused = refuseCompletionTarget(caller, { protectedCanisters: protectedCanisters(), isAgent: isKnownAgent });
    return refused === undefined ? undefined : apiError.invalidInput('callback_method', `the callback goes to the caller, which must be a canister outside DeFlow (${refused})`);
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
    /** Started by a node's `ExecuteEmergencyWorkflow`: emergency and safe mode do not block or pause it. */
    emergencyRun?: boolean;
    /** A dapp's completion callback: its canister is the caller (checked here, after ownership). */
    completionCallback?: CompletionCallback;
};

/**
 * Starts an execution of the latest version of a workflow for `caller`, who must own it.
 * Errors: NotFound, Unauthorized, Conflict (workflow paused), EmergencyMode, CallRefused (a
 * call node of the version outside the owner's current rule: stored before the rule, or the
 * owner narrowed their allow-list since), LimitExceeded (`concurrent_executions`: the owner's
 * quota of unfinished executions; `underfunded_runs`: the owner's agent is short and
 * `MAX_UNDERFUNDED_RUNS` runs already wait). While the owner's agent is short the
 * execution is created `Underfunded` and starts after a top-up.
 */
export function startNew(req: StartRequest, now: bigint): Result<Execution, ApiError | CallRefusedError> {
    if (req.scheduled !== undefined) {
        const existing = executionForKey(req.scheduled.idempotencyKey);
        const stored = existing === undefined ? undefined : getExecution(existing);
        if (stored !== undefined) return { Ok: stored.execution };
    }
    const w = getWorkflow(req.workflowId);
    if (w === undefined) return err(apiError.notFound('workflow', req.workflowId));
    if (w.owner !== req.caller.toText()) return err(apiError.unauthorized(req.caller));
    const badCallback = req.completionCallback === undefined ? undefined : completionCallbackError(req.caller, req.completionCallback.method);
    if (badCallback !== undefined) return err(badCallback);
    if (w.status === 'Paused') return err(apiError.conflict(`workflow ${w.id} is paused`));
    const wf = compiledFor(w.id, w.latestVersion);
    const blocked = req.emergencyRun === true ? undefined : emergencyBlocks(wf.def.critical === true);
    if (blocked !== undefined) return err(blocked);
    const refused = callRefusalOf(wf.def, req.caller);
    if (refused !== undefined) return err(refused);
    const full = quotaExceeded(w.owner, 'concurrent_executions');
    if (full !== undefined) return err(full);
    // The owner's agent is short of cycles: the run is created and waits (funding.ts starts it after a top-up).
    const underfunded = fundingOf(w.owner).underfunded;
    if (underfunded && !hasRoomToWait(fundingOf(w.owner))) return err(apiError.limitExceeded('underfunded_runs', BigInt(MAX_UNDERFUNDED_RUNS)));
    const id = nextExecutionId();
    const fresh = { id, workflowId: w.id, workflowVersion: w.latestVersion, trigger: req.trigger, input: req.input, ranBy: ranBy() };
    const step = underfunded ? createUnderfunded(wf, fresh, now) : startExecution(wf, fresh, now);
    if (underfunded) updateFunding(w.owner, (f) => withWaiting(f, id));
    if (req.scheduled !== undefined) rememberKey(req.scheduled.idempotencyKey, id);
    countFor(w.owner, 'concurrent_executions', 1);
    commit({ schema_version: 1, execution: step.state, owner: w.owner, scheduled: req.scheduled, completionCallback: req.completionCallback, ...(req.emergencyRun === true ? { emergencyRun: true } : {}) }, step, now, wf);
    return { Ok: step.state };
}

/** Records a node attempt's outcome (from the executor, or a local start_workflow node). */
export function applyReport(executionId: string, report: AttemptReport, now: bigint): void {
    const stored = getExecution(executionId);
    if (stored === undefined) return; // pruned or unknown: nothing waits for it
    // Finished: a late report changes nothing (and its version may have been pruned since).
    if (isTerminalExecution(stored.execution.status)) return;
    const wf = compiledFor(stored.execution.workflowId, stored.execution.workflowVersion);
    const step = handleNodeResult(wf, stored.execution, report, now);
    if (step.ignored !== undefined) return;
    commit(stored, step, now, wf);
}

/** What holds executions of the workflow now (its owner paused it, or emergency mode), if anything. */
export function holdCauseOf(workflowId: string, emergencyRun = false): PauseCause | undefined {
    // An emergency workflow's run is critical by definition: emergency mode does not hold it.
    return holdCause({ workflowPaused: getWorkflow(workflowId)?.status === 'Paused', emergencyMode: 'Emergency' in emergency.current.mode && !emergencyRun });
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
    const cause = holdCauseOf(x.workflowId, stored.emergencyRun === true);
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
    // Only what is due is read (the deadline index's front), a bounded batch per pass.
    const due = dueExecutions(now, DEADLINE_BATCH);
    for (const id of due.ids) {
        const stored = getExecution(id);
        if (stored === undefined) continue;
        const wf = compiledFor(stored.execution.workflowId, stored.execution.workflowVersion);
        commit(stored, checkTimeouts(wf, stored.execution, now), now, wf);
    }
    const next = dueExecutions(now, 0).next;
    if (next !== undefined) runtime.wakeDeadlines(next, now);
}
