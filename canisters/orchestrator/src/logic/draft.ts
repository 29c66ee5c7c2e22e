import { type Execution, type ExecutionFailure, type ExecutionStatus, type NodeState, type WorkflowDefinition, type WorkflowNode } from '../../../../shared/workflow';
import { validateDag, type DagError } from './dag';
import type { Effect, Step } from './effects';

/**
 * What the workflow's owner may still spend in the message that runs a step, set by the
 * adapter from the owner's quotas; absent (unit tests, tools), nothing is limited.
 */
export type OwnerBudget = { readonly notifications: number };
import { checkExecutionTransition, checkNodeTransition, isActiveNode, isTerminalExecution } from './machine';
import type { Result } from '../../../../shared/common/result';

/** A definition with its validated graph index, computed once per message. */
export type CompiledWorkflow = {
    readonly def: WorkflowDefinition;
    readonly nodes: ReadonlyMap<string, WorkflowNode>;
    readonly order: readonly string[];
    readonly standby: ReadonlySet<string>;
    readonly budget?: OwnerBudget;
};

/**
 * Validates and indexes a definition.
 *
 * @example
 * const c = compileWorkflow(def);
 * if ('Err' in c) return err(dagErrorToApiError(c.Err));
 */
export function compileWorkflow(def: WorkflowDefinition): Result<CompiledWorkflow, DagError> {
    const r = validateDag(def);
    if ('Err' in r) return r;
    return { Ok: { def, nodes: new Map(def.nodes.map((n) => [n.id, n])), order: r.Ok.order, standby: r.Ok.standby } };
}

/**
 * The working copy of one step. Steps mutate the draft (never their inputs) and
 * {@link closeDraft} returns a fresh execution plus the effects in order.
 */
export type Draft = {
    readonly wf: CompiledWorkflow;
    readonly now: bigint;
    exec: Execution;
    readonly states: Map<string, NodeState>;
    readonly effects: Effect[];
    /** Notifications the owner may still send in this step (from `wf.budget`). */
    notificationsLeft: number;
};

export function openDraft(wf: CompiledWorkflow, exec: Execution, now: bigint): Draft {
    return {
        wf,
        now,
        exec: { ...exec },
        states: new Map(exec.nodes.map((n) => [n.nodeId, { ...n, attempts: n.attempts.map((a) => ({ ...a })) }])),
        effects: [],
        notificationsLeft: wf.budget?.notifications ?? Number.POSITIVE_INFINITY
    };
}

export type NotifyEffect = Extract<Effect, { kind: 'Notify' }>;

/**
 * Emits a notification if the owner's quota has room, else a `NotificationRefused` effect
 * (counted for the owner, who sees it in their quotas). Answers whether it was emitted.
 */
export function emitNotification(d: Draft, n: NotifyEffect): boolean {
    if (d.notificationsLeft <= 0) {
        d.effects.push({ kind: 'NotificationRefused', executionId: n.executionId, nodeId: n.nodeId });
        return false;
    }
    d.notificationsLeft -= 1;
    d.effects.push(n);
    return true;
}

export function closeDraft(d: Draft): Step<Execution> {
    return { state: { ...d.exec, nodes: d.exec.nodes.map((n) => d.states.get(n.nodeId) ?? n) }, effects: d.effects };
}

export function nodeDef(d: Draft, id: string): WorkflowNode {
    const n = d.wf.nodes.get(id);
    if (n === undefined) throw new Error(`invariant: node '${id}' not in workflow`);
    return n;
}

export function nodeState(d: Draft, id: string): NodeState {
    const s = d.states.get(id);
    if (s === undefined) throw new Error(`invariant: node '${id}' has no state`);
    return s;
}

/** Changes a node; an illegal status change is a bug in this module, so it throws. */
export function patchNode(d: Draft, id: string, patch: Partial<NodeState>): NodeState {
    const cur = nodeState(d, id);
    if (patch.status !== undefined && patch.status !== cur.status) {
        const t = checkNodeTransition(id, cur.status, patch.status);
        if ('Err' in t) throw new Error(`invariant: ${JSON.stringify(t.Err)}`);
    }
    const next = { ...cur, ...patch };
    d.states.set(id, next);
    return next;
}

/** Changes the execution status; emits `ExecutionFinished` when it becomes terminal. */
export function setExecutionStatus(d: Draft, to: ExecutionStatus): void {
    const t = checkExecutionTransition(d.exec.status, to);
    if ('Err' in t) throw new Error(`invariant: ${JSON.stringify(t.Err)}`);
    d.exec = { ...d.exec, status: to, startedAt: d.exec.startedAt ?? (to === 'Running' ? d.now : undefined) };
    if (isTerminalExecution(to)) {
        d.exec = { ...d.exec, finishedAt: d.now };
        d.effects.push({ kind: 'ExecutionFinished', executionId: d.exec.id, workflowId: d.exec.workflowId, status: to, startedAt: d.exec.startedAt ?? d.exec.createdAt, finishedAt: d.now });
    }
}

/** Stops every node that has not finished; tells the executor if any attempt was out. */
export function haltNodes(d: Draft): void {
    let dispatched = false;
    for (const [id, s] of d.states) {
        if (isActiveNode(s.status)) dispatched = true;
        if (isActiveNode(s.status) || s.status === 'Pending') patchNode(d, id, { status: 'Cancelled', finishedAt: d.now, nextAttemptAt: undefined });
    }
    if (dispatched) d.effects.push({ kind: 'CancelDispatched', executionId: d.exec.id });
}

/** Ends the execution as Failed (a node stopped it, or it timed out). */
export function failExecution(d: Draft, failure: ExecutionFailure): void {
    if (isTerminalExecution(d.exec.status)) return;
    d.exec = { ...d.exec, failure };
    haltNodes(d);
    setExecutionStatus(d, 'Failed');
}
