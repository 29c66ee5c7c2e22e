/**
 * Conversion between PocketIC's JSON shapes and the byte-level types of `../api`.
 * PocketIC writes blobs and principals as standard base64 of the raw bytes and Rust enums
 * externally tagged (`"None"`, `{"CanisterId": …}`, `{"Ok": …}`).
 */
import { Principal } from '@dfinity/principal';
import {
    CallResult,
    CanisterCall,
    EffectivePrincipal,
    OperationError,
    Reject,
    SubmittedMessage,
    Topology,
    rejectCodeName
} from '../api';
import { JsonObject, JsonValue } from './json';

/** A request body that is not the shape the endpoint expects; answered 400 `{"message"}`. */
export class MalformedRequestError extends OperationError {
    constructor(message: string) {
        super(message, 400);
        this.name = 'MalformedRequestError';
    }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** The IC caps principals at 29 bytes. */
const MAX_PRINCIPAL_LENGTH = 29;
const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;

/** Standard base64 of the raw bytes. */
export function encodeBase64(bytes: Uint8Array): string {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Decodes standard base64; `what` names the field in the error message. */
export function decodeBase64(text: string, what: string): Uint8Array {
    // Buffer.from silently skips invalid characters, which would turn garbage into a wrong id.
    if (text.length % 4 !== 0 || !BASE64.test(text)) throw new MalformedRequestError(`${what} is not valid base64`);
    return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Decodes a base64 principal and checks its length. */
export function decodePrincipal(text: string, what: string): Uint8Array {
    const bytes = decodeBase64(text, what);
    if (bytes.length > MAX_PRINCIPAL_LENGTH) throw new MalformedRequestError(`${what} is longer than ${MAX_PRINCIPAL_LENGTH} bytes`);
    return bytes;
}

/** The textual form of a principal (`aaaaa-aa`, `lxzze-o7777-…-cai`). */
export function principalText(bytes: Uint8Array): string {
    return Principal.fromUint8Array(bytes).toText();
}

// ---- field readers ------------------------------------------------------------------------

/** Narrows a parsed body to an object. */
export function asObject(value: JsonValue, what: string): JsonObject {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new MalformedRequestError(`${what} must be a JSON object`);
    return value;
}

/** A field that may be absent; `null` counts as absent (serde's `Option`). */
export function optionalField(object: JsonObject, key: string): JsonValue | undefined {
    const value = Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
    return value === null ? undefined : value;
}

function requiredField(object: JsonObject, key: string): JsonValue {
    const value = optionalField(object, key);
    if (value === undefined) throw new MalformedRequestError(`missing field \`${key}\``);
    return value;
}

/** A required string field. */
export function stringField(object: JsonObject, key: string): string {
    const value = requiredField(object, key);
    if (typeof value !== 'string') throw new MalformedRequestError(`field \`${key}\` must be a string`);
    return value;
}

/** A required base64 principal field. */
export function principalField(object: JsonObject, key: string): Uint8Array {
    return decodePrincipal(stringField(object, key), `field \`${key}\``);
}

/** A required base64 blob field. */
export function blobField(object: JsonObject, key: string): Uint8Array {
    return decodeBase64(stringField(object, key), `field \`${key}\``);
}

/** An unsigned integer field up to `max`, read exactly whether it arrived as number or bigint. */
function unsignedField(object: JsonObject, key: string, max: bigint): bigint {
    const value = requiredField(object, key);
    const exact = typeof value === 'bigint' ? value : typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : undefined;
    if (exact === undefined || exact < 0n || exact > max) throw new MalformedRequestError(`field \`${key}\` must be an unsigned integer below 2^${max === U64_MAX ? 64 : 128}`);
    return exact;
}

/** A required u64 field (times in nanoseconds). */
export function u64Field(object: JsonObject, key: string): bigint {
    return unsignedField(object, key, U64_MAX);
}

/** A required u128 field (cycle amounts). */
export function u128Field(object: JsonObject, key: string): bigint {
    return unsignedField(object, key, U128_MAX);
}

// ---- calls --------------------------------------------------------------------------------

/** `"None"` | `{"CanisterId": b64}` | `{"SubnetId": b64}`; an absent field means `"None"`. */
export function decodeEffectivePrincipal(value: JsonValue | undefined): EffectivePrincipal {
    if (value === undefined || value === 'None') return { kind: 'none' };
    const object = asObject(value, 'effective_principal');
    if (typeof object.CanisterId === 'string') return { kind: 'canister', id: decodePrincipal(object.CanisterId, 'effective_principal.CanisterId') };
    if (typeof object.SubnetId === 'string') return { kind: 'subnet', id: decodePrincipal(object.SubnetId, 'effective_principal.SubnetId') };
    throw new MalformedRequestError('effective_principal must be "None", {"CanisterId": …} or {"SubnetId": …}');
}

/** The inverse of {@link decodeEffectivePrincipal}. */
export function encodeEffectivePrincipal(principal: EffectivePrincipal): JsonValue {
    switch (principal.kind) {
        case 'none':
            return 'None';
        case 'canister':
            return { CanisterId: encodeBase64(principal.id) };
        case 'subnet':
            return { SubnetId: encodeBase64(principal.id) };
    }
}

/** PocketIC's RawCanisterCall. `sender_info` (v14, delegated senders) is ignored. */
export function decodeCanisterCall(body: JsonValue): CanisterCall {
    const object = asObject(body, 'canister call');
    return {
        sender: principalField(object, 'sender'),
        canisterId: principalField(object, 'canister_id'),
        method: stringField(object, 'method'),
        payload: blobField(object, 'payload'),
        effectivePrincipal: decodeEffectivePrincipal(optionalField(object, 'effective_principal'))
    };
}

/** PocketIC's RawMessageId: `{"effective_principal":{"SubnetId":b64},"message_id":b64}`. */
export function decodeSubmittedMessage(body: JsonValue): SubmittedMessage {
    const object = asObject(body, 'message id');
    const effective = decodeEffectivePrincipal(optionalField(object, 'effective_principal'));
    // Submit always answers with the subnet, and clients echo that object back unchanged.
    if (effective.kind !== 'subnet') throw new MalformedRequestError('effective_principal of a message id must be {"SubnetId": …}');
    return { subnetId: effective.id, messageId: blobField(object, 'message_id') };
}

/** RawMessageId as submit returns it and await/ingress_status take it back. */
export function encodeSubmittedMessage(message: SubmittedMessage): JsonObject {
    return { effective_principal: { SubnetId: encodeBase64(message.subnetId) }, message_id: encodeBase64(message.messageId) };
}

/** PocketIC's RejectResponse with enum names as strings, as the real server writes them. */
export function encodeReject(reject: Reject): JsonObject {
    return {
        reject_code: rejectCodeName(reject.rejectCode),
        reject_message: reject.rejectMessage,
        error_code: reject.errorCode,
        certified: reject.certified
    };
}

/** RawSubmitIngressResult: `{"Ok": RawMessageId}` or `{"Err": reject}`. */
export function encodeSubmitResult(result: { ok: SubmittedMessage } | { err: Reject }): JsonObject {
    return 'ok' in result ? { Ok: encodeSubmittedMessage(result.ok) } : { Err: encodeReject(result.err) };
}

/** RawCanisterResult: `{"Ok": b64 reply}` or `{"Err": reject}`. */
export function encodeCallResult(result: CallResult): JsonObject {
    return result.kind === 'reply' ? { Ok: encodeBase64(result.payload) } : { Err: encodeReject(result.reject) };
}

// ---- topology -----------------------------------------------------------------------------

/**
 * PocketIC's Topology. Keys are subnet principal text. Both `size` (read by pic-js) and
 * `node_ids` (what the real server sends) are written.
 */
export function encodeTopology(topology: Topology): JsonObject {
    const subnetConfigs: JsonObject = {};
    for (const subnet of topology.subnets) {
        subnetConfigs[principalText(subnet.subnetId)] = {
            subnet_kind: subnet.kind,
            subnet_seed: Array.from(subnet.seed),
            instruction_config: subnet.instructionConfig,
            size: subnet.nodeIds.length,
            node_ids: subnet.nodeIds.map((nodeId) => ({ node_id: encodeBase64(nodeId) })),
            canister_ranges: subnet.ranges.map((range) => ({
                start: { canister_id: encodeBase64(range.start) },
                end: { canister_id: encodeBase64(range.end) }
            }))
        };
    }
    return {
        subnet_configs: subnetConfigs,
        default_effective_canister_id: { canister_id: encodeBase64(topology.defaultEffectiveCanisterId) }
    };
}
