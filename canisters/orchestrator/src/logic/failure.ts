import { IDL } from '@dfinity/candid';
import { DEFAULT_FAILURE_RULE, WORKFLOW_LIMITS, parseCandidTypes, type CallConfig, type JsonValue, type NodeError } from '../../../../shared/workflow';
import { describeEvalError, evaluateCondition, type EvalContext } from './evaluate';

/** The cases the default rule treats as failure: Candid's `Result` spellings. */
export const ERR_CASES: readonly string[] = ['Err', 'err'];

/**
 * Whether a call's reply (already decoded to JSON) is a failure under the node's failure rule
 * (see `FailureRuleSchema`): `undefined` for a success, else the `ReplyErr` error carrying the
 * case and its value as data (or an `Evaluation` error when a failure condition cannot be
 * evaluated: a condition over the wrong field fails loudly, it never passes silently).
 * Pure: the orchestrator judges replies where the node's definition and the execution's
 * outputs are known; the executor only decodes.
 *
 * @example
 * replyFailure('pay', { ...call, reply: { kind: 'Candid', types: '(variant { Ok: nat; Err: text })' } }, { Err: 'no funds' }, ctx);
 * // { kind: 'ReplyErr', message: 'reply case Err: "no funds"', case: 'Err', value: '"no funds"' }
 */
export function replyFailure(nodeId: string, c: CallConfig, reply: JsonValue, ctx: EvalContext): NodeError | undefined {
    const rule = c.failure ?? DEFAULT_FAILURE_RULE;
    if (c.reply.kind === 'Raw' || rule.kind === 'Never') return undefined;
    if (rule.kind === 'Condition') {
        const own: EvalContext = { ...ctx, output: (id) => (id === nodeId ? reply : ctx.output(id)) };
        const r = evaluateCondition(rule, own);
        if (!r.ok) return { kind: 'Evaluation', message: bounded(`failure condition: ${describeEvalError(r.error)}`) };
        if (!r.value) return undefined;
        const value = JSON.stringify(reply);
        return { kind: 'ReplyErr', message: bounded(`the failure condition holds for the reply ${value}`), value };
    }
    const variant = replyVariant(c.reply.types);
    if (variant === undefined) return undefined;
    const failing = rule.kind === 'Cases' ? rule.cases : ERR_CASES;
    const tag = singleTag(reply);
    if (tag === undefined || !failing.includes(tag)) return undefined;
    const payload = (reply as { [k: string]: JsonValue })[tag];
    const value = JSON.stringify(payload);
    const error: NodeError = { kind: 'ReplyErr', message: bounded(`reply case ${tag}: ${value}`), case: tag, value };
    const payloadType = variant._fields.find(([name]) => name === tag)?.[1];
    const detail = payloadType instanceof IDL.VariantClass ? singleTag(payload) : undefined;
    if (detail !== undefined) error.detail = detail;
    return error;
}

function replyVariant(types: string): IDL.VariantClass | undefined {
    const parsed = parseCandidTypes(types);
    const only = parsed.ok && parsed.types.length === 1 ? parsed.types[0] : undefined;
    return only instanceof IDL.VariantClass ? only : undefined;
}

/** The tag of a JSON-encoded variant `{ "Tag": value }`. */
function singleTag(v: JsonValue): string | undefined {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    const keys = Object.keys(v);
    return keys.length === 1 ? keys[0] : undefined;
}

function bounded(message: string): string {
    return message.slice(0, WORKFLOW_LIMITS.maxDescriptionChars);
}
