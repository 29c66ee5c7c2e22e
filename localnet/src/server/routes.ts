/**
 * PocketIC's REST endpoints as used by @dfinity/pic 0.23 (see docs/localnet.md). Every handler
 * answers synchronously: this server never sends 202 (started) or 409 (busy).
 */
import { InstanceApi, OperationError, type CallResult, type CanisterCall } from '../api';
import { dataCertificate } from '../http-interface/certificate';
import { asHttpInterfaceHost } from '../http-interface/host';
import { GatewayRegistry, type ActivityTracker } from '../http-interface/gateway';
import { serveIcApi, type IcResponse } from '../http-interface/routes';
import { BlobStore } from './blob-store';
import {
    MalformedRequestError,
    asObject,
    blobField,
    decodeCanisterCall,
    decodePrincipal,
    decodeSubmittedMessage,
    encodeBase64,
    encodeCallResult,
    encodeSubmitResult,
    encodeTopology,
    optionalField,
    principalField,
    stringField,
    u128Field,
    u64Field
} from './codec';
import { parseInstanceConfig } from './config';
import { JsonValue, parseJson } from './json';
import { InstanceRegistry } from './registry';

/** What a handler answers: a JSON document, plain text, binary (the IC HTTP interface's CBOR), or an empty body. */
export type Reply =
    | { status: number; json: JsonValue }
    | { status: number; text: string }
    | { status: number; bytes: Uint8Array; contentType: string }
    | { status: number; empty: true };

/** A request with its whole body read. */
export type ServerRequest = { method: string; path: string; contentEncoding: string | undefined; body: Buffer };

/**
 * The server state handlers work on. `gateways` and `activity` are optional so existing
 * callers keep working: the router creates a gateway registry when none is given.
 */
export type ServerContext = { registry: InstanceRegistry; blobs: BlobStore; gateways?: GatewayRegistry; activity?: ActivityTracker };

type Handler = (request: ServerRequest, params: string[], context: ServerContext) => Reply | Promise<Reply>;
type Route = { method: string; pattern: RegExp; handler: Handler };

const ok = (json: JsonValue): Reply => ({ status: 200, json });
const empty: Reply = { status: 200, empty: true };

/** The JSON body, or `null` for an empty one. Throws `JsonSyntaxError` if malformed. */
function jsonBody(request: ServerRequest): JsonValue {
    return request.body.length === 0 ? null : parseJson(request.body.toString('utf8'));
}

function canisterIdOf(body: JsonValue): Uint8Array {
    return principalField(asObject(body, 'request body'), 'canister_id');
}

/** An endpoint under `/instances/<id>`, run in the instance's operation queue. */
function instanceRoute(method: string, suffix: string, handle: (api: InstanceApi, body: JsonValue) => JsonValue): Route {
    return {
        method,
        pattern: new RegExp(`^/instances/(\\d+)${suffix.replace(/\//g, '\\/')}$`),
        handler: async (request, [id], { registry }) => {
            // Parse before queueing: a malformed body should not wait for a long round.
            const body = jsonBody(request);
            return ok(await registry.run(Number(id), (api) => handle(api, body)));
        }
    };
}

function createInstance(request: ServerRequest, _params: string[], { registry }: ServerContext): Reply {
    const config = parseInstanceConfig(jsonBody(request));
    if ('error' in config) return { status: 400, json: { Error: { message: config.error } } };
    const { id, api } = registry.create(config.ok);
    return { status: 201, json: { Created: { instance_id: id, topology: encodeTopology(api.topology), http_gateway_info: null } } };
}

function uploadBlob(request: ServerRequest, _params: string[], { blobs }: ServerContext): Reply {
    const encoding = request.contentEncoding?.trim().toLowerCase();
    if (encoding !== undefined && encoding !== 'gzip') throw new OperationError(`Bad encoding: ${encoding}. Only gzip is supported.`);
    const id = blobs.put(new Uint8Array(request.body), encoding === 'gzip');
    return { status: 200, text: id };
}

function fromIcResponse(response: IcResponse): Reply {
    if ('cbor' in response) return { status: response.status, bytes: response.cbor, contentType: 'application/cbor' };
    if ('text' in response) return { status: response.status, text: response.text };
    return { status: response.status, empty: true };
}

async function icApi(request: ServerRequest, [id, path]: string[], { registry }: ServerContext): Promise<Reply> {
    const instanceId = Number(id);
    return fromIcResponse(await serveIcApi(request.method, path!, new Uint8Array(request.body), (operation) => registry.run(instanceId, operation)));
}

/**
 * `POST /http_gateway` with `{forward_to: {PocketIcInstance: <id>}, ip_addr?, port?}`. Gateways
 * forwarding to a replica URL, custom domains and HTTPS are not supported.
 */
async function startGateway(request: ServerRequest, _params: string[], { registry, gateways }: ServerContext): Promise<Reply> {
    const failure = (message: string): Reply => ({ status: 400, json: { Error: { message } } });
    const body = asObject(jsonBody(request), 'request body');
    const forwardTo = optionalField(body, 'forward_to');
    const target = forwardTo !== null && typeof forwardTo === 'object' && !Array.isArray(forwardTo) ? optionalField(forwardTo, 'PocketIcInstance') : undefined;
    if (typeof target !== 'number' || !Number.isSafeInteger(target) || target < 0) {
        return failure('only forward_to: {"PocketIcInstance": <instance id>} is supported by this emulator');
    }
    if (optionalField(body, 'https_config') != null) return failure('HTTPS gateways are not supported by this emulator');
    const ip = optionalField(body, 'ip_addr');
    const port = optionalField(body, 'port');
    if (ip != null && typeof ip !== 'string') throw new MalformedRequestError('field `ip_addr` must be a string');
    if (port != null && (typeof port !== 'number' || !Number.isSafeInteger(port) || port < 0 || port > 65_535)) {
        throw new MalformedRequestError('field `port` must be a port number');
    }
    // Fails with 404 now, rather than on the first forwarded request, if the instance is unknown.
    await registry.run(target, () => null);
    if (gateways === undefined) return failure('HTTP gateways are not available on this server');
    const started = await gateways.start({ instanceId: target, run: (operation) => registry.run(target, operation) }, ip ?? '127.0.0.1', port ?? 0);
    return { status: 201, json: { Created: { instance_id: started.instanceId, port: started.port } } };
}

/**
 * A query through the REST API. PocketIC runs it with the certificate of the canister's
 * certified data, as a replica answering a query over HTTP does, so
 * `ic0.data_certificate_present` is 1 there too.
 */
function restQuery(api: InstanceApi, call: CanisterCall): CallResult {
    const host = asHttpInterfaceHost(api);
    if (host === null || call.canisterId.length === 0) return api.query(call);
    return host.query(call, () => dataCertificate(host, call.canisterId));
}

function topology(api: InstanceApi): JsonValue {
    return encodeTopology(api.topology);
}

function routes(context: ServerContext): Route[] {
    const { blobs } = context;
    return [
        { method: 'GET', pattern: /^\/status$/, handler: () => empty },
        { method: 'POST', pattern: /^\/instances$/, handler: createInstance },
        { method: 'GET', pattern: /^\/instances$/, handler: (_r, _p, { registry }) => ok(registry.list()) },
        {
            method: 'DELETE',
            pattern: /^\/instances\/(\d+)$/,
            handler: async (_r, [id], { registry }) => {
                await registry.delete(Number(id));
                return empty;
            }
        },
        { method: 'POST', pattern: /^\/blobstore$/, handler: uploadBlob },
        { method: 'POST', pattern: /^\/http_gateway$/, handler: startGateway },
        {
            method: 'POST',
            pattern: /^\/http_gateway\/(\d+)\/stop$/,
            handler: async (_r, [id], { gateways }) => {
                await gateways?.stop(Number(id));
                return empty;
            }
        },
        // The IC HTTP interface of an instance, as PocketIC serves it next to its REST API.
        { method: 'GET', pattern: /^\/instances\/(\d+)\/api\/(.+)$/, handler: icApi },
        { method: 'POST', pattern: /^\/instances\/(\d+)\/api\/(.+)$/, handler: icApi },

        instanceRoute('GET', '/_/topology', topology),
        instanceRoute('GET', '/read/topology', topology),
        instanceRoute('GET', '/read/get_time', (api) => ({ nanos_since_epoch: api.getTime() })),
        instanceRoute('POST', '/update/set_time', (api, body) => {
            api.setTime(u64Field(asObject(body, 'request body'), 'nanos_since_epoch'));
            return null;
        }),
        instanceRoute('POST', '/update/set_certified_time', (api, body) => {
            api.setCertifiedTime(u64Field(asObject(body, 'request body'), 'nanos_since_epoch'));
            return null;
        }),
        // The optional `blockmakers` field only affects node metrics, which are not emulated.
        instanceRoute('POST', '/update/tick', (api) => {
            api.tick();
            return null;
        }),
        instanceRoute('POST', '/read/get_cycles', (api, body) => ({ cycles: api.getCycles(canisterIdOf(body)) })),
        instanceRoute('POST', '/update/add_cycles', (api, body) => {
            const request = asObject(body, 'request body');
            return { cycles: api.addCycles(principalField(request, 'canister_id'), u128Field(request, 'amount')) };
        }),
        instanceRoute('POST', '/update/set_stable_memory', (api, body) => {
            const request = asObject(body, 'request body');
            const blobId = blobField(request, 'blob_id');
            if (blobId.length !== 32) throw new MalformedRequestError('field `blob_id` must be the 32 bytes of a sha256');
            api.setStableMemory(principalField(request, 'canister_id'), blobs.content(Buffer.from(blobId).toString('hex')));
            return null;
        }),
        instanceRoute('POST', '/read/get_stable_memory', (api, body) => ({ blob: encodeBase64(api.getStableMemory(canisterIdOf(body))) })),
        instanceRoute('POST', '/read/get_controllers', (api, body) =>
            api.getControllers(canisterIdOf(body)).map((controller) => ({ principal_id: encodeBase64(controller) }))
        ),
        instanceRoute('POST', '/read/get_subnet', (api, body) => {
            const subnet = api.getSubnet(canisterIdOf(body));
            return subnet === null ? null : { subnet_id: encodeBase64(subnet) };
        }),
        instanceRoute('POST', '/read/pub_key', (api, body) => Array.from(api.subnetPublicKey(principalField(asObject(body, 'request body'), 'subnet_id')))),
        instanceRoute('POST', '/update/submit_ingress_message', (api, body) => encodeSubmitResult(api.submitIngress(decodeCanisterCall(body)))),
        instanceRoute('POST', '/update/await_ingress_message', (api, body) => encodeCallResult(api.awaitIngress(decodeSubmittedMessage(body)))),
        instanceRoute('POST', '/read/ingress_status', (api, body) => {
            const request = asObject(body, 'request body');
            const message = decodeSubmittedMessage(optionalField(request, 'raw_message_id') ?? null);
            const caller = optionalField(request, 'raw_caller');
            const callerBytes = caller === undefined ? null : decodePrincipal(stringField(request, 'raw_caller'), 'field `raw_caller`');
            const status = api.ingressStatus(message.messageId, callerBytes);
            return status === null ? null : encodeCallResult(status);
        }),
        instanceRoute('POST', '/read/query', (api, body) => encodeCallResult(restQuery(api, decodeCanisterCall(body)))),
        // HTTP outcalls are not emulated: nothing is ever pending, so nothing can be mocked.
        instanceRoute('GET', '/read/get_canister_http', () => []),
        instanceRoute('POST', '/read/get_canister_http', () => []),
        instanceRoute('POST', '/update/mock_canister_http', () => {
            throw new OperationError('HTTP outcalls are not supported by this emulator: there is no pending outcall to mock');
        }),
        instanceRoute('POST', '/auto_progress', (api, body) => {
            if (api.isAutoProgress()) throw new OperationError('Auto progress mode has already been enabled.');
            const delay = body === null ? undefined : optionalField(asObject(body, 'request body'), 'artificial_delay_ms');
            if (delay !== undefined && (typeof delay !== 'number' || !Number.isSafeInteger(delay) || delay < 0)) {
                throw new MalformedRequestError('field `artificial_delay_ms` must be an unsigned integer');
            }
            api.startAutoProgress(delay ?? 0);
            return null;
        }),
        instanceRoute('GET', '/auto_progress', (api) => api.isAutoProgress()),
        instanceRoute('POST', '/stop_progress', (api) => {
            api.stopAutoProgress();
            return null;
        })
    ];
}

/** Matches requests to handlers; see {@link Router.dispatch}. */
export class Router {
    private readonly table: Route[];

    private readonly context: ServerContext;

    constructor(context: ServerContext) {
        this.context = { ...context, gateways: context.gateways ?? new GatewayRegistry(context.activity ?? null) };
        this.table = routes(this.context);
    }

    /**
     * Runs the handler for a request. Throws `OperationError` (404 for an unknown path, 405 for
     * a known path with another method) or whatever the handler throws.
     */
    async dispatch(request: ServerRequest): Promise<Reply> {
        let pathKnown = false;
        for (const route of this.table) {
            const match = route.pattern.exec(request.path);
            if (match === null) continue;
            if (route.method !== request.method) {
                pathKnown = true;
                continue;
            }
            return await route.handler(request, match.slice(1), this.context);
        }
        if (pathKnown) throw new OperationError(`method ${request.method} not allowed on ${request.path}`, 405);
        throw new OperationError(`no endpoint ${request.method} ${request.path}`, 404);
    }
}
