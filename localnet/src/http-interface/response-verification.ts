/**
 * Response verification, as the IC's HTTP gateways do it before a browser sees a canister's
 * `http_request` answer (the HTTP Gateway Protocol Specification, "Response Verification";
 * dfinity/response-verification `packages/ic-response-verification`, used by
 * dfinity/http-gateway `packages/ic-http-gateway-protocol/src/protocol/validate.rs`):
 *
 * - the `IC-Certificate` header carries the subnet's certificate (checked against the root key,
 *   through the delegation, at most 5 minutes from the gateway's time) and a hash tree whose
 *   root must be the canister's `certified_data` in that certificate;
 * - version 2: `IC-CertificateExpression` (a CEL expression) says what is certified; the
 *   header's `expr_path` must be the request path's exact entry (`http_expr/…/<$>`) or, when no
 *   exact entry and no more specific wildcard can exist in the tree, a wildcard (`…/<*>`) above
 *   it; under it, `<sha256 of the expression>/""/<response hash>` must be an empty leaf.
 *
 * Supported: version 2 with the default `no_certification` and response-only expressions.
 * Refused with a reason (the gateway answers 500, as ic-http-gateway does): no header, version
 * 1 (the body-only scheme, which this gateway does not implement) and request certification.
 */
import { createHash } from 'node:crypto';

import { bls12_381 } from '@noble/curves/bls12-381';

import { concat, decodeCbor, isCborMap, type CborValue } from './cbor';
import { lookupPath, lookupSubtree, treeDigest, treeFromCbor, type HashTree } from './hash-tree';
import { compareBytes, leb128 } from './request-id';

/** How far a certificate's time may be from the gateway's (ic-http-gateway's `MAX_CERT_TIME_OFFSET_NS`). */
export const MAX_CERT_TIME_OFFSET_NS = 300_000_000_000n;

const STATE_ROOT_DOMAIN = concat([Uint8Array.of(13), new TextEncoder().encode('ic-state-root')]);
/** A BLS12-381 G2 public key in DER: a fixed prefix, then the 96-byte key. */
const BLS_KEY_BYTES = 96;

export type VerificationOutcome = { verified: true; version: 2 } | { verified: false; reason: string };

/** What the gateway verifies: the canister's answer to the browser's request. */
export type VerificationInput = {
    canisterId: Uint8Array;
    /** The request's path and query, as passed to `http_request`. */
    url: string;
    status: number;
    headers: ReadonlyArray<readonly [string, string]>;
    body: Uint8Array;
    /** The DER root key `/api/v2/status` serves. */
    rootKeyDer: Uint8Array;
    /** The gateway's time, in nanoseconds since the epoch. */
    now: bigint;
};

class VerificationError extends Error {}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const sha256 = (...parts: Uint8Array[]): Uint8Array => {
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part);
    return new Uint8Array(hash.digest());
};

/** Verifies a response; never throws. */
export function verifyHttpResponse(input: VerificationInput): VerificationOutcome {
    try {
        verifyOrThrow(input);
        return { verified: true, version: 2 };
    } catch (error) {
        if (error instanceof VerificationError) return { verified: false, reason: error.message };
        return { verified: false, reason: `malformed certification: ${error instanceof Error ? error.message : String(error)}` };
    }
}

function verifyOrThrow(input: VerificationInput): void {
    const header = (name: string): string | undefined => input.headers.find(([n]) => n.toLowerCase() === name)?.[1];
    const certificateHeader = header('ic-certificate');
    if (certificateHeader === undefined) throw new VerificationError('the response has no IC-Certificate header');
    const fields = parseCertificateHeader(certificateHeader);
    if (fields.version !== 2) throw new VerificationError(`certification version ${fields.version} is not supported by this gateway (it verifies version 2)`);
    const certifiedData = verifyCertificate(fields.certificate, input.canisterId, input.rootKeyDer, input.now);
    const tree = treeFromCbor(decodeCbor(fields.tree));
    if (Buffer.compare(treeDigest(tree), certifiedData) !== 0) throw new VerificationError("the tree's root hash is not the canister's certified data");
    const expression = header('ic-certificateexpression');
    if (expression === undefined) throw new VerificationError('the response has no IC-CertificateExpression header');
    if (fields.exprPath === null) throw new VerificationError('the IC-Certificate header has no expr_path');
    const requestPath = decodeURIComponent(input.url.split(/[?#]/, 1)[0] ?? '/');
    validateExpressionPath(fields.exprPath, requestPath, tree);
    const certification = parseExpression(expression);
    const entry = [...fields.exprPath, sha256(utf8(expression))];
    if (certification.kind === 'skip') {
        if (lookupSubtree(entry, tree).status !== 'found') throw new VerificationError('the expression hash is not in the tree at expr_path');
        return;
    }
    const hash = responseHash(input.status, input.headers, input.body, certification);
    const leaf = lookupPath([...entry, new Uint8Array(), hash], tree);
    if (leaf.status !== 'found' || leaf.value.length !== 0) throw new VerificationError('the response (status, certified headers, body) is not the one certified at expr_path');
}

type CertificateFields = { certificate: Uint8Array; tree: Uint8Array; exprPath: string[] | null; version: number };

/** `certificate=:<base64>:, tree=:<base64>:, expr_path=:<base64>:, version=2` (fields in any order; the first of a name counts). */
export function parseCertificateHeader(value: string): CertificateFields {
    const fields = new Map<string, string>();
    for (const part of value.split(',')) {
        const match = /^\s*([a-z_]+)=:?([^:]*):?\s*$/.exec(part);
        if (match !== null && !fields.has(match[1]!)) fields.set(match[1]!, match[2]!);
    }
    const bytes = (name: string): Uint8Array => {
        const field = fields.get(name);
        if (field === undefined) throw new VerificationError(`the IC-Certificate header has no ${name}`);
        return new Uint8Array(Buffer.from(field, 'base64'));
    };
    const exprPath = fields.has('expr_path') ? decodeCbor(bytes('expr_path')) : null;
    if (exprPath !== null && !(Array.isArray(exprPath) && exprPath.every((s) => typeof s === 'string'))) throw new VerificationError('expr_path is not a CBOR array of text');
    return { certificate: bytes('certificate'), tree: bytes('tree'), exprPath: exprPath as string[] | null, version: Number(fields.get('version') ?? '1') };
}

/**
 * Checks a certificate (signature by the root key, or by a subnet the root delegated to and
 * whose ranges hold the canister; time within the offset) and returns the canister's certified data.
 */
function verifyCertificate(bytes: Uint8Array, canisterId: Uint8Array, rootKeyDer: Uint8Array, now: bigint): Uint8Array {
    const tree = verifiedTree(bytes, rootKeyDer, canisterId);
    const time = lookupPath(['time'], tree);
    if (time.status !== 'found') throw new VerificationError('the certificate has no time');
    const certifiedAt = readLeb128(time.value);
    const offset = certifiedAt > now ? certifiedAt - now : now - certifiedAt;
    if (offset > MAX_CERT_TIME_OFFSET_NS) throw new VerificationError(`the certificate's time is ${offset / 1_000_000_000n} s away from the gateway's`);
    const data = lookupPath(['canister', canisterId, 'certified_data'], tree);
    if (data.status !== 'found') throw new VerificationError('the certificate has no certified data for the canister');
    return data.value;
}

function verifiedTree(bytes: Uint8Array, rootKeyDer: Uint8Array, canisterId: Uint8Array | null): HashTree {
    const cert = decodeCbor(bytes);
    if (!isCborMap(cert) || !(cert.signature instanceof Uint8Array)) throw new VerificationError('the certificate is not a CBOR map with a signature');
    const tree = treeFromCbor(cert.tree as CborValue);
    let keyDer = rootKeyDer;
    if (cert.delegation !== undefined) {
        const delegation = cert.delegation;
        if (!isCborMap(delegation) || !(delegation.subnet_id instanceof Uint8Array) || !(delegation.certificate instanceof Uint8Array)) throw new VerificationError('malformed delegation');
        const delegated = verifiedTree(delegation.certificate, rootKeyDer, null);
        const key = lookupPath(['subnet', delegation.subnet_id, 'public_key'], delegated);
        const ranges = lookupPath(['subnet', delegation.subnet_id, 'canister_ranges'], delegated);
        if (key.status !== 'found' || ranges.status !== 'found') throw new VerificationError('the delegation lacks the subnet key or ranges');
        if (canisterId !== null && !inRanges(canisterId, decodeCbor(ranges.value))) throw new VerificationError('the canister is not in the delegated subnet’s ranges');
        keyDer = key.value;
    }
    const message = concat([STATE_ROOT_DOMAIN, treeDigest(tree)]);
    const key = keyDer.slice(keyDer.length - BLS_KEY_BYTES);
    if (!bls12_381.verifyShortSignature(cert.signature, message, key)) throw new VerificationError("the certificate's signature does not verify");
    return tree;
}

function inRanges(id: Uint8Array, ranges: CborValue): boolean {
    if (!Array.isArray(ranges)) return false;
    return ranges.some((r) => Array.isArray(r) && r[0] instanceof Uint8Array && r[1] instanceof Uint8Array && compareBytes(r[0], id) <= 0 && compareBytes(id, r[1]) <= 0);
}

function readLeb128(bytes: Uint8Array): bigint {
    let value = 0n;
    let shift = 0n;
    for (const byte of bytes) {
        value |= BigInt(byte & 0x7f) << shift;
        shift += 7n;
    }
    return value;
}

type Certification = { kind: 'skip' } | { kind: 'response'; headers: { include: boolean; names: string[] } };

/** The default CEL expressions (`default_certification(ValidationArgs{…})`); request certification is refused. */
export function parseExpression(expression: string): Certification {
    const compact = expression.replace(/\s+/g, '');
    if (compact === 'default_certification(ValidationArgs{no_certification:Empty{}})') return { kind: 'skip' };
    const match = /^default_certification\(ValidationArgs\{certification:Certification\{(no_request_certification:Empty\{\}|request_certification:.*?\]\}),response_certification:ResponseCertification\{(certified_response_headers|response_header_exclusions):ResponseHeaderList\{headers:\[(.*?)\]\}\}\}\}\)$/.exec(compact);
    if (match === null) throw new VerificationError(`not a default certification expression: ${expression}`);
    if (match[1] !== 'no_request_certification:Empty{}') throw new VerificationError('request certification is not supported by this gateway');
    const names = match[3] === '' ? [] : match[3]!.split(',').map((n) => n.replace(/^"|"$/g, '').toLowerCase());
    return { kind: 'response', headers: { include: match[2] === 'certified_response_headers', names } };
}

/** sha256(representation-independent hash of the certified headers and `:ic-cert-status` ‖ sha256(body)). */
function responseHash(status: number, headers: VerificationInput['headers'], body: Uint8Array, certification: Extract<Certification, { kind: 'response' }>): Uint8Array {
    const listed = new Set(certification.headers.names);
    const pairs: Uint8Array[] = [];
    for (const [rawName, value] of headers) {
        const name = rawName.toLowerCase();
        if (name === 'ic-certificate') continue;
        const certified = name === 'ic-certificateexpression' || listed.has(name) === certification.headers.include;
        if (certified) pairs.push(concat([sha256(utf8(name)), sha256(utf8(value))]));
    }
    pairs.push(concat([sha256(utf8(':ic-cert-status')), sha256(leb128(BigInt(status)))]));
    pairs.sort(compareBytes);
    return sha256(sha256(concat(pairs)), sha256(body));
}

/** The verifier's `validate_expr_path`: the exact entry if the tree has one, else the most specific wildcard. */
function validateExpressionPath(exprPath: string[], requestPath: string, tree: HashTree): void {
    if (exprPath[0] !== 'http_expr') throw new VerificationError('expr_path does not start with http_expr');
    const terminator = exprPath[exprPath.length - 1];
    if (terminator !== '<$>' && terminator !== '<*>') throw new VerificationError('expr_path ends with neither <$> nor <*>');
    const segments = requestPath.split('/').filter((s) => s.length > 0);
    if (requestPath.endsWith('/')) segments.push('');
    const exact = ['http_expr', ...segments, '<$>'];
    const mightExist = (path: string[]): boolean => lookupSubtree(path, tree).status !== 'absent';
    if (sameSegments(exprPath, exact)) {
        if (lookupSubtree(exact, tree).status !== 'found') throw new VerificationError('the exact entry for the path is not in the tree');
        return;
    }
    if (terminator === '<$>') throw new VerificationError(`expr_path is the exact entry of another path than ${requestPath}`);
    if (mightExist(exact)) throw new VerificationError(`a wildcard answered ${requestPath}, but the tree may have its exact entry`);
    const wildcard = exprPath.slice(1, -1);
    if (!wildcardCovers(wildcard, segments)) throw new VerificationError(`the wildcard entry does not cover ${requestPath}`);
    for (const candidate of moreSpecificWildcards(segments, wildcard)) {
        if (mightExist(['http_expr', ...candidate])) throw new VerificationError(`a more specific wildcard than expr_path may exist for ${requestPath}`);
    }
    if (lookupSubtree(exprPath, tree).status !== 'found') throw new VerificationError('the wildcard entry is not in the tree');
}

function sameSegments(a: readonly string[], b: readonly string[]): boolean {
    return a.length === b.length && a.every((s, i) => s === b[i]);
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
    return prefix.length <= path.length && prefix.every((s, i) => s === path[i]);
}

/** A wildcard covers the request path when it is a prefix of it (a trailing "" may be dropped). */
function wildcardCovers(wildcard: readonly string[], segments: readonly string[]): boolean {
    if (startsWith(segments, wildcard)) return true;
    return wildcard[wildcard.length - 1] === '' && startsWith(segments, wildcard.slice(0, -1));
}

/** The verifier's `more_specific_wildcards_for`: every wildcard between the request path and the answering one. */
function moreSpecificWildcards(segments: readonly string[], answering: readonly string[]): string[][] {
    const potential = [...segments];
    let responding = answering.length > 1 && answering[0] === '' ? answering.slice(1) : [...answering];
    if (!wildcardCovers(responding, potential)) responding = [];
    const found: string[][] = [];
    while (potential.length > responding.length || potential[potential.length - 1] !== responding[responding.length - 1]) {
        found.push([...potential, '<*>']);
        if (potential[potential.length - 1] === '') potential.pop();
        else {
            potential.pop();
            potential.push('');
        }
        if (potential.length === 0) break;
    }
    return found;
}
