/**
 * Reading and checking a request envelope `{content, sender_pubkey?, sender_sig?,
 * sender_delegation?}`: CBOR shape, request type, request id, ingress expiry and
 * authentication.
 */
import { Principal } from '@dfinity/principal';

import { CborDecodeError, decodeCbor, isCborMap, type CborMap, type CborValue } from './cbor';
import { requestIdOf } from './request-id';
import { authenticate } from './signatures';

/** A request the interface refuses, with the HTTP status and the plain-text body to answer. */
export type HttpRefusal = { status: 400 | 403 | 404 | 413; message: string };

/**
 * Largest ingress message (the signed request bytes) an application subnet accepts:
 * `MAX_INGRESS_BYTES_PER_MESSAGE_APP_SUBNET` (2 MiB) in dfinity/ic `rs/limits/src/lib.rs`, which
 * `rs/config/src/subnet_config.rs` gives application subnets; the HTTP endpoint
 * (`rs/http_endpoints/public/src/call.rs`) refuses a larger one with 413 before validating it.
 */
export const MAX_INGRESS_BYTES_PER_MESSAGE = 2 * 1024 * 1024;

/** Longest time into the future an ingress expiry may lie (the IC's 5 min plus 1 min of clock drift). */
export const MAX_INGRESS_TTL_NANOS = 6n * 60n * 1_000_000_000n;

export type RequestType = 'call' | 'query' | 'read_state';

/** The content of a checked request. */
export type CheckedRequest = {
    requestId: Uint8Array;
    sender: Uint8Array;
    /** For call and query. */
    canisterId: Uint8Array;
    methodName: string;
    arg: Uint8Array;
    /** For read_state. */
    paths: Uint8Array[][];
};

function field(content: CborMap, name: string): CborValue {
    return content[name];
}

/**
 * Decodes and checks an envelope. `target` is the canister the request addresses (for
 * delegation targets); `now` the instance time in nanoseconds.
 */
export function checkEnvelope(
    body: Uint8Array,
    expected: RequestType,
    now: bigint,
    target: (content: CheckedRequest) => Uint8Array | null,
    maxBytes: number = Number.POSITIVE_INFINITY
): { ok: CheckedRequest } | { refused: HttpRefusal } {
    let envelope: CborValue;
    try {
        envelope = decodeCbor(body);
    } catch (error) {
        if (error instanceof CborDecodeError) return refuse(400, `Could not parse body as ${expected} message: ${error.message}`);
        throw error;
    }
    if (!isCborMap(envelope) || !isCborMap(envelope['content'] ?? null)) return refuse(400, 'the request body must be a CBOR map with a content map');
    const content = envelope['content'] as CborMap;
    const requestType = field(content, 'request_type');
    if (requestType !== expected) return refuse(400, `expected request_type "${expected}", got ${JSON.stringify(typeof requestType === 'string' ? requestType : String(requestType))}`);
    const sender = field(content, 'sender');
    const expiry = field(content, 'ingress_expiry');
    if (!(sender instanceof Uint8Array) || sender.length > 29) return refuse(400, 'content.sender must be a principal (blob of at most 29 bytes)');
    if (typeof expiry !== 'bigint') return refuse(400, 'content.ingress_expiry must be a nat');
    const nonce = field(content, 'nonce');
    if (nonce !== undefined && (!(nonce instanceof Uint8Array) || nonce.length > 32)) return refuse(400, 'content.nonce must be a blob of at most 32 bytes');

    const checked: CheckedRequest = { requestId: new Uint8Array(0), sender, canisterId: new Uint8Array(0), methodName: '', arg: new Uint8Array(0), paths: [] };
    if (expected === 'read_state') {
        const paths = field(content, 'paths');
        if (!Array.isArray(paths) || !paths.every((p) => Array.isArray(p) && p.every((l) => l instanceof Uint8Array))) {
            return refuse(400, 'content.paths must be an array of paths (arrays of blobs)');
        }
        checked.paths = paths as Uint8Array[][];
    } else {
        const canisterId = field(content, 'canister_id');
        const methodName = field(content, 'method_name');
        const arg = field(content, 'arg');
        if (!(canisterId instanceof Uint8Array) || canisterId.length > 29) return refuse(400, 'content.canister_id must be a principal');
        if (typeof methodName !== 'string') return refuse(400, 'content.method_name must be text');
        if (!(arg instanceof Uint8Array)) return refuse(400, 'content.arg must be a blob');
        checked.canisterId = canisterId;
        checked.methodName = methodName;
        checked.arg = arg;
    }
    try {
        checked.requestId = requestIdOf(content);
    } catch (error) {
        return refuse(400, `the content cannot be hashed: ${error instanceof Error ? error.message : String(error)}`);
    }
    // Worded as the replica words it; checked before expiry and signature, as the replica does.
    if (body.length > maxBytes) {
        return refuse(413, `Request ${Buffer.from(checked.requestId).toString('hex')} is too large. Message byte size ${body.length} is larger than the max allowed ${maxBytes}.`);
    }

    // Worded as the replica words it: agents recognise the prefix and resynchronise their clock.
    // A read of `/time` alone is exempt: it is how such an agent learns the instance's clock,
    // which in non-live mode stands wherever the test put it (PocketIC's genesis is 2021).
    const max = now + MAX_INGRESS_TTL_NANOS;
    const readsOnlyTime = expected === 'read_state' && checked.paths.length > 0 && checked.paths.every((p) => p.length === 1 && Buffer.from(p[0]!).toString() === 'time');
    if (!readsOnlyTime && (expiry < now || expiry > max)) {
        return refuse(
            400,
            `Invalid request expiry: Specified ingress_expiry not within expected range: Minimum allowed expiry: ${nanosText(now)}, Maximum allowed expiry: ${nanosText(max)}, Provided expiry: ${nanosText(expiry)}`
        );
    }

    const bytesOrUndefined = (value: CborValue): Uint8Array | undefined | 'bad' => (value === undefined ? undefined : value instanceof Uint8Array ? value : 'bad');
    const senderPubkey = bytesOrUndefined(envelope['sender_pubkey']);
    const senderSig = bytesOrUndefined(envelope['sender_sig']);
    if (senderPubkey === 'bad' || senderSig === 'bad') return refuse(400, 'sender_pubkey and sender_sig must be blobs');
    const failure = authenticate({
        sender,
        requestId: checked.requestId,
        senderPubkey,
        senderSig,
        senderDelegation: envelope['sender_delegation'],
        target: target(checked),
        now
    });
    if (failure !== null) return refuse(failure.status, failure.message);
    return { ok: checked };
}

function refuse(status: HttpRefusal['status'], message: string): { refused: HttpRefusal } {
    return { refused: { status, message } };
}

function nanosText(nanos: bigint): string {
    const millis = Number(nanos / 1_000_000n);
    return Number.isFinite(millis) && millis < 8.64e15 ? `${new Date(millis).toISOString()} (${nanos})` : String(nanos);
}

/** The principal text of raw bytes, for messages. */
export function principalText(bytes: Uint8Array): string {
    return Principal.fromUint8Array(bytes).toText();
}
