/**
 * Response certification, version 2, of the HTTP Gateway protocol (the HTTP Gateway Protocol
 * Specification, "Response Verification"; dfinity/response-verification,
 * `packages/ic-http-certification` and `packages/ic-response-verification`): every response the
 * dashboard can give is hashed into a tree under `http_expr`, whose root hash is the canister's
 * certified data; a response carries a witness of its own entry and the subnet's certificate in
 * `IC-Certificate`, so a gateway can check that the subnet vouched for exactly these bytes.
 *
 * Pure logic of the `dashboard` canister (index.ts stores the body hashes and sets the data).
 */
import { sha256 } from '@noble/hashes/sha2';

import type { HeaderField } from '../../../shared/dashboard/assets-api';
import { compareBytes, concatBytes, encodeCbor, insertLabeled, witness, treeToCborValue, type HashTree, type LabeledChild } from './hash-tree';

export const CERTIFICATE_HEADER = 'IC-Certificate';
export const CERTIFICATE_EXPRESSION_HEADER = 'IC-CertificateExpression';

/** The response headers the certification covers (lower case, as the expression names them). */
export const CERTIFIED_RESPONSE_HEADERS = ['content-type', 'cache-control', 'x-content-type-options'] as const;

/**
 * The CEL expression every dashboard response is certified with: the response only (no request
 * headers or query parameters), with the headers above, its status and its body. The text is
 * what `create_default_response_only_cel_expr` writes; its sha256 is a label in the tree.
 */
export const CERTIFICATE_EXPRESSION =
    'default_certification(ValidationArgs{certification:Certification{no_request_certification:Empty{},' +
    `response_certification:ResponseCertification{certified_response_headers:ResponseHeaderList{headers:[${CERTIFIED_RESPONSE_HEADERS.map((h) => `"${h}"`).join(',')}]}}}})`;

const encoder = new TextEncoder();
const utf8 = (text: string): Uint8Array => encoder.encode(text);
const EXPRESSION_HASH = sha256(utf8(CERTIFICATE_EXPRESSION));
const EMPTY = new Uint8Array();

/** A response as certification sees it: status, headers and the sha256 of the body. */
export type CertifiableResponse = { status: number; headers: HeaderField[]; bodyHash: Uint8Array };

function leb128(n: number): Uint8Array {
    const bytes: number[] = [];
    do {
        let byte = n & 0x7f;
        n = Math.floor(n / 128);
        if (n > 0) byte |= 0x80;
        bytes.push(byte);
    } while (n > 0);
    return Uint8Array.from(bytes);
}

/**
 * The response hash: the representation-independent hash of the certified headers (names in
 * lower case, with the expression header and the `:ic-cert-status` pseudo-header carrying the
 * status as a number), then sha256 of that hash followed by the body's hash.
 */
export function responseHash(response: CertifiableResponse): Uint8Array {
    const certified = new Set<string>([...CERTIFIED_RESPONSE_HEADERS, CERTIFICATE_EXPRESSION_HEADER.toLowerCase()]);
    const pairs = response.headers
        .map(([name, value]) => [name.toLowerCase(), value] as const)
        .filter(([name]) => certified.has(name))
        .map(([name, value]) => concatBytes([sha256(utf8(name)), sha256(utf8(value))]));
    pairs.push(concatBytes([sha256(utf8(':ic-cert-status')), sha256(leb128(response.status))]));
    pairs.sort(compareBytes);
    const headersHash = sha256(concatBytes(pairs));
    return sha256(concatBytes([headersHash, response.bodyHash]));
}

/** The path segments of a request path, as the verifier splits it (a trailing `/` is an empty last segment). */
export function pathSegments(path: string): string[] {
    const segments = path.split('/').filter((s) => s.length > 0);
    if (path.endsWith('/')) segments.push('');
    return segments;
}

/** `http_expr/<segments>/<$>`: the entry of one exact path. */
export function exactExpressionPath(path: string): string[] {
    return ['http_expr', ...pathSegments(path), '<$>'];
}

/** `http_expr//<*>`: the entry answering every path without an exact one (client-side routes, 404). */
export const ROOT_WILDCARD_PATH: readonly string[] = ['http_expr', '', '<*>'];

/** One tree entry: an expression path and every response certified for it. */
export type CertificationEntry = { expressionPath: readonly string[]; responses: CertifiableResponse[] };

/** The labeled data of the certification tree (its root hash is the certified data). */
export function certificationData(entries: readonly CertificationEntry[]): LabeledChild[] {
    const root: LabeledChild[] = [];
    for (const entry of entries) {
        for (const response of entry.responses) {
            insertLabeled(root, [...entry.expressionPath.map(utf8), EXPRESSION_HASH, EMPTY, responseHash(response)], EMPTY);
        }
    }
    return root;
}

/**
 * The witness a response to `requestPath` carries when it is answered by the entry at
 * `expressionPath`: that entry down to the response's leaf and, for a wildcard answer, the
 * absence of the request's exact entry and of every more specific wildcard (the verifier
 * refuses a wildcard answer when a better entry might exist).
 */
export function responseWitness(data: LabeledChild[], requestPath: string, expressionPath: readonly string[], response: CertifiableResponse): HashTree {
    const paths: Uint8Array[][] = [[...expressionPath.map(utf8), EXPRESSION_HASH, EMPTY, responseHash(response)]];
    if (expressionPath[expressionPath.length - 1] === '<*>') {
        const segments = pathSegments(requestPath);
        paths.push(exactExpressionPath(requestPath).map(utf8));
        for (let k = 1; k <= segments.length; k++) {
            const prefix = ['http_expr', ...segments.slice(0, k)];
            paths.push([...prefix, '<*>'].map(utf8), [...prefix, '', '<*>'].map(utf8));
        }
    }
    return witness(data, paths);
}

function base64(bytes: Uint8Array): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let out = '';
    for (let i = 0; i < bytes.length; i += 3) {
        const [a, b, c] = [bytes[i]!, bytes[i + 1], bytes[i + 2]];
        const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
        out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]! + (b === undefined ? '=' : alphabet[(n >> 6) & 63]!) + (c === undefined ? '=' : alphabet[n & 63]!);
    }
    return out;
}

/** The `IC-Certificate` header value of a version 2 response. */
export function certificateHeaderValue(certificate: Uint8Array, tree: HashTree, expressionPath: readonly string[]): string {
    const fields = [
        `certificate=:${base64(certificate)}:`,
        `tree=:${base64(encodeCbor(treeToCborValue(tree)))}:`,
        `expr_path=:${base64(encodeCbor([...expressionPath]))}:`,
        'version=2'
    ];
    return fields.join(', ');
}
