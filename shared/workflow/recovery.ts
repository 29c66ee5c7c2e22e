import { z } from 'zod';
import { JsonPathSchema, JsonTextSchema } from './json';
import { WORKFLOW_LIMITS } from './limits';
import { NODE_ERROR_KINDS, NodeErrorKindWire } from './node-error-kind';
import { c, fromOpt, type Infer } from '../common/codec';

// ---- notification level (used by notify nodes, fallbacks and emergency actions) ----

/** Severity of a notification. */
export const NotifyLevel = { Info: 'Info', Warning: 'Warning', Error: 'Error', Critical: 'Critical' } as const;
export type NotifyLevel = (typeof NotifyLevel)[keyof typeof NotifyLevel];
export const NotifyLevelSchema = z.enum(['Info', 'Warning', 'Error', 'Critical']);
export const NotifyLevelWire = c.variant({ Info: c.null, Warning: c.null, Error: c.null, Critical: c.null });
export type NotifyLevelWire = Infer<typeof NotifyLevelWire>;

export function encodeNotifyLevel(l: NotifyLevel): NotifyLevelWire {
    switch (l) {
        case 'Info':
            return { Info: null };
        case 'Warning':
            return { Warning: null };
        case 'Error':
            return { Error: null };
        case 'Critical':
            return { Critical: null };
    }
}

export function decodeNotifyLevel(v: NotifyLevelWire): NotifyLevel {
    if ('Info' in v) return 'Info';
    if ('Warning' in v) return 'Warning';
    if ('Error' in v) return 'Error';
    return 'Critical';
}

const MessageSchema = z.string().min(1).max(WORKFLOW_LIMITS.maxDescriptionChars);
const IdSchema = z.string().min(1).max(WORKFLOW_LIMITS.maxNodeIdChars);

// ---- retry policy ----

export const RetryPolicyWire = c.record({
    max_retries: c.nat32,
    initial_delay_ms: c.nat64,
    backoff_factor: c.float64,
    max_delay_ms: c.nat64,
    jitter: c.bool
});
export type RetryPolicyWire = Infer<typeof RetryPolicyWire>;

/**
 * When failed attempts are retried: attempt `n` (1-based, the first retry is attempt 2) waits
 * `min(initialDelayMs * backoffFactor^(n-2), maxDelayMs)`, optionally jittered.
 */
export const RetryPolicySchema = z
    .object({
        maxRetries: z.number().int().min(0).max(WORKFLOW_LIMITS.maxRetries),
        initialDelayMs: z.number().int().min(0).max(WORKFLOW_LIMITS.maxInitialDelayMs),
        backoffFactor: z.number().min(1).max(WORKFLOW_LIMITS.maxBackoffFactor),
        maxDelayMs: z.number().int().min(0).max(WORKFLOW_LIMITS.maxRetryDelayMs),
        jitter: z.boolean()
    })
    .refine((p) => p.maxDelayMs >= p.initialDelayMs, { message: 'maxDelayMs must be >= initialDelayMs', path: ['maxDelayMs'] });
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

/** No retries: the first failure is final. */
export const NO_RETRY: RetryPolicy = { maxRetries: 0, initialDelayMs: 0, backoffFactor: 1, maxDelayMs: 0, jitter: false };

export function encodeRetryPolicy(p: RetryPolicy): RetryPolicyWire {
    return {
        max_retries: p.maxRetries,
        initial_delay_ms: BigInt(p.initialDelayMs),
        backoff_factor: p.backoffFactor,
        max_delay_ms: BigInt(p.maxDelayMs),
        jitter: p.jitter
    };
}

/** Total: out-of-range numbers are left for the schema to reject. */
export function decodeRetryPolicy(v: RetryPolicyWire): RetryPolicy {
    return {
        maxRetries: v.max_retries,
        initialDelayMs: Number(v.initial_delay_ms),
        backoffFactor: v.backoff_factor,
        maxDelayMs: Number(v.max_delay_ms),
        jitter: v.jitter
    };
}

// ---- retry by error class ----

/**
 * A class of node errors, as Step Functions' `ErrorEquals` names them:
 * - `Kind`: every error of one node error kind (`TimedOut`, `Rejected`, `Unavailable`, `ReplyErr`, ...);
 * - `RejectCode`: a reject with this IC reject code (1 SYS_FATAL .. 6 SYS_UNKNOWN);
 * - `ErrCase`: a `ReplyErr` whose case, or whose error value's own case (`detail`), is this name.
 */
export const ErrorMatcherWire = c.variant({ Kind: NodeErrorKindWire, RejectCode: c.nat32, ErrCase: c.text });
export type ErrorMatcherWire = Infer<typeof ErrorMatcherWire>;
type ErrorMatcherWireKind = Infer<typeof NodeErrorKindWire>;

export const ErrorMatcherSchema = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('Kind'), errorKind: z.enum(NODE_ERROR_KINDS) }),
    z.object({ kind: z.literal('RejectCode'), code: z.number().int().min(1).max(6) }),
    z.object({ kind: z.literal('ErrCase'), case: IdSchema })
]);
export type ErrorMatcher = z.infer<typeof ErrorMatcherSchema>;

export const RetryRuleWire = c.record({ errors: c.vec(ErrorMatcherWire), retry: RetryPolicyWire });

/** A retry policy for the errors any of `errors` matches. */
export const RetryRuleSchema = z.object({ errors: z.array(ErrorMatcherSchema).min(1).max(WORKFLOW_LIMITS.maxClauses), retry: RetryPolicySchema });
export type RetryRule = z.infer<typeof RetryRuleSchema>;

function encodeErrorMatcher(m: ErrorMatcher): ErrorMatcherWire {
    switch (m.kind) {
        case 'Kind':
            return { Kind: { [m.errorKind]: null } as ErrorMatcherWireKind };
        case 'RejectCode':
            return { RejectCode: m.code };
        case 'ErrCase':
            return { ErrCase: m.case };
    }
}

function decodeErrorMatcher(v: ErrorMatcherWire): ErrorMatcher {
    if ('Kind' in v) {
        const kind = NODE_ERROR_KINDS.find((k) => k in v.Kind);
        // An unknown tag cannot pass Candid decoding of this variant; a broken invariant otherwise.
        if (kind === undefined) throw new Error(`unknown node error kind ${Object.keys(v.Kind).join(',')}`);
        return { kind: 'Kind', errorKind: kind };
    }
    if ('RejectCode' in v) return { kind: 'RejectCode', code: v.RejectCode };
    return { kind: 'ErrCase', case: v.ErrCase };
}

// ---- fallback ----

export const FallbackWire = c.variant({
    UseAlternativeNode: c.record({ node_id: c.text }),
    SkipNode: c.null,
    UseDefaultValue: c.record({ value: c.text }),
    NotifyAndContinue: c.record({ level: NotifyLevelWire, message: c.text }),
    StopExecution: c.null
});
export type FallbackWire = Infer<typeof FallbackWire>;

/** What happens to a node once its retries are exhausted. */
export const FallbackSchema = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('UseAlternativeNode'), nodeId: IdSchema }),
    z.object({ kind: z.literal('SkipNode') }),
    z.object({ kind: z.literal('UseDefaultValue'), value: JsonTextSchema }),
    z.object({ kind: z.literal('NotifyAndContinue'), level: NotifyLevelSchema, message: MessageSchema }),
    z.object({ kind: z.literal('StopExecution') })
]);
export type Fallback = z.infer<typeof FallbackSchema>;
export type FallbackKind = Fallback['kind'];

export function encodeFallback(f: Fallback): FallbackWire {
    switch (f.kind) {
        case 'UseAlternativeNode':
            return { UseAlternativeNode: { node_id: f.nodeId } };
        case 'SkipNode':
            return { SkipNode: null };
        case 'UseDefaultValue':
            return { UseDefaultValue: { value: f.value } };
        case 'NotifyAndContinue':
            return { NotifyAndContinue: { level: encodeNotifyLevel(f.level), message: f.message } };
        case 'StopExecution':
            return { StopExecution: null };
    }
}

export function decodeFallback(v: FallbackWire): Fallback {
    if ('UseAlternativeNode' in v) return { kind: 'UseAlternativeNode', nodeId: v.UseAlternativeNode.node_id };
    if ('SkipNode' in v) return { kind: 'SkipNode' };
    if ('UseDefaultValue' in v) return { kind: 'UseDefaultValue', value: v.UseDefaultValue.value };
    if ('NotifyAndContinue' in v) {
        return { kind: 'NotifyAndContinue', level: decodeNotifyLevel(v.NotifyAndContinue.level), message: v.NotifyAndContinue.message };
    }
    return { kind: 'StopExecution' };
}

// ---- emergency actions ----

/**
 * One argument value of a `LiquidatePosition` call: a JSON constant or a path into the failed
 * execution's input (the same `Const`/`Input` cases as a node operand: an emergency action
 * runs after the node failed, so it reads no node outputs).
 */
export const LiquidationArgWire = c.variant({ Const: c.text, Input: c.record({ path: c.text }) });
export type LiquidationArgWire = Infer<typeof LiquidationArgWire>;
export const LiquidationArgSchema = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('Const'), json: JsonTextSchema }),
    z.object({ kind: z.literal('Input'), path: JsonPathSchema })
]);
export type LiquidationArg = z.infer<typeof LiquidationArgSchema>;

export const EmergencyActionWire = c.variant({
    SendNotification: c.record({ level: NotifyLevelWire, message: c.text }),
    ExecuteEmergencyWorkflow: c.record({ workflow_id: c.text }),
    PauseAllWorkflows: c.null,
    EnableSafeMode: c.null,
    /** Calls the owner's configured position manager (`set_position_manager`) from the owner's agent. */
    LiquidatePosition: c.record({ args: c.vec(LiquidationArgWire) })
});
export type EmergencyActionWire = Infer<typeof EmergencyActionWire>;

/** Run once when a node fails for good (after retries), before its fallback applies. */
export const EmergencyActionSchema = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('SendNotification'), level: NotifyLevelSchema, message: MessageSchema }),
    z.object({ kind: z.literal('ExecuteEmergencyWorkflow'), workflowId: IdSchema }),
    z.object({ kind: z.literal('PauseAllWorkflows') }),
    z.object({ kind: z.literal('EnableSafeMode') }),
    /**
     * The values of the position manager's arguments, encoded against the `arg_types` the
     * owner configured (one value per argument type).
     */
    z.object({ kind: z.literal('LiquidatePosition'), args: z.array(LiquidationArgSchema).max(WORKFLOW_LIMITS.maxClauses) })
]);
export type EmergencyAction = z.infer<typeof EmergencyActionSchema>;

export function encodeEmergencyAction(a: EmergencyAction): EmergencyActionWire {
    switch (a.kind) {
        case 'SendNotification':
            return { SendNotification: { level: encodeNotifyLevel(a.level), message: a.message } };
        case 'ExecuteEmergencyWorkflow':
            return { ExecuteEmergencyWorkflow: { workflow_id: a.workflowId } };
        case 'PauseAllWorkflows':
            return { PauseAllWorkflows: null };
        case 'EnableSafeMode':
            return { EnableSafeMode: null };
        case 'LiquidatePosition':
            return { LiquidatePosition: { args: a.args.map((v) => (v.kind === 'Const' ? { Const: v.json } : { Input: { path: v.path } })) } };
    }
}

export function decodeEmergencyAction(v: EmergencyActionWire): EmergencyAction {
    if ('SendNotification' in v) {
        return { kind: 'SendNotification', level: decodeNotifyLevel(v.SendNotification.level), message: v.SendNotification.message };
    }
    if ('ExecuteEmergencyWorkflow' in v) return { kind: 'ExecuteEmergencyWorkflow', workflowId: v.ExecuteEmergencyWorkflow.workflow_id };
    if ('PauseAllWorkflows' in v) return { kind: 'PauseAllWorkflows' };
    if ('LiquidatePosition' in v) {
        return { kind: 'LiquidatePosition', args: v.LiquidatePosition.args.map((a) => ('Const' in a ? { kind: 'Const', json: a.Const } : { kind: 'Input', path: a.Input.path })) };
    }
    return { kind: 'EnableSafeMode' };
}

// ---- recovery policy ----

export const RecoveryPolicyWire = c.record({
    retry: RetryPolicyWire,
    fallback: FallbackWire,
    emergency_actions: c.vec(EmergencyActionWire),
    /** Absent in definitions stored before retry rules existed: only `retry` applies. */
    retry_on: c.opt(c.vec(RetryRuleWire))
});
export type RecoveryPolicyWire = Infer<typeof RecoveryPolicyWire>;

/**
 * A node's recovery policy. A failed attempt is retried with the first rule of `retryOn`
 * whose `errors` match its error (in order, as Step Functions' `Retry` list), else with
 * `retry`. Attempts are counted per node, whichever rule applied.
 *
 * @example
 * const policy: RecoveryPolicy = {
 *     retry: { maxRetries: 3, initialDelayMs: 1000, backoffFactor: 2, maxDelayMs: 60_000, jitter: false },
 *     fallback: { kind: 'UseDefaultValue', value: '0' },
 *     emergencyActions: [{ kind: 'SendNotification', level: 'Critical', message: 'oracle down' }]
 * };
 */
export const RecoveryPolicySchema = z.object({
    retry: RetryPolicySchema,
    fallback: FallbackSchema,
    emergencyActions: z.array(EmergencyActionSchema).max(WORKFLOW_LIMITS.maxEmergencyActions),
    retryOn: z.array(RetryRuleSchema).max(WORKFLOW_LIMITS.maxClauses).optional()
});
export type RecoveryPolicy = z.infer<typeof RecoveryPolicySchema>;

/** No retry, stop the execution, no emergency action. */
export const DEFAULT_RECOVERY: RecoveryPolicy = { retry: NO_RETRY, fallback: { kind: 'StopExecution' }, emergencyActions: [] };

export function encodeRecoveryPolicy(p: RecoveryPolicy): RecoveryPolicyWire {
    return {
        retry: encodeRetryPolicy(p.retry),
        fallback: encodeFallback(p.fallback),
        emergency_actions: p.emergencyActions.map(encodeEmergencyAction),
        retry_on: p.retryOn === undefined ? [] : [p.retryOn.map((r) => ({ errors: r.errors.map(encodeErrorMatcher), retry: encodeRetryPolicy(r.retry) }))]
    };
}

export function decodeRecoveryPolicy(v: RecoveryPolicyWire): RecoveryPolicy {
    const p: RecoveryPolicy = { retry: decodeRetryPolicy(v.retry), fallback: decodeFallback(v.fallback), emergencyActions: v.emergency_actions.map(decodeEmergencyAction) };
    const rules = fromOpt(v.retry_on);
    if (rules !== undefined) p.retryOn = rules.map((r) => ({ errors: r.errors.map(decodeErrorMatcher), retry: decodeRetryPolicy(r.retry) }));
    return p;
}
