import { WORKFLOW_LIMITS, decodeReplyToJson, parseCandidTypes, utf8Bytes, type NodeError, type ReplyDecoding } from '../../../../shared/workflow';

/** What came back from the target canister; `Refused`: the owner's agent refused the target (nothing sent). */
export type CallResult =
    | { kind: 'Reply'; bytes: Uint8Array }
    | { kind: 'Reject'; code: number; message: string }
    | { kind: 'Refused'; message: string }
    /** The owner's agent has too few cycles for what the call attaches (nothing sent). */
    | { kind: 'InsufficientCycles'; message: string };

/** IC reject code for transient system errors (e.g. the callee is stopping for an upgrade). */
export const SYS_TRANSIENT = 2;

/**
 * A call result as the node's JSON output text, or a typed error: a reject becomes
 * `Rejected` (`Unavailable` for transient rejects), an undecodable or oversize reply
 * `InvalidReply`. Raw replies become a JSON string of lowercase hex.
 *
 * @example
 * interpretCallResult({ kind: 'Candid', types: '(nat64)' }, { kind: 'Reply', bytes }); // { ok: true, output: '42' }
 */
export function interpretCallResult(decoding: ReplyDecoding, result: CallResult): { ok: true; output: string } | { ok: false; error: NodeError } {
    if (result.kind === 'Refused') return { ok: false, error: { kind: 'CallRefused', message: result.message.slice(0, WORKFLOW_LIMITS.maxDescriptionChars) } };
    if (result.kind === 'InsufficientCycles') return { ok: false, error: { kind: 'InsufficientCycles', message: result.message.slice(0, WORKFLOW_LIMITS.maxDescriptionChars) } };
    if (result.kind === 'Reject') {
        const message = result.message.slice(0, WORKFLOW_LIMITS.maxDescriptionChars);
        return { ok: false, error: { kind: result.code === SYS_TRANSIENT ? 'Unavailable' : 'Rejected', message, rejectCode: result.code } };
    }
    let output: string;
    if (decoding.kind === 'Raw') {
        let hex = '';
        for (const b of result.bytes) hex += b.toString(16).padStart(2, '0');
        output = JSON.stringify(hex);
    } else {
        const types = parseCandidTypes(decoding.types);
        if (!types.ok) return { ok: false, error: { kind: 'InvalidReply', message: `reply types: ${types.message}` } };
        const json = decodeReplyToJson(types.types, result.bytes);
        if (!json.ok) return { ok: false, error: { kind: 'InvalidReply', message: json.message.slice(0, WORKFLOW_LIMITS.maxDescriptionChars) } };
        output = JSON.stringify(json.value);
    }
    if (utf8Bytes(output) > WORKFLOW_LIMITS.maxOutputBytes) return { ok: false, error: { kind: 'InvalidReply', message: `reply exceeds ${WORKFLOW_LIMITS.maxOutputBytes} bytes as JSON` } };
    return { ok: true, output };
}
