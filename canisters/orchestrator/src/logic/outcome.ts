import { DEFAULT_NODE_TIMEOUT_MS, isRetryableNodeError, msToNs, nextRetryAt, parseJson, retryPolicyFor, seedFromText, WORKFLOW_LIMITS, type Execution, type NodeError, type NodeState } from '../../../../shared/workflow';
import { advanceDraft, dispatchAttempt, evalContext, succeedNode } from './advance';
import { closeDraft, nodeDef, openDraft, patchNode, type CompiledWorkflow, type Draft } from './draft';
import type { Step } from './effects';
import { isActiveNode, isTerminalExecution } from './machine';
import { replyFailure } from './failure';
import { failNodeFinally } from './recover';

/** The outcome of one node attempt, as the executor (or a started workflow) reports it. */
export type AttemptReport = {
    nodeId: string;
    attempt: number;
    startedAt: bigint;
    finishedAt: bigint;
    outcome: { kind: 'Succeeded'; output: string } | { kind: 'Failed'; error: NodeError };
};

/** Why a report changed nothing; all are answered `Ok` so a retried report is harmless. */
export type IgnoredReport = 'UnknownNode' | 'ExecutionFinished' | 'NotAwaited' | 'StaleAttempt';

/**
 * Records one attempt's outcome.
 * - success: the output is recorded and dependents become runnable;
 * - failure: the next attempt is dispatched with backoff (its `dueAt` from `nextRetryAt`,
 *   jitter seeded by the execution and node ids), or, once retries are exhausted or the error
 *   is not retryable, emergency actions run and the fallback applies.
 * A report for an attempt that is not the one awaited (duplicate, late, after cancel or
 * timeout) is ignored: that is what makes `report_node_result` idempotent.
 *
 * @example
 * const { state, effects, ignored } = handleNodeResult(compiled, exec, { nodeId: 'price', attempt: 1, startedAt, finishedAt, outcome: { kind: 'Succeeded', output: '{"price_e8s":5}' } }, now);
 */
export function handleNodeResult(wf: CompiledWorkflow, exec: Execution, report: AttemptReport, now: bigint): Step<Execution> & { ignored?: IgnoredReport } {
    const d = openDraft(wf, exec, now);
    const ignored = applyReport(d, report);
    if (ignored !== undefined) return { state: exec, effects: [], ignored };
    advanceDraft(d);
    return closeDraft(d);
}

function applyReport(d: Draft, r: AttemptReport): IgnoredReport | undefined {
    const s = d.states.get(r.nodeId);
    if (s === undefined) return 'UnknownNode';
    if (isTerminalExecution(d.exec.status)) return 'ExecutionFinished';
    if (!isActiveNode(s.status)) return 'NotAwaited';
    const current = s.attempts[s.attempts.length - 1];
    // A finished current attempt is already recorded (its retry is held while paused).
    if (current === undefined || current.attempt !== r.attempt || current.finishedAt !== undefined) return 'StaleAttempt';

    const error = attemptError(d, r);
    const attempts = s.attempts.map((a) => (a.attempt === r.attempt ? { attempt: a.attempt, startedAt: r.startedAt, finishedAt: r.finishedAt, error } : a));
    patchNode(d, r.nodeId, { attempts });

    if (error !== undefined) recordFailure(d, r.nodeId, r.attempt, error, r.finishedAt);
    else if (r.outcome.kind === 'Succeeded') succeedNode(d, r.nodeId, r.outcome.output);
    return undefined;
}

/**
 * The error an attempt ended with: the one reported, or, for an answered call, what its
 * failure rule makes of the reply (`ReplyErr`, see {@link replyFailure}); an output that is not
 * JSON, or nested too deep to parse safely, fails the attempt as `InvalidReply`.
 */
export function attemptError(d: Draft, r: AttemptReport): NodeError | undefined {
    if (r.outcome.kind === 'Failed') return r.outcome.error;
    const parsed = parseJson(r.outcome.output);
    if (!parsed.ok) return { kind: 'InvalidReply', message: `output is not JSON: ${parsed.message}`.slice(0, WORKFLOW_LIMITS.maxDescriptionChars) };
    const c = nodeDef(d, r.nodeId).config;
    return c.kind === 'Call' ? replyFailure(r.nodeId, c, parsed.value, evalContext(d)) : undefined;
}

/**
 * A failed attempt: retry per policy (the first `retryOn` rule matching the error's class, else
 * `retry`: see {@link retryPolicyFor}), or fail for good. Deterministic errors (Evaluation,
 * CallRefused, QuotaExceeded) are not retried, whatever the rules say.
 * While the execution is paused the retry is decided (its due time recorded) but held, not
 * dispatched: {@link releaseHeldRetries} sends it when the execution resumes.
 * The backoff counts from when the attempt failed (`failedAt`), not from when its report
 * arrived: a report delayed by the outbox must not stretch the retry delay.
 */
export function recordFailure(d: Draft, nodeId: string, attempt: number, error: NodeError, failedAt: bigint = d.now): void {
    const policy = retryPolicyFor(nodeDef(d, nodeId).recovery, error);
    patchNode(d, nodeId, { error });
    const next = !isRetryableNodeError(error.kind) ? undefined : nextRetryAt(policy, attempt, failedAt < d.now ? failedAt : d.now, seedFromText(`${d.exec.id}/${nodeId}`));
    if (next === undefined || next.kind === 'Exhausted') {
        failNodeFinally(d, nodeId, error);
        return;
    }
    if (d.exec.status === 'Paused') {
        patchNode(d, nodeId, { status: 'WaitingRetry', nextAttemptAt: next.dueAt });
        return;
    }
    dispatchAttempt(d, nodeId, next.attempt, next.dueAt);
}

/**
 * A retry decided while paused and not sent yet: the node waits for a retry but its latest
 * attempt is already finished (a dispatched retry appends an unfinished attempt).
 */
export function isHeldRetry(s: NodeState): boolean {
    const current = s.attempts[s.attempts.length - 1];
    return s.status === 'WaitingRetry' && current !== undefined && current.finishedAt !== undefined;
}

/** Dispatches the retries held while the execution was paused, at their time or now if that passed. */
export function releaseHeldRetries(d: Draft): void {
    for (const [id, s] of d.states) {
        if (!isHeldRetry(s)) continue;
        const last = s.attempts[s.attempts.length - 1]?.attempt ?? 0;
        const due = s.nextAttemptAt !== undefined && s.nextAttemptAt > d.now ? s.nextAttemptAt : d.now;
        dispatchAttempt(d, id, last + 1, due);
    }
}

/** The time by which the current attempt of an active node must have reported. */
export function nodeDeadline(wf: CompiledWorkflow, exec: Execution, nodeId: string, graceMs: number): bigint | undefined {
    const s = exec.nodes.find((n) => n.nodeId === nodeId);
    const n = wf.nodes.get(nodeId);
    if (s === undefined || n === undefined || !isActiveNode(s.status) || isHeldRetry(s)) return undefined;
    const current = s.attempts[s.attempts.length - 1];
    if (current === undefined) return undefined;
    return current.startedAt + msToNs((n.timeoutMs ?? DEFAULT_NODE_TIMEOUT_MS) + graceMs);
}

