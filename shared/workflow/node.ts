import { Principal } from '@dfinity/principal';
import { z } from 'zod';
import { JsonPathSchema, JsonTextSchema } from './json';
import { WORKFLOW_LIMITS, utf8Bytes } from './limits';
import { NotifyLevelSchema, NotifyLevelWire, RecoveryPolicySchema, RecoveryPolicyWire, decodeNotifyLevel, decodeRecoveryPolicy, encodeNotifyLevel, encodeRecoveryPolicy } from './recovery';
import { fromOpt, toOpt, c, type Infer } from '../common/codec';
import { CandidTypeTextSchema, parseCandidTypes, replyVariantCases } from './candid-text';

/** Node ids: short, and safe inside JSON paths and Candid text. */
export const NodeIdSchema = z
    .string()
    .min(1)
    .max(WORKFLOW_LIMITS.maxNodeIdChars)
    .regex(/^[A-Za-z0-9_-]+$/, { message: 'letters, digits, _ and - only' });

/** Principal in text form; the schema proves it parses. */
export const PrincipalTextSchema = z.string().refine(
    (s) => {
        try {
            return Principal.fromText(s).toText() === s;
        } catch {
            return false;
        }
    },
    { message: 'must be a principal in text form' }
);

// ---- operands: where a value comes from (data, never code) ----

export const OperandWire = c.variant({
    Const: c.text,
    Input: c.record({ path: c.text }),
    Node: c.record({ node_id: c.text, path: c.text }),
    Error: c.record({ node_id: c.text, path: c.text })
});
export type OperandWire = Infer<typeof OperandWire>;

/**
 * A value read at run time: a JSON constant, a path into the execution's input, a path
 * into an earlier node's output (that node must be an ancestor: see the DAG validator), or a
 * path into the error of a node that failed for good (`Error`: readable by that node's
 * alternative and by its descendants, which run after a continuing fallback). The error reads
 * as `{ kind, message, reject_code, case, detail, value }` (see `nodeErrorJson`).
 */
export const OperandSchema = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('Const'), json: JsonTextSchema }),
    z.object({ kind: z.literal('Input'), path: JsonPathSchema }),
    z.object({ kind: z.literal('Node'), nodeId: NodeIdSchema, path: JsonPathSchema }),
    z.object({ kind: z.literal('Error'), nodeId: NodeIdSchema, path: JsonPathSchema })
]);
export type Operand = z.infer<typeof OperandSchema>;

export function encodeOperand(o: Operand): OperandWire {
    switch (o.kind) {
        case 'Const':
            return { Const: o.json };
        case 'Input':
            return { Input: { path: o.path } };
        case 'Node':
            return { Node: { node_id: o.nodeId, path: o.path } };
        case 'Error':
            return { Error: { node_id: o.nodeId, path: o.path } };
    }
}

export function decodeOperand(v: OperandWire): Operand {
    if ('Const' in v) return { kind: 'Const', json: v.Const };
    if ('Input' in v) return { kind: 'Input', path: v.Input.path };
    if ('Error' in v) return { kind: 'Error', nodeId: v.Error.node_id, path: v.Error.path };
    return { kind: 'Node', nodeId: v.Node.node_id, path: v.Node.path };
}

// ---- condition ----

export const CompareOp = { Eq: 'Eq', Ne: 'Ne', Lt: 'Lt', Le: 'Le', Gt: 'Gt', Ge: 'Ge', Exists: 'Exists' } as const;
export type CompareOp = (typeof CompareOp)[keyof typeof CompareOp];
const CompareOpSchema = z.enum(['Eq', 'Ne', 'Lt', 'Le', 'Gt', 'Ge', 'Exists']);
const CompareOpWire = c.variant({ Eq: c.null, Ne: c.null, Lt: c.null, Le: c.null, Gt: c.null, Ge: c.null, Exists: c.null });
const COMPARE_OPS: readonly CompareOp[] = ['Eq', 'Ne', 'Lt', 'Le', 'Gt', 'Ge', 'Exists'];

function decodeCompareOp(v: Infer<typeof CompareOpWire>): CompareOp {
    const op = COMPARE_OPS.find((o) => o in v);
    if (op === undefined) throw new Error('unknown compare op');
    return op;
}

function encodeCompareOp(op: CompareOp): Infer<typeof CompareOpWire> {
    switch (op) {
        case 'Eq':
            return { Eq: null };
        case 'Ne':
            return { Ne: null };
        case 'Lt':
            return { Lt: null };
        case 'Le':
            return { Le: null };
        case 'Gt':
            return { Gt: null };
        case 'Ge':
            return { Ge: null };
        case 'Exists':
            return { Exists: null };
    }
}

export const ComparisonWire = c.record({ left: OperandWire, op: CompareOpWire, right: c.opt(OperandWire) });

/** `left op right`; `Exists` takes no right operand and tests that `left` resolves. */
export const ComparisonSchema = z
    .object({ left: OperandSchema, op: CompareOpSchema, right: OperandSchema.optional() })
    .refine((c) => (c.op === 'Exists') === (c.right === undefined), {
        message: 'right is required for comparisons and absent for Exists',
        path: ['right']
    });
export type Comparison = z.infer<typeof ComparisonSchema>;

export const ConditionConfigWire = c.record({
    mode: c.variant({ All: c.null, Any: c.null }),
    clauses: c.vec(ComparisonWire)
});

/** A condition outputs JSON `true` or `false`; edges choose a branch with `when`. */
export const ConditionConfigSchema = z.object({
    mode: z.enum(['All', 'Any']),
    clauses: z.array(ComparisonSchema).min(1).max(WORKFLOW_LIMITS.maxClauses)
});
export type ConditionConfig = z.infer<typeof ConditionConfigSchema>;

export function encodeConditionConfig(c: ConditionConfig): Infer<typeof ConditionConfigWire> {
    return {
        mode: c.mode === 'All' ? { All: null } : { Any: null },
        clauses: c.clauses.map((k) => ({ left: encodeOperand(k.left), op: encodeCompareOp(k.op), right: toOpt(k.right && encodeOperand(k.right)) }))
    };
}

export function decodeConditionConfig(c: Infer<typeof ConditionConfigWire>): ConditionConfig {
    return {
        mode: 'All' in c.mode ? 'All' : 'Any',
        clauses: c.clauses.map((k) => {
            const right = fromOpt(k.right);
            return { left: decodeOperand(k.left), op: decodeCompareOp(k.op), right: right && decodeOperand(right) };
        })
    };
}

// ---- transform ----

export const TransformConfigWire = c.record({ fields: c.vec(c.record({ key: c.text, value: OperandWire })) });

/** Builds the JSON object `{ key: value, ... }` from operands. */
export const TransformConfigSchema = z.object({
    fields: z
        .array(z.object({ key: z.string().min(1).max(WORKFLOW_LIMITS.maxNodeIdChars), value: OperandSchema }))
        .min(1)
        .max(WORKFLOW_LIMITS.maxClauses)
        .refine((fs) => new Set(fs.map((f) => f.key)).size === fs.length, { message: 'duplicate key' })
});
export type TransformConfig = z.infer<typeof TransformConfigSchema>;

// ---- call ----

export const CallArgsWire = c.variant({
    Raw: c.blob,
    Template: c.record({ types: c.text, values: c.vec(OperandWire) })
});

/**
 * Arguments of a call: Candid bytes as given, or a template whose operands are resolved at
 * run time and encoded against `types` (Candid text such as `(record { amount: nat })`).
 */
export const CallArgsSchema = z.discriminatedUnion('kind', [
    z.object({
        kind: z.literal('Raw'),
        bytes: z.instanceof(Uint8Array).refine((b) => b.length <= WORKFLOW_LIMITS.maxPayloadBytes, {
            message: `at most ${WORKFLOW_LIMITS.maxPayloadBytes} bytes`
        })
    }),
    z.object({ kind: z.literal('Template'), types: CandidTypeTextSchema, values: z.array(OperandSchema).max(WORKFLOW_LIMITS.maxClauses) })
]);
export type CallArgs = z.infer<typeof CallArgsSchema>;

export const ReplyDecodingWire = c.variant({ Raw: c.null, Candid: c.record({ types: c.text }) });

/** How a reply becomes the node's JSON output: hex text of the bytes, or decoded with Candid types. */
export const ReplyDecodingSchema = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('Raw') }),
    z.object({ kind: z.literal('Candid'), types: CandidTypeTextSchema })
]);
export type ReplyDecoding = z.infer<typeof ReplyDecodingSchema>;

export const FailureRuleWire = c.variant({
    ErrCase: c.null,
    Cases: c.record({ cases: c.vec(c.text) }),
    Condition: ConditionConfigWire,
    Never: c.null
});
export type FailureRuleWire = Infer<typeof FailureRuleWire>;

/**
 * What a reply that arrived means a failure (a reject, a timeout or a refusal always is):
 * - `ErrCase` (the default): a reply decoded as one Candid variant whose case is `Err` or
 *   `err` (the `Result` shape of ledgers, DEXes and most ICP APIs);
 * - `Cases`: a reply variant whose case is one of `cases` (each must be a case of the reply type);
 * - `Condition`: the condition holds; inside it, a `Node` operand naming the node itself reads the reply;
 * - `Never`: every reply is a success (the node's dependents judge it).
 * A failure is the node error `ReplyErr` carrying the case and the case's value as data.
 * Raw (undecoded) replies are never judged.
 */
export const FailureRuleSchema = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('ErrCase') }),
    z.object({ kind: z.literal('Cases'), cases: z.array(z.string().min(1).max(WORKFLOW_LIMITS.maxNodeIdChars)).min(1).max(WORKFLOW_LIMITS.maxClauses) }),
    ConditionConfigSchema.extend({ kind: z.literal('Condition') }),
    z.object({ kind: z.literal('Never') })
]);
export type FailureRule = z.infer<typeof FailureRuleSchema>;

/** The rule of a call node that names none. */
export const DEFAULT_FAILURE_RULE: FailureRule = { kind: 'ErrCase' };

export function encodeFailureRule(r: FailureRule): FailureRuleWire {
    switch (r.kind) {
        case 'ErrCase':
            return { ErrCase: null };
        case 'Cases':
            return { Cases: { cases: r.cases } };
        case 'Condition':
            return { Condition: encodeConditionConfig(r) };
        case 'Never':
            return { Never: null };
    }
}

export function decodeFailureRule(v: FailureRuleWire): FailureRule {
    if ('ErrCase' in v) return { kind: 'ErrCase' };
    if ('Cases' in v) return { kind: 'Cases', cases: v.Cases.cases };
    if ('Condition' in v) return { kind: 'Condition', ...decodeConditionConfig(v.Condition) };
    return { kind: 'Never' };
}

export const CallConfigWire = c.record({
    canister: c.principal,
    method: c.text,
    args: CallArgsWire,
    cycles: c.nat,
    reply: ReplyDecodingWire,
    /** Absent: {@link DEFAULT_FAILURE_RULE} (definitions stored before the rule existed read so too). */
    failure: c.opt(FailureRuleWire)
});

export const CallConfigSchema = z.object({
    canister: PrincipalTextSchema,
    method: z.string().min(1).max(WORKFLOW_LIMITS.maxMethodChars),
    args: CallArgsSchema,
    cycles: z.bigint().min(0n).max(WORKFLOW_LIMITS.maxCallCycles),
    reply: ReplyDecodingSchema,
    failure: FailureRuleSchema.optional()
});
export type CallConfig = z.infer<typeof CallConfigSchema>;

/**
 * Why a call's failure rule does not fit its reply decoding, or `undefined`: `Cases` and
 * `Condition` need a Candid reply, and every named case must be a case of the reply variant.
 */
export function failureRuleProblem(c: CallConfig): { field: string; message: string } | undefined {
    const rule = c.failure ?? DEFAULT_FAILURE_RULE;
    if (rule.kind === 'ErrCase' || rule.kind === 'Never') return undefined;
    if (c.reply.kind !== 'Candid') return { field: 'failure', message: `a ${rule.kind} rule needs a Candid reply decoding` };
    if (rule.kind === 'Condition') return undefined;
    const parsed = parseCandidTypes(c.reply.types);
    const cases = parsed.ok ? replyVariantCases(parsed.types) : undefined;
    if (cases === undefined) return { field: 'failure.cases', message: 'the reply is not one Candid variant' };
    const unknown = rule.cases.find((k) => !cases.includes(k));
    return unknown === undefined ? undefined : { field: 'failure.cases', message: `'${unknown}' is not a case of the reply (${cases.join(', ')})` };
}

// ---- node config ----

export const NodeConfigWire = c.variant({
    Call: CallConfigWire,
    Condition: ConditionConfigWire,
    Transform: TransformConfigWire,
    Delay: c.record({ duration_ms: c.nat64 }),
    Notify: c.record({ level: NotifyLevelWire, message: c.text }),
    StartWorkflow: c.record({ workflow_id: c.text, input: c.opt(OperandWire) })
});
export type NodeConfigWire = Infer<typeof NodeConfigWire>;

/** What a node does. `kind` doubles as the node kind. */
export const NodeConfigSchema = z.discriminatedUnion('kind', [
    CallConfigSchema.extend({ kind: z.literal('Call') }),
    ConditionConfigSchema.extend({ kind: z.literal('Condition') }),
    TransformConfigSchema.extend({ kind: z.literal('Transform') }),
    z.object({ kind: z.literal('Delay'), durationMs: z.number().int().min(0).max(WORKFLOW_LIMITS.maxDelayNodeMs) }),
    z.object({
        kind: z.literal('Notify'),
        level: NotifyLevelSchema,
        message: z.string().min(1).refine((s) => utf8Bytes(s) <= WORKFLOW_LIMITS.maxPayloadBytes, { message: 'too long' })
    }),
    z.object({ kind: z.literal('StartWorkflow'), workflowId: z.string().min(1).max(WORKFLOW_LIMITS.maxNodeIdChars), input: OperandSchema.optional() })
]);
export type NodeConfig = z.infer<typeof NodeConfigSchema>;
export type NodeKind = NodeConfig['kind'];

export function encodeNodeConfig(c: NodeConfig): NodeConfigWire {
    switch (c.kind) {
        case 'Call':
            return {
                Call: {
                    canister: Principal.fromText(c.canister),
                    method: c.method,
                    args: c.args.kind === 'Raw' ? { Raw: c.args.bytes } : { Template: { types: c.args.types, values: c.args.values.map(encodeOperand) } },
                    cycles: c.cycles,
                    reply: c.reply.kind === 'Raw' ? { Raw: null } : { Candid: { types: c.reply.types } },
                    failure: toOpt(c.failure && encodeFailureRule(c.failure))
                }
            };
        case 'Condition':
            return { Condition: encodeConditionConfig(c) };
        case 'Transform':
            return { Transform: { fields: c.fields.map((f) => ({ key: f.key, value: encodeOperand(f.value) })) } };
        case 'Delay':
            return { Delay: { duration_ms: BigInt(c.durationMs) } };
        case 'Notify':
            return { Notify: { level: encodeNotifyLevel(c.level), message: c.message } };
        case 'StartWorkflow':
            return { StartWorkflow: { workflow_id: c.workflowId, input: toOpt(c.input && encodeOperand(c.input)) } };
    }
}

/** Total: values the schema would reject (e.g. huge numbers) decode and are rejected there. */
export function decodeNodeConfig(v: NodeConfigWire): NodeConfig {
    if ('Call' in v) {
        const c = v.Call;
        const args = c.args;
        const reply = c.reply;
        return {
            kind: 'Call',
            canister: c.canister.toText(),
            method: c.method,
            args: 'Raw' in args ? { kind: 'Raw', bytes: Uint8Array.from(args.Raw) } : { kind: 'Template', types: args.Template.types, values: args.Template.values.map(decodeOperand) },
            cycles: c.cycles,
            reply: 'Raw' in reply ? { kind: 'Raw' } : { kind: 'Candid', types: reply.Candid.types },
            failure: fromOptRule(c.failure)
        };
    }
    if ('Condition' in v) return { kind: 'Condition', ...decodeConditionConfig(v.Condition) };
    if ('Transform' in v) return { kind: 'Transform', fields: v.Transform.fields.map((f) => ({ key: f.key, value: decodeOperand(f.value) })) };
    if ('Delay' in v) return { kind: 'Delay', durationMs: Number(v.Delay.duration_ms) };
    if ('Notify' in v) return { kind: 'Notify', level: decodeNotifyLevel(v.Notify.level), message: v.Notify.message };
    const input = fromOpt(v.StartWorkflow.input);
    return { kind: 'StartWorkflow', workflowId: v.StartWorkflow.workflow_id, input: input && decodeOperand(input) };
}

function fromOptRule(v: [] | [FailureRuleWire]): FailureRule | undefined {
    const r = fromOpt(v);
    return r === undefined ? undefined : decodeFailureRule(r);
}

// ---- node ----

export const EdgeWhen = { Always: 'Always', IfTrue: 'IfTrue', IfFalse: 'IfFalse' } as const;
export type EdgeWhen = (typeof EdgeWhen)[keyof typeof EdgeWhen];

export const DependencyWire = c.record({ node_id: c.text, when: c.variant({ Always: c.null, IfTrue: c.null, IfFalse: c.null }) });

/** An edge: run after `nodeId`; `IfTrue`/`IfFalse` only from a condition node, taking one branch. */
export const DependencySchema = z.object({ nodeId: NodeIdSchema, when: z.enum(['Always', 'IfTrue', 'IfFalse']) });
export type Dependency = z.infer<typeof DependencySchema>;

/**
 * How a node with several incoming edges decides: `All` runs only if every edge is taken
 * (one skipped edge skips the node), `Any` runs if at least one is (a join after a branch).
 */
export const JoinMode = { All: 'All', Any: 'Any' } as const;
export type JoinMode = (typeof JoinMode)[keyof typeof JoinMode];

export const NodeWire = c.record({
    id: c.text,
    config: NodeConfigWire,
    depends_on: c.vec(DependencyWire),
    join: c.variant({ All: c.null, Any: c.null }),
    timeout_ms: c.opt(c.nat64),
    recovery: RecoveryPolicyWire
});
export type NodeWire = Infer<typeof NodeWire>;

/** One node of a workflow DAG. */
export const NodeSchema = z
    .object({
        id: NodeIdSchema,
        config: NodeConfigSchema,
        dependsOn: z.array(DependencySchema).max(WORKFLOW_LIMITS.maxDependencies),
        join: z.enum(['All', 'Any']),
        timeoutMs: z.number().int().min(1).max(WORKFLOW_LIMITS.maxNodeTimeoutMs).optional(),
        recovery: RecoveryPolicySchema
    })
    .superRefine((n, ctx) => {
        if (n.config.kind !== 'Call') return;
        const problem = failureRuleProblem(n.config);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem.message, path: ['config', ...problem.field.split('.')] });
    });
export type WorkflowNode = z.infer<typeof NodeSchema>;

export function encodeNode(n: WorkflowNode): NodeWire {
    return {
        id: n.id,
        config: encodeNodeConfig(n.config),
        depends_on: n.dependsOn.map((d) => ({ node_id: d.nodeId, when: d.when === 'Always' ? { Always: null } : d.when === 'IfTrue' ? { IfTrue: null } : { IfFalse: null } })),
        join: n.join === 'All' ? { All: null } : { Any: null },
        timeout_ms: toOpt(n.timeoutMs === undefined ? undefined : BigInt(n.timeoutMs)),
        recovery: encodeRecoveryPolicy(n.recovery)
    };
}

export function decodeNode(v: NodeWire): WorkflowNode {
    const timeout = fromOpt(v.timeout_ms);
    return {
        id: v.id,
        config: decodeNodeConfig(v.config),
        dependsOn: v.depends_on.map((d) => ({ nodeId: d.node_id, when: 'Always' in d.when ? 'Always' : 'IfTrue' in d.when ? 'IfTrue' : 'IfFalse' })),
        join: 'All' in v.join ? 'All' : 'Any',
        timeoutMs: timeout === undefined ? undefined : Number(timeout),
        recovery: decodeRecoveryPolicy(v.recovery)
    };
}
