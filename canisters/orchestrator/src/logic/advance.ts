import {
    DEFAULT_EXECUTION_TIMEOUT_MS,
    DEFAULT_NODE_TIMEOUT_MS,
    WORKFLOW_LIMITS,
    encodeArgsFromJson,
    msToNs,
    nodeErrorJson,
    parseCandidTypes,
    parseJson,
    utf8Bytes,
    type CodeVersion,
    type Execution,
    type JsonValue,
    type NodeError,
    type NodeState,
    type NodeTask,
    type Trigger
} from '../../../../shared/workflow';
import { assertNever, err, type Result } from '../../../../shared/common/result';
import { closeDraft, emitNotification, nodeDef, nodeState, openDraft, patchNode, setExecutionStatus, type CompiledWorkflow, type Draft } from './draft';
import type { Step } from './effects';
import type { TransitionError } from './machine';
import { describeEvalError, evaluateCondition, evaluateTransform, resolveAll, type EvalContext } from './evaluate';
import { nextRunnable, resolutionOf } from './readiness';
import { failNodeFinally } from './recover';

/** What starting an execution needs besides the workflow. */
export type NewExecution = {
    id: string;
    workflowId: string;
    workflowVersion: number;
    trigger: Trigger;
    /** JSON text, validated by the caller (`JsonTextSchema`). */
    input: string;
    ranBy: CodeVersion;
};

/**
 * Creates an execution and runs it as far as it goes without waiting: inline nodes
 * (condition, transform, notify) complete at once, others are dispatched as effects.
 *
 * @example
 * const { state, effects } = startExecution(compiled, { id, workflowId, workflowVersion: 1, trigger: { kind: 'Manual' }, input: '{}', ranBy }, now);
 */
export function startExecution(wf: CompiledWorkflow, p: NewExecution, now: bigint): Step<Execution> {
    const d = openDraft(wf, newExecution(wf, p, now), now);
    setExecutionStatus(d, 'Running');
    advanceDraft(d);
    return closeDraft(d);
}

/**
 * Creates an execution that waits, `Underfunded`, for its owner's agent to be topped up: no
 * node runs until {@link releaseUnderfunded}. Its deadline counts from now, waiting included:
 * a run that waited too long fails `TimedOut` rather than acting on stale input.
 */
export function createUnderfunded(wf: CompiledWorkflow, p: NewExecution, now: bigint): Step<Execution> {
    const d = openDraft(wf, newExecution(wf, p, now), now);
    setExecutionStatus(d, 'Underfunded');
    return closeDraft(d);
}

/** Starts an `Underfunded` execution (its owner's agent was topped up); `Err` if it is no longer waiting (cancelled, timed out). */
export function releaseUnderfunded(wf: CompiledWorkflow, exec: Execution, now: bigint): Result<Step<Execution>, TransitionError> {
    if (exec.status !== 'Underfunded') return err({ kind: 'IllegalExecutionTransition', from: exec.status, to: 'Running' });
    const d = openDraft(wf, exec, now);
    setExecutionStatus(d, 'Running');
    advanceDraft(d);
    return { Ok: closeDraft(d) };
}

function newExecution(wf: CompiledWorkflow, p: NewExecution, now: bigint): Execution {
    const nodes: NodeState[] = wf.def.nodes.map((n) => ({ nodeId: n.id, status: wf.standby.has(n.id) ? 'Standby' : 'Pending', attempts: [] }));
    return { ...p, status: 'Pending', nodes, createdAt: now, deadlineAt: now + msToNs(wf.def.timeoutMs ?? DEFAULT_EXECUTION_TIMEOUT_MS) };
}

/** Runs whatever became runnable (after a result, a resume, an alternative's activation). */
export function advance(wf: CompiledWorkflow, exec: Execution, now: bigint): Step<Execution> {
    const d = openDraft(wf, exec, now);
    advanceDraft(d);
    return closeDraft(d);
}

/** The evaluation context over the draft: the input, outputs of resolved nodes, errors of failed ones. */
export function evalContext(d: Draft): EvalContext {
    const input = parseJson(d.exec.input);
    return {
        input: input.ok ? input.value : null,
        output(id) {
            const s = d.states.get(id);
            if (s === undefined) return undefined;
            const r = resolutionOf(s);
            if (r.kind !== 'Done') return undefined;
            const p = parseJson(r.output);
            return p.ok ? p.value : undefined;
        },
        error(id) {
            const s = d.states.get(id);
            return s !== undefined && s.status === 'Failed' && s.error !== undefined ? nodeErrorJson(s.error) : undefined;
        }
    };
}

export function advanceDraft(d: Draft): void {
    // Each pass starts or skips at least one pending node, or stops: at most nodes + 1 passes.
    for (let pass = 0; pass <= d.wf.def.nodes.length + 1; pass++) {
        settleAlternatives(d);
        if (d.exec.status !== 'Running') return;
        const { run, skip } = nextRunnable(d.wf.nodes, d.wf.order, (id) => d.states.get(id));
        for (const id of skip) patchNode(d, id, { status: 'Skipped', finishedAt: d.now });
        for (const id of run) {
            if (d.exec.status !== 'Running') return;
            startNode(d, id);
        }
        if (run.length === 0 && skip.length === 0) break;
    }
    settleAlternatives(d);
    finishIfComplete(d);
}

/** A node that took UseAlternativeNode resolves with its alternative's output once that resolves. */
function settleAlternatives(d: Draft): void {
    for (const [id, s] of d.states) {
        if (s.status !== 'Failed' || s.fallbackTaken !== 'UseAlternativeNode' || s.output !== undefined) continue;
        const fb = nodeDef(d, id).recovery.fallback;
        if (fb.kind !== 'UseAlternativeNode') continue;
        const r = resolutionOf(nodeState(d, fb.nodeId));
        if (r.kind === 'Done') patchNode(d, id, { output: r.output });
        else if (r.kind === 'NotTaken') patchNode(d, id, { output: 'null' });
    }
}

function finishIfComplete(d: Draft): void {
    if (d.exec.status !== 'Running') return;
    for (const s of d.states.values()) {
        if (s.status === 'Standby') continue;
        const r = resolutionOf(s);
        if (r.kind === 'Unresolved' || r.kind === 'Halted') return;
    }
    setExecutionStatus(d, 'Succeeded');
}

/** Records a node's success; the output must be JSON text within the output bound. */
export function succeedNode(d: Draft, id: string, output: string): void {
    if (utf8Bytes(output) > WORKFLOW_LIMITS.maxOutputBytes) {
        failNodeFinally(d, id, { kind: 'InvalidReply', message: `output exceeds ${WORKFLOW_LIMITS.maxOutputBytes} bytes` });
        return;
    }
    patchNode(d, id, { status: 'Succeeded', output, error: undefined, finishedAt: d.now, nextAttemptAt: undefined });
}

function evaluationError(message: string): NodeError {
    return { kind: 'Evaluation', message };
}

/** The task a dispatched node runs; templates are rendered here, where outputs are known. */
export function taskFor(d: Draft, id: string): { ok: true; task: NodeTask } | { ok: false; error: NodeError } {
    const c = nodeDef(d, id).config;
    if (c.kind === 'Delay') return { ok: true, task: { kind: 'Wait' } };
    if (c.kind !== 'Call') return { ok: false, error: evaluationError(`node kind ${c.kind} is not dispatched`) };
    let args: Uint8Array;
    if (c.args.kind === 'Raw') {
        args = c.args.bytes;
    } else {
        const types = parseCandidTypes(c.args.types);
        if (!types.ok) return { ok: false, error: evaluationError(`argument types: ${types.message}`) };
        const values = resolveAll(c.args.values, evalContext(d));
        if (!values.ok) return { ok: false, error: evaluationError(describeEvalError(values.error)) };
        const bytes = encodeArgsFromJson(types.types, values.value);
        if (!bytes.ok) return { ok: false, error: evaluationError(`argument ${bytes.path}: ${bytes.message}`) };
        if (bytes.value.length > WORKFLOW_LIMITS.maxPayloadBytes) return { ok: false, error: evaluationError('encoded arguments too large') };
        args = bytes.value;
    }
    return { ok: true, task: { kind: 'Call', canister: c.canister, method: c.method, args, cycles: c.cycles, reply: c.reply } };
}

/**
 * Sends attempt `attempt` of a dispatched node (call, delay, start_workflow), due at `dueAt`.
 * Returns false if the task could not even be built (the node has then failed for good).
 */
export function dispatchAttempt(d: Draft, id: string, attempt: number, dueAt: bigint): boolean {
    const node = nodeDef(d, id);
    const c = node.config;
    const timeoutMs = node.timeoutMs ?? DEFAULT_NODE_TIMEOUT_MS;
    const s = nodeState(d, id);
    const attempts = [...s.attempts, { attempt, startedAt: dueAt }];
    if (c.kind === 'StartWorkflow') {
        let input: JsonValue = null;
        if (c.input !== undefined) {
            const r = resolveAll([c.input], evalContext(d));
            if (!r.ok) {
                failNodeFinally(d, id, evaluationError(describeEvalError(r.error)));
                return false;
            }
            input = r.value[0];
        }
        patchNode(d, id, { status: attempt === 1 ? 'Running' : 'WaitingRetry', attempts, startedAt: s.startedAt ?? d.now, nextAttemptAt: attempt === 1 ? undefined : dueAt });
        d.effects.push({ kind: 'StartWorkflow', workflowId: c.workflowId, input: JSON.stringify(input), origin: { kind: 'Node', executionId: d.exec.id, nodeId: id, attempt } });
        return true;
    }
    const t = taskFor(d, id);
    if (!t.ok) {
        failNodeFinally(d, id, t.error);
        return false;
    }
    patchNode(d, id, { status: attempt === 1 ? 'Running' : 'WaitingRetry', attempts, startedAt: s.startedAt ?? d.now, nextAttemptAt: attempt === 1 ? undefined : dueAt });
    d.effects.push({ kind: 'DispatchNode', executionId: d.exec.id, nodeId: id, attempt, dueAt, timeoutMs, task: t.task });
    return true;
}

/** Starts a runnable node: inline kinds finish now, the others are dispatched. */
function startNode(d: Draft, id: string): void {
    const c = nodeDef(d, id).config;
    switch (c.kind) {
        case 'Condition': {
            patchNode(d, id, { startedAt: d.now });
            const r = evaluateCondition(c, evalContext(d));
            if (r.ok) succeedNode(d, id, r.value ? 'true' : 'false');
            else failNodeFinally(d, id, evaluationError(describeEvalError(r.error)));
            return;
        }
        case 'Transform': {
            patchNode(d, id, { startedAt: d.now });
            const r = evaluateTransform(c, evalContext(d));
            if (r.ok) succeedNode(d, id, JSON.stringify(r.value));
            else failNodeFinally(d, id, evaluationError(describeEvalError(r.error)));
            return;
        }
        case 'Notify':
            patchNode(d, id, { startedAt: d.now });
            if (emitNotification(d, { kind: 'Notify', level: c.level, message: c.message, executionId: d.exec.id, nodeId: id })) succeedNode(d, id, 'null');
            else failNodeFinally(d, id, { kind: 'QuotaExceeded', message: "the owner's notification quota for this hour is used up; nothing was sent" });
            return;
        case 'Delay':
            dispatchAttempt(d, id, 1, d.now + msToNs(c.durationMs));
            return;
        case 'Call':
        case 'StartWorkflow':
            dispatchAttempt(d, id, 1, d.now);
            return;
        default:
            assertNever(c, 'node config');
    }
}
