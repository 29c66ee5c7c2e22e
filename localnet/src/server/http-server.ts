/**
 * The Node HTTP server around {@link Router}: reads bodies, writes replies, turns errors into
 * PocketIC's `{"message": …}` answers, and tracks activity for the idle TTL.
 */
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { OperationError } from '../api';
import { JsonSyntaxError, stringifyJson } from './json';
import { errorLog, requestLog } from './log';
import { Reply, Router, ServerContext } from './routes';

export type HttpServerOptions = { host: string; port: number; context: ServerContext };

/** A listening server. */
export type RunningServer = {
    readonly port: number;
    /** Milliseconds since the last request finished, or 0 while any request is in flight. */
    idleMs(): number;
    /** Stops accepting requests and closes every connection. */
    close(): Promise<void>;
};

/** Starts listening; resolves once the port is bound. */
export function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
    let inFlight = 0;
    let idleSince = Date.now();
    // Shared with HTTP gateways, whose traffic also keeps the server from idling out.
    const activity = {
        begin: (): void => {
            inFlight++;
        },
        end: (): void => {
            inFlight--;
            idleSince = Date.now();
        }
    };
    const router = new Router({ ...options.context, activity: options.context.activity ?? activity });

    const server = createServer((request, response) => {
        activity.begin();
        response.on('close', () => activity.end());
        void handle(router, request, response);
    });
    // An await_ingress_message may run many rounds; never cut a request off for being slow.
    server.requestTimeout = 0;
    server.timeout = 0;
    // Longer than undici's default keep-alive so the client, not the server, closes idle sockets
    // (a server-side close racing a new request shows up as "other side closed" in fetch).
    server.keepAliveTimeout = 65_000;

    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
            server.off('error', reject);
            server.on('error', (error) => errorLog(`server error: ${error.message}`));
            resolve({
                port: (server.address() as AddressInfo).port,
                idleMs: () => (inFlight > 0 ? 0 : Date.now() - idleSince),
                close: () => closeServer(server)
            });
        });
    });
}

function closeServer(server: Server): Promise<void> {
    return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
    });
}

async function handle(router: Router, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0];
    let reply: Reply;
    try {
        const body = await readBody(request);
        const encoding = request.headers['content-encoding'];
        reply = await router.dispatch({ method, path, contentEncoding: encoding, body });
    } catch (error) {
        reply = errorReply(error, method, path);
    }
    try {
        send(response, reply);
    } catch (error) {
        // The client went away or the reply could not be serialised; nothing more to do.
        errorLog(`could not answer ${method} ${path}: ${describe(error)}`);
        response.destroy();
    }
    requestLog(`${method} ${path} ${reply.status} ${Date.now() - started}ms`);
}

/** Maps a failure to PocketIC's error body. Unexpected ones are logged and answered 500. */
function errorReply(error: unknown, method: string, path: string): Reply {
    if (error instanceof OperationError) return { status: error.httpStatus, json: { message: error.message } };
    if (error instanceof JsonSyntaxError) return { status: 400, json: { message: `malformed JSON body: ${error.message}` } };
    errorLog(`internal error in ${method} ${path}: ${describe(error)}`);
    return { status: 500, json: { message: `internal error: ${error instanceof Error ? error.message : String(error)}` } };
}

function describe(error: unknown): string {
    return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function readBody(request: IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => resolve(Buffer.concat(chunks)));
        request.on('error', reject);
    });
}

function send(response: ServerResponse, reply: Reply): void {
    if ('json' in reply) {
        const body = Buffer.from(stringifyJson(reply.json), 'utf8');
        response.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': body.length });
        response.end(body);
    } else if ('bytes' in reply) {
        response.writeHead(reply.status, { 'Content-Type': reply.contentType, 'Content-Length': reply.bytes.length });
        response.end(reply.bytes);
    } else if ('text' in reply) {
        const body = Buffer.from(reply.text, 'utf8');
        response.writeHead(reply.status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length });
        response.end(body);
    } else {
        response.writeHead(reply.status, { 'Content-Length': 0 });
        response.end();
    }
}
