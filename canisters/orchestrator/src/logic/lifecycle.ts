import type { Execution, NodeError } from '../../../../shared/workflow';
import { advanceDraft } from './advance';
import { closeDraft, failExecution, haltNodes, openDraft, patchNode, setExecutionStatus, type CompiledWorkflow } from './draft';
import type { Step } from './effects';
import { checkExecutionTransition, isTerminalExecution, type TransitionError } from './machine';
import { nodeDeadline, recordFailure, releaseHeldRetries } from './outcome';
import { err, type Result } from '../../../../shared/common/result';

/**
 * Grace added to a node's timeout before the orchestrator gives up on it: the executor
 * enforces the timeout itself and reports `TimedOut`; this backstop only fires when that
 * report cannot arrive (executor stopped for an upgrade for longer than the grace).
 */
export const NODE_TIMEOUT_GRACE_MS = 60_000;

type Transitioned = Result<Step<Execution>, TransitionError>;

/**
 * Cancels an execution: unfinished nodes are cancelled and the executor is told to drop
 * scheduled attempts. `Err` (IllegalExecutionTransition) if it already finished.
 *
 * @example
 * const r = cancelExecution(compiled, exec, now);
 * if ('Err' in r) return err(apiError.conflict('execution already finished'));
 */
export function cancelExecution(wf: CompiledWorkflow, exec: Execution, now: bigint): Transitioned {
    const t = checkExecutionTransition(exec.status, 'Cancelled');
    if ('Err' in t) return t;
    const d = openDraft(wf, exec, now);
    haltNodes(d);
    setExecutionStatus(d, 'Cancelled');
    return { Ok: closeDraft(d) };
}

/**
 * Pauses an execution (its workflow was paused, or emergency mode is on): no node starts and
 * no retry is dispatched while paused; attempts already out finish and are recorded, and a
 * retry they call for is held until {@link resumeExecution}.
 */
export function pauseExecution(wf: CompiledWorkflow, exec: Execution, now: bigint): Transitioned {
    const t = checkExecutionTransition(exec.status, 'Paused');
    if ('Err' in t) return t;
    const d = openDraft(wf, exec, now);
    setExecutionStatus(d, 'Paused');
    return { Ok: closeDraft(d) };
}

/** Resumes a paused execution: sends the retries held meanwhile and starts what became runnable. */
export function resumeExecution(wf: CompiledWorkflow, exec: Execution, now: bigint): Transitioned {
    // Only a paused execution resumes (Pending -> Running is a start, not a resume).
    if (exec.status !== 'Paused') return err({ kind: 'IllegalExecutionTransition', from: exec.status, to: 'Running' });
    const d = openDraft(wf, exec, now);
    setExecutionStatus(d, 'Running');
    releaseHeldRetries(d);
    advanceDraft(d);
    return { Ok: closeDraft(d) };
}

/**
 * The timer step: fails the execution past its deadline; an active node past its own
 * deadline (timeout + grace) gets a `TimedOut` failure of its current attempt, which then
 * retries or falls back like any failure. A late report for that attempt is ignored.
 */
export function checkTimeouts(wf: CompiledWorkflow, exec: Execution, now: bigint, graceMs = NODE_TIMEOUT_GRACE_MS): Step<Execution> {
    if (isTerminalExecution(exec.status)) return { state: exec, effects: [] };
    const d = openDraft(wf, exec, now);
    if (now >= exec.deadlineAt) {
        failExecution(d, { kind: 'TimedOut', deadlineAt: exec.deadlineAt });
        return closeDraft(d);
    }
    for (const s of exec.nodes) {
        const deadline = nodeDeadline(wf, exec, s.nodeId, graceMs);
        if (deadline === undefined || now < deadline || isTerminalExecution(d.exec.status)) continue;
        const attempt = s.attempts[s.attempts.length - 1]?.attempt ?? 1;
        const error: NodeError = { kind: 'TimedOut', message: `no result by ${deadline} ns` };
        // The attempt is recorded as finished here: a late report for it is then stale, and a
        // retry held while paused is not timed out again.
        patchNode(d, s.nodeId, { attempts: s.attempts.map((a) => (a.attempt === attempt ? { ...a, finishedAt: now, error } : a)) });
        recordFailure(d, s.nodeId, attempt, error);
    }
    advanceDraft(d);
    return closeDraft(d);
}

/** When {@link checkTimeouts} next has something to do: the adapter arms one timer for it. */
export function nextDeadline(wf: CompiledWorkflow, exec: Execution, graceMs = NODE_TIMEOUT_GRACE_MS): bigint | undefined {
    if (isTerminalExecution(exec.status)) return undefined;
    let min = exec.deadlineAt;
    for (const s of exec.nodes) {
        const dl = nodeDeadline(wf, exec, s.nodeId, graceMs);
        if (dl !== undefined && dl < min) min = dl;
    }
    return min;
}
