import { Principal } from '@dfinity/principal';
import { z } from 'zod';
import { jsonTextSchema, parseJson, type JsonValue } from './json';
import { NODE_ERROR_KINDS, NodeErrorKindWire, type NodeErrorKind } from './node-error-kind';
import { WORKFLOW_LIMITS } from './limits';
import { PrincipalTextSchema } from './node';
import { fromOpt, toOpt, c, type Infer } from '../common/codec';

const IdSchema = z.string().min(1).max(WORKFLOW_LIMITS.maxNodeIdChars);
const TimeSchema = z.bigint().min(0n);
const OutputJsonSchema = jsonTextSchema(WORKFLOW_LIMITS.maxOutputBytes);

// ---- trigger ----

export const TriggerWire = c.variant({
    Manual: c.null,
    Schedule: c.record({ schedule_id: c.text, due_at: c.nat64 }),
    Workflow: c.record({ execution_id: c.text }),
    Dapp: c.record({ canister: c.principal })
});
export type TriggerWire = Infer<typeof TriggerWire>;

/** Who or what started an execution. */
export const TriggerSchema = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('Manual') }),
    z.object({ kind: z.literal('Schedule'), scheduleId: IdSchema, dueAt: TimeSchema }),
    z.object({ kind: z.literal('Workflow'), executionId: IdSchema }),
    z.object({ kind: z.literal('Dapp'), canister: PrincipalTextSchema })
]);
export type Trigger = z.infer<typeof TriggerSchema>;

export function encodeTrigger(t: Trigger): TriggerWire {
    switch (t.kind) {
        case 'Manual':
            return { Manual: null };
        case 'Schedule':
            return { Schedule: { schedule_id: t.scheduleId, due_at: t.dueAt } };
        case 'Workflow':
            return { Workflow: { execution_id: t.executionId } };
        case 'Dapp':
            return { Dapp: { canister: Principal.fromText(t.canister) } };
    }
}

export function decodeTrigger(v: TriggerWire): Trigger {
    if ('Manual' in v) return { kind: 'Manual' };
    if ('Schedule' in v) return { kind: 'Schedule', scheduleId: v.Schedule.schedule_id, dueAt: v.Schedule.due_at };
    if ('Workflow' in v) return { kind: 'Workflow', executionId: v.Workflow.execution_id };
    return { kind: 'Dapp', canister: v.Dapp.canister.toText() };
}

// ---- statuses (const objects: derived union, Candid variant of nulls) ----

export const ExecutionStatus = {
    Pending: 'Pending',
    Running: 'Running',
    Succeeded: 'Succeeded',
    Failed: 'Failed',
    Cancelled: 'Cancelled',
    Paused: 'Paused',
    /**
     * Created, not started: the owner's agent holds less than `AGENT_RUN_MIN_BALANCE`
     * (`shared/agent/funding.ts`). It starts by itself once the agent is topped up; its
     * timeout counts from its creation, waiting included.
     */
    Underfunded: 'Underfunded'
} as const;
export type ExecutionStatus = (typeof ExecutionStatus)[keyof typeof ExecutionStatus];
const EXECUTION_STATUSES = Object.values(ExecutionStatus);
export const ExecutionStatusSchema = z.enum(EXECUTION_STATUSES);
export const ExecutionStatusWire = c.variant({ Pending: c.null, Running: c.null, Succeeded: c.null, Failed: c.null, Cancelled: c.null, Paused: c.null, Underfunded: c.null });
export type ExecutionStatusWire = Infer<typeof ExecutionStatusWire>;

/**
 * Per-node status. `Standby` nodes are alternatives that run only when a failed node's
 * fallback activates them; `WaitingRetry` has a next attempt due at `nextAttemptAt`.
 */
export const NodeStatus = {
    Standby: 'Standby',
    Pending: 'Pending',
    Running: 'Running',
    WaitingRetry: 'WaitingRetry',
    Succeeded: 'Succeeded',
    Failed: 'Failed',
    Skipped: 'Skipped',
    Cancelled: 'Cancelled'
} as const;
export type NodeStatus = (typeof NodeStatus)[keyof typeof NodeStatus];
const NODE_STATUSES = Object.values(NodeStatus);
export const NodeStatusSchema = z.enum(NODE_STATUSES);
export const NodeStatusWire = c.variant({
    Standby: c.null,
    Pending: c.null,
    Running: c.null,
    WaitingRetry: c.null,
    Succeeded: c.null,
    Failed: c.null,
    Skipped: c.null,
    Cancelled: c.null
});

/** A string-union status to its Candid variant `{ Tag: null }` and back. */
function encodeTag<T extends string>(tag: T): { [K in T]: { [P in K]: null } }[T] {
    return { [tag]: null } as { [K in T]: { [P in K]: null } }[T];
}

function decodeTag<T extends string>(all: readonly T[], v: object): T {
    const tag = all.find((t) => Object.prototype.hasOwnProperty.call(v, t));
    if (tag === undefined) throw new Error(`unknown variant tag ${Object.keys(v).join(',')}`);
    return tag;
}

export const encodeExecutionStatus = (s: ExecutionStatus): ExecutionStatusWire => encodeTag(s);
export const decodeExecutionStatus = (v: ExecutionStatusWire): ExecutionStatus => decodeTag(EXECUTION_STATUSES, v);

// ---- node errors ----

export { NodeErrorKind, NodeErrorKindWire } from './node-error-kind';

export const NodeErrorWire = c.record({
    kind: NodeErrorKindWire,
    message: c.text,
    reject_code: c.opt(c.nat32),
    case: c.opt(c.text),
    detail: c.opt(c.text),
    value: c.opt(c.text)
});
export type NodeErrorWire = Infer<typeof NodeErrorWire>;

/**
 * A node error. For `ReplyErr`: `case` is the reply variant case that meant failure (`Err`,
 * or a case the node named; absent for a failure condition), `detail` the case of the error
 * value when that value is itself a variant (ICRC-1's `InsufficientFunds`, `TemporarilyUnavailable`),
 * and `value` the error value (the whole reply for a failure condition) as JSON text.
 */
export const NodeErrorSchema = z.object({
    kind: z.enum(NODE_ERROR_KINDS),
    message: z.string().max(WORKFLOW_LIMITS.maxDescriptionChars),
    rejectCode: z.number().int().min(0).optional(),
    case: z.string().optional(),
    detail: z.string().optional(),
    value: z.string().max(WORKFLOW_LIMITS.maxOutputBytes).optional()
});
export type NodeError = z.infer<typeof NodeErrorSchema>;

/** Whether a failed attempt of this kind may be retried (the others fail the same way every time). */
export function isRetryableNodeError(kind: NodeErrorKind): boolean {
    return kind !== 'Evaluation' && kind !== 'CallRefused' && kind !== 'QuotaExceeded';
}

export function encodeNodeError(e: NodeError): NodeErrorWire {
    return { kind: encodeTag(e.kind), message: e.message, reject_code: toOpt(e.rejectCode), case: toOpt(e.case), detail: toOpt(e.detail), value: toOpt(e.value) };
}

/** Absent optional fields stay absent (so a decoded error equals the one encoded). */
export function decodeNodeError(v: NodeErrorWire): NodeError {
    const e: NodeError = { kind: decodeTag(NODE_ERROR_KINDS, v.kind), message: v.message, rejectCode: fromOpt(v.reject_code) };
    const kase = fromOpt(v.case);
    const detail = fromOpt(v.detail);
    const value = fromOpt(v.value);
    if (kase !== undefined) e.case = kase;
    if (detail !== undefined) e.detail = detail;
    if (value !== undefined) e.value = value;
    return e;
}

/**
 * The error of a node as the JSON that `Error` operands read: every field present (`null`
 * when unknown), `value` parsed (it is JSON text) so templates can reach into it.
 *
 * @example
 * nodeErrorJson({ kind: 'ReplyErr', message: 'Err', case: 'Err', value: '{"InsufficientFunds":{"balance":3}}' }).value; // { InsufficientFunds: { balance: 3 } }
 */
export function nodeErrorJson(e: NodeError): JsonValue {
    let value: JsonValue = null;
    if (e.value !== undefined) {
        const p = parseJson(e.value);
        value = p.ok ? p.value : e.value;
    }
    return { kind: e.kind, message: e.message, reject_code: e.rejectCode ?? null, case: e.case ?? null, detail: e.detail ?? null, value };
}

// ---- per-node state ----

export const FALLBACK_KINDS = ['UseAlternativeNode', 'SkipNode', 'UseDefaultValue', 'NotifyAndContinue', 'StopExecution'] as const;
export const FallbackKindWire = c.variant({ UseAlternativeNode: c.null, SkipNode: c.null, UseDefaultValue: c.null, NotifyAndContinue: c.null, StopExecution: c.null });

export const AttemptRecordWire = c.record({ attempt: c.nat32, started_at: c.nat64, finished_at: c.opt(c.nat64), error: c.opt(NodeErrorWire) });
export const AttemptRecordSchema = z.object({
    attempt: z.number().int().min(1),
    startedAt: TimeSchema,
    finishedAt: TimeSchema.optional(),
    error: NodeErrorSchema.optional()
});
export type AttemptRecord = z.infer<typeof AttemptRecordSchema>;

export const NodeStateWire = c.record({
    node_id: c.text,
    status: NodeStatusWire,
    attempts: c.vec(AttemptRecordWire),
    next_attempt_at: c.opt(c.nat64),
    started_at: c.opt(c.nat64),
    finished_at: c.opt(c.nat64),
    output: c.opt(c.text),
    error: c.opt(NodeErrorWire),
    fallback_taken: c.opt(FallbackKindWire),
    alternative_for: c.opt(c.text)
});
export type NodeStateWire = Infer<typeof NodeStateWire>;

/**
 * What happened to one node in one execution. `output` is JSON text: what dependents read
 * (for a node that failed and continued through a fallback, the fallback's value or `null`).
 */
export const NodeStateSchema = z.object({
    nodeId: IdSchema,
    status: NodeStatusSchema,
    attempts: z.array(AttemptRecordSchema).max(WORKFLOW_LIMITS.maxRetries + 1),
    nextAttemptAt: TimeSchema.optional(),
    startedAt: TimeSchema.optional(),
    finishedAt: TimeSchema.optional(),
    output: OutputJsonSchema.optional(),
    error: NodeErrorSchema.optional(),
    fallbackTaken: z.enum(FALLBACK_KINDS).optional(),
    alternativeFor: IdSchema.optional()
});
export type NodeState = z.infer<typeof NodeStateSchema>;

export function encodeNodeState(n: NodeState): NodeStateWire {
    return {
        node_id: n.nodeId,
        status: encodeTag(n.status),
        attempts: n.attempts.map((a) => ({ attempt: a.attempt, started_at: a.startedAt, finished_at: toOpt(a.finishedAt), error: toOpt(a.error && encodeNodeError(a.error)) })),
        next_attempt_at: toOpt(n.nextAttemptAt),
        started_at: toOpt(n.startedAt),
        finished_at: toOpt(n.finishedAt),
        output: toOpt(n.output),
        error: toOpt(n.error && encodeNodeError(n.error)),
        fallback_taken: toOpt(n.fallbackTaken && encodeTag(n.fallbackTaken)),
        alternative_for: toOpt(n.alternativeFor)
    };
}

export function decodeNodeState(v: NodeStateWire): NodeState {
    const error = fromOpt(v.error);
    const fallback = fromOpt(v.fallback_taken);
    return {
        nodeId: v.node_id,
        status: decodeTag(NODE_STATUSES, v.status),
        attempts: v.attempts.map((a) => {
            const e = fromOpt(a.error);
            return { attempt: a.attempt, startedAt: a.started_at, finishedAt: fromOpt(a.finished_at), error: e && decodeNodeError(e) };
        }),
        nextAttemptAt: fromOpt(v.next_attempt_at),
        startedAt: fromOpt(v.started_at),
        finishedAt: fromOpt(v.finished_at),
        output: fromOpt(v.output),
        error: error && decodeNodeError(error),
        fallbackTaken: fallback && decodeTag(FALLBACK_KINDS, fallback),
        alternativeFor: fromOpt(v.alternative_for)
    };
}

// ---- execution ----

/** The code that ran an execution, so a drill can tell executions of old and new modules apart. */
export const CodeVersionWire = c.record({ package_version: c.text, build_id: c.text, canister_version: c.nat64 });
export const CodeVersionSchema = z.object({ packageVersion: z.string(), buildId: z.string(), canisterVersion: z.bigint().min(0n) });
export type CodeVersion = z.infer<typeof CodeVersionSchema>;

export const ExecutionFailureWire = c.variant({
    NodeFailed: c.record({ node_id: c.text, message: c.text }),
    TimedOut: c.record({ deadline_at: c.nat64 })
});
export const ExecutionFailureSchema = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('NodeFailed'), nodeId: IdSchema, message: z.string() }),
    z.object({ kind: z.literal('TimedOut'), deadlineAt: TimeSchema })
]);
export type ExecutionFailure = z.infer<typeof ExecutionFailureSchema>;

export const ExecutionWire = c.record({
    id: c.text,
    workflow_id: c.text,
    workflow_version: c.nat32,
    trigger: TriggerWire,
    status: ExecutionStatusWire,
    input: c.text,
    nodes: c.vec(NodeStateWire),
    created_at: c.nat64,
    started_at: c.opt(c.nat64),
    finished_at: c.opt(c.nat64),
    deadline_at: c.nat64,
    failure: c.opt(ExecutionFailureWire),
    ran_by: CodeVersionWire
});
export type ExecutionWire = Infer<typeof ExecutionWire>;

/** One run of one workflow version. Times are IC nanoseconds. */
export const ExecutionSchema = z.object({
    id: IdSchema,
    workflowId: IdSchema,
    workflowVersion: z.number().int().min(1),
    trigger: TriggerSchema,
    status: ExecutionStatusSchema,
    input: jsonTextSchema(),
    nodes: z.array(NodeStateSchema).max(WORKFLOW_LIMITS.maxNodes),
    createdAt: TimeSchema,
    startedAt: TimeSchema.optional(),
    finishedAt: TimeSchema.optional(),
    deadlineAt: TimeSchema,
    failure: ExecutionFailureSchema.optional(),
    ranBy: CodeVersionSchema
});
export type Execution = z.infer<typeof ExecutionSchema>;

export function encodeExecution(x: Execution): ExecutionWire {
    const f = x.failure;
    return {
        id: x.id,
        workflow_id: x.workflowId,
        workflow_version: x.workflowVersion,
        trigger: encodeTrigger(x.trigger),
        status: encodeExecutionStatus(x.status),
        input: x.input,
        nodes: x.nodes.map(encodeNodeState),
        created_at: x.createdAt,
        started_at: toOpt(x.startedAt),
        finished_at: toOpt(x.finishedAt),
        deadline_at: x.deadlineAt,
        failure: toOpt(f && (f.kind === 'NodeFailed' ? { NodeFailed: { node_id: f.nodeId, message: f.message } } : { TimedOut: { deadline_at: f.deadlineAt } })),
        ran_by: { package_version: x.ranBy.packageVersion, build_id: x.ranBy.buildId, canister_version: x.ranBy.canisterVersion }
    };
}

export function decodeExecution(v: ExecutionWire): Execution {
    const f = fromOpt(v.failure);
    return {
        id: v.id,
        workflowId: v.workflow_id,
        workflowVersion: v.workflow_version,
        trigger: decodeTrigger(v.trigger),
        status: decodeExecutionStatus(v.status),
        input: v.input,
        nodes: v.nodes.map(decodeNodeState),
        createdAt: v.created_at,
        startedAt: fromOpt(v.started_at),
        finishedAt: fromOpt(v.finished_at),
        deadlineAt: v.deadline_at,
        failure: f && ('NodeFailed' in f ? { kind: 'NodeFailed', nodeId: f.NodeFailed.node_id, message: f.NodeFailed.message } : { kind: 'TimedOut', deadlineAt: f.TimedOut.deadline_at }),
        ranBy: { packageVersion: v.ran_by.package_version, buildId: v.ran_by.build_id, canisterVersion: v.ran_by.canister_version }
    };
}
