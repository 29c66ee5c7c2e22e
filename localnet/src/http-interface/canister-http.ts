/**
 * Serving canisters' `http_request` through an HTTP gateway, as the IC's HTTP gateways do for
 * asset canisters (the interface specification's "HTTP Gateway protocol"): a browser request
 * for `http://<canister id>.localhost:<port>/path` (or `http://127.0.0.1:<port>/path?canisterId=<id>`)
 * becomes a query call `http_request(HttpRequest)` from the anonymous principal, and the
 * canister's `HttpResponse` becomes the HTTP response.
 *
 * Not supported (answered 501 / left out): `upgrade = opt true` (a `http_request_update` call)
 * and streaming strategies. The gateway verifies response certification (response-verification.ts)
 * except on `<id>.raw.localhost`, as the IC's gateways do except on raw domains.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

import type { CallResult, CanisterCall } from '../api';

/** Principal text: groups of five base32 characters, separated by dashes, the last one shorter. */
const PRINCIPAL_TEXT = /^[a-z2-7]{5}(-[a-z2-7]{1,5})+$/;

/**
 * The canister a browser request addresses, or null when it names none: the first label of a
 * `<id>.localhost` host (also `<id>.raw.localhost`), else the `canisterId` query parameter.
 * Throws nothing; a malformed id is null (the request then is not a canister request).
 */
export function canisterIdOfRequest(hostHeader: string | undefined, url: string): Principal | null {
    const hostname = (hostHeader ?? '').replace(/:\d+$/, '').toLowerCase();
    const labels = hostname.split('.');
    if (labels.length >= 2 && labels[labels.length - 1] === 'localhost') {
        const id = parsePrincipal(labels[0]!);
        if (id !== null) return id;
    }
    const query = url.includes('?') ? url.slice(url.indexOf('?') + 1).split('#', 1)[0]! : '';
    const param = new URLSearchParams(query).get('canisterId');
    return param === null ? null : parsePrincipal(param);
}

function parsePrincipal(text: string): Principal | null {
    if (!PRINCIPAL_TEXT.test(text)) return null;
    try {
        return Principal.fromText(text);
    } catch {
        return null;
    }
}

const HeaderField = IDL.Tuple(IDL.Text, IDL.Text);
const HttpRequestIdl = IDL.Record({ method: IDL.Text, url: IDL.Text, headers: IDL.Vec(HeaderField), body: IDL.Vec(IDL.Nat8), certificate_version: IDL.Opt(IDL.Nat16) });
/** Only the fields the gateway uses; Candid subtyping skips the rest (e.g. `streaming_strategy`). */
const HttpResponseIdl = IDL.Record({ status_code: IDL.Nat16, headers: IDL.Vec(HeaderField), body: IDL.Vec(IDL.Nat8), upgrade: IDL.Opt(IDL.Bool) });

type DecodedResponse = { status_code: number; headers: [string, string][]; body: Uint8Array | number[]; upgrade: [] | [boolean] };

/** What a browser sent, as the gateway passes it on. */
export type BrowserRequest = { method: string; url: string; headers: [string, string][]; body: Uint8Array };

/** What the gateway answers the browser: the canister's answer, or the gateway's own (an error). */
export type GatewayHttpResponse = { status: number; headers: [string, string][]; body: Uint8Array; origin: 'canister' | 'gateway' };

/** The `http_request` query for a browser request; `url` is the path and query, as on the IC. */
export function httpRequestCall(canisterId: Principal, request: BrowserRequest): CanisterCall {
    // Version 2, the highest the gateway verifies (as ic-http-gateway asks for `MAX_VERIFICATION_VERSION`).
    const arg = { method: request.method, url: request.url, headers: request.headers, body: request.body, certificate_version: [2] };
    return {
        sender: Principal.anonymous().toUint8Array(),
        canisterId: canisterId.toUint8Array(),
        method: 'http_request',
        payload: new Uint8Array(IDL.encode([HttpRequestIdl], [arg])),
        effectivePrincipal: { kind: 'none' }
    };
}

/** Headers a gateway sets itself (from the body it sends), never taken from the canister. */
const GATEWAY_OWNED_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection']);

/** The browser's response for the canister's answer to `http_request`. */
export function browserResponseOf(canisterId: Principal, result: CallResult): GatewayHttpResponse {
    if (result.kind === 'reject') {
        return plainResponse(502, `canister ${canisterId.toText()} could not answer http_request: ${result.reject.rejectMessage} (reject code ${result.reject.rejectCode})`);
    }
    let decoded: DecodedResponse;
    try {
        [decoded] = IDL.decode([HttpResponseIdl], result.payload) as unknown as [DecodedResponse];
    } catch (error) {
        return plainResponse(502, `canister ${canisterId.toText()} answered http_request with something that is not an HttpResponse: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (decoded.upgrade[0] === true) {
        return plainResponse(501, `canister ${canisterId.toText()} asked for an update call (upgrade = true); this gateway serves http_request queries only`);
    }
    return {
        status: decoded.status_code,
        headers: decoded.headers.filter(([name]) => !GATEWAY_OWNED_HEADERS.has(name.toLowerCase())),
        body: decoded.body instanceof Uint8Array ? decoded.body : Uint8Array.from(decoded.body),
        origin: 'canister'
    };
}

/** The gateway's own text answer (errors). */
export function plainResponse(status: number, message: string): GatewayHttpResponse {
    return { status, headers: [['Content-Type', 'text/plain; charset=utf-8']], body: new TextEncoder().encode(message), origin: 'gateway' };
}

/** A `<id>.raw.localhost` host: answers pass unverified there, as on the IC's raw domains. */
export function isRawHost(hostHeader: string | undefined): boolean {
    const labels = (hostHeader ?? '').replace(/:\d+$/, '').toLowerCase().split('.');
    return labels.length >= 3 && labels[labels.length - 2] === 'raw' && labels[labels.length - 1] === 'localhost';
}
