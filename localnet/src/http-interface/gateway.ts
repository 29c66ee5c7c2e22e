/**
 * HTTP gateways (PocketIC's `POST /http_gateway`): a listener on its own port that serves the
 * IC HTTP interface (`/api/...`) of one instance, so `pic.makeLive()` gives a URL an agent,
 * dfx or icp can use, and canisters' `http_request` to browsers at `http://<id>.localhost:<port>/`
 * or `/?canisterId=<id>` (asset canisters; see canister-http.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { OperationError } from '../api';
import { browserResponseOf, canisterIdOfRequest, httpRequestCall, isRawHost, plainResponse, type GatewayHttpResponse } from './canister-http';
import { dataCertificate, rootSubnet } from './certificate';
import { asHttpInterfaceHost } from './host';
import { verifyHttpResponse } from './response-verification';
import { serveIcApi, type IcResponse, type InstanceRunner } from './routes';

/** Marks requests in flight on any listener, so the server's idle TTL counts gateway traffic too. */
export type ActivityTracker = { begin(): void; end(): void };

/** Where a gateway forwards: an instance of this server. */
export type GatewayTarget = { instanceId: number; run: InstanceRunner };

type Gateway = { id: number; port: number; server: Server };

/** The gateways of one server, by gateway id (counting from 0, as PocketIC does). */
export class GatewayRegistry {
    private readonly gateways = new Map<number, Gateway>();
    private nextId = 0;

    constructor(private readonly activity: ActivityTracker | null = null) {}

    /**
     * Starts a gateway on `ip:port` (port 0 picks a free one). Throws `OperationError` when
     * the port cannot be bound.
     */
    async start(target: GatewayTarget, ip = '127.0.0.1', port = 0): Promise<{ instanceId: number; port: number }> {
        const server = createServer((request, response) => {
            this.activity?.begin();
            response.on('close', () => this.activity?.end());
            handle(request, response, target.run).catch((error: unknown) => answerUnexpected(response, error));
        });
        server.keepAliveTimeout = 65_000;
        server.requestTimeout = 0;
        await new Promise<void>((resolve, reject) => {
            server.once('error', (error) => reject(new OperationError(`the HTTP gateway cannot listen on ${ip}:${port}: ${error.message}`)));
            server.listen(port, ip, () => resolve());
        });
        server.removeAllListeners('error');
        server.on('error', () => undefined);
        // A gateway alone must not keep the process alive once the main server has closed.
        server.unref();
        const id = this.nextId++;
        const bound = (server.address() as AddressInfo).port;
        this.gateways.set(id, { id, port: bound, server });
        return { instanceId: id, port: bound };
    }

    /** Stops a gateway; stopping an unknown or stopped one does nothing, as in PocketIC. */
    async stop(id: number): Promise<void> {
        const gateway = this.gateways.get(id);
        if (gateway === undefined) return;
        this.gateways.delete(id);
        await new Promise<void>((resolve) => {
            gateway.server.close(() => resolve());
            gateway.server.closeAllConnections();
        });
    }

    /** Stops every gateway (server shutdown). */
    async stopAll(): Promise<void> {
        await Promise.all([...this.gateways.keys()].map((id) => this.stop(id)));
    }
}

const CORS_HEADERS = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST, HEAD, OPTIONS',
    'Access-Control-Allow-Headers': 'DNT,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Cookie,X-Ic-Canister-Id',
    'Access-Control-Expose-Headers': 'Content-Length,Content-Range'
};

/**
 * Largest request body the endpoint reads: the replica's `max_request_size_bytes` (5 MiB,
 * dfinity/ic `rs/config/src/http_handler.rs`). A larger body is refused with 413 as soon as
 * its declared length or its bytes pass the limit, without reading (or keeping) the rest.
 */
export const MAX_REQUEST_BODY_BYTES = 5 * 1024 * 1024;

/** The last resort: a failure outside the handler's own error handling answers 500, never kills the process. */
function answerUnexpected(response: ServerResponse, error: unknown): void {
    console.error(`the HTTP gateway failed to answer a request: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (response.headersSent) {
        response.destroy();
        return;
    }
    try {
        writeIcResponse(response, { status: 500, text: `Unexpected error: ${error instanceof Error ? error.message : String(error)}` }, CORS_HEADERS);
    } catch {
        response.destroy();
    }
}

async function handle(request: IncomingMessage, response: ServerResponse, run: InstanceRunner): Promise<void> {
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0]!;
    let reply: IcResponse;
    try {
        const body = await readBody(request, MAX_REQUEST_BODY_BYTES);
        if (body === 'too large') {
            writeIcResponse(response, { status: 413, text: `the request body is larger than the endpoint accepts (${MAX_REQUEST_BODY_BYTES} bytes)` }, CORS_HEADERS);
            return;
        }
        if (method === 'OPTIONS') {
            response.writeHead(204, CORS_HEADERS);
            response.end();
            return;
        }
        if (path.startsWith('/api/')) {
            reply = await serveIcApi(method, path.slice('/api/'.length), body, run);
        } else {
            const canisterId = canisterIdOfRequest(request.headers.host, request.url ?? '/');
            if (canisterId === null) {
                reply = { status: 404, text: `${path} is not served: this gateway serves the IC HTTP interface (/api/...) and canisters at http://<canister id>.localhost:<port>/ or ?canisterId=<canister id>` };
            } else {
                const browserRequest = { method, url: request.url ?? '/', headers: headerPairs(request), body };
                const answer = await run((api) => {
                    const host = asHttpInterfaceHost(api);
                    if (host === null) throw new OperationError('this instance does not support the IC HTTP interface', 501);
                    if (host.canisterState(canisterId.toUint8Array()) === null) return null;
                    // A query with the canister's data certificate, as replicas answer the gateway's.
                    const result = host.query(httpRequestCall(canisterId, browserRequest), () => dataCertificate(host, canisterId.toUint8Array()));
                    const answer = browserResponseOf(canisterId, result);
                    // Raw domains pass answers unverified, as on the IC (`<id>.raw.icp0.io`).
                    if (answer.origin === 'gateway' || isRawHost(request.headers.host)) return answer;
                    const outcome = verifyHttpResponse({
                        canisterId: canisterId.toUint8Array(),
                        url: browserRequest.url,
                        status: answer.status,
                        headers: answer.headers,
                        body: answer.body,
                        rootKeyDer: host.subnetPublicKey(rootSubnet(host).subnetId),
                        now: host.certifiedTime()
                    });
                    // ic-http-gateway answers a failed verification with 500 and the reason.
                    return outcome.verified ? answer : plainResponse(500, `Response verification failed: ${outcome.reason}`);
                });
                writeBrowserResponse(response, answer ?? plainResponse(404, `canister ${canisterId.toText()} not found`));
                return;
            }
        }
    } catch (error) {
        reply =
            error instanceof OperationError
                ? { status: error.httpStatus, text: error.message }
                : { status: 500, text: `internal error: ${error instanceof Error ? error.message : String(error)}` };
    }
    writeIcResponse(response, reply, CORS_HEADERS);
}

/** The request's headers as the gateway protocol passes them (name, value), repeated headers one pair each. */
function headerPairs(request: IncomingMessage): [string, string][] {
    const pairs: [string, string][] = [];
    for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) pairs.push([request.rawHeaders[i]!, request.rawHeaders[i + 1]!]);
    return pairs;
}

/** Writes a canister's `http_request` answer (CORS headers too: the dashboard's scripts may be loaded cross-origin). */
function writeBrowserResponse(response: ServerResponse, answer: GatewayHttpResponse): void {
    response.statusCode = answer.status;
    for (const [name, value] of Object.entries(CORS_HEADERS)) response.setHeader(name, value);
    for (const [name, value] of answer.headers) response.appendHeader(name, value);
    response.setHeader('Content-Length', answer.body.length);
    response.end(answer.body);
}

/** Writes an interface response on a gateway connection. */
export function writeIcResponse(response: ServerResponse, reply: IcResponse, extraHeaders: Record<string, string> = {}): void {
    if ('cbor' in reply) {
        response.writeHead(reply.status, { ...extraHeaders, 'Content-Type': 'application/cbor', 'Content-Length': reply.cbor.length });
        response.end(reply.cbor);
    } else if ('text' in reply) {
        const body = Buffer.from(reply.text, 'utf8');
        response.writeHead(reply.status, { ...extraHeaders, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length });
        response.end(body);
    } else {
        response.writeHead(reply.status, { ...extraHeaders, 'Content-Length': 0 });
        response.end();
    }
}

/**
 * Reads a body of at most `limit` bytes, or 'too large' as soon as the declared length or the
 * bytes received pass it; the rest is then discarded as it arrives (not buffered).
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array | 'too large'> {
    return new Promise((resolve, reject) => {
        const declared = Number(request.headers['content-length'] ?? 0);
        if (Number.isFinite(declared) && declared > limit) {
            request.resume();
            resolve('too large');
            return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        let over = false;
        request.on('data', (chunk: Buffer) => {
            if (over) return;
            received += chunk.length;
            if (received > limit) {
                // Answered at once; the rest of the body is read and dropped, so the client can
                // finish sending and read the answer.
                over = true;
                chunks.length = 0;
                resolve('too large');
                return;
            }
            chunks.push(chunk);
        });
        request.on('end', () => {
            if (!over) resolve(new Uint8Array(Buffer.concat(chunks)));
        });
        request.on('error', reject);
    });
}
