/**
 * The IC HTTP interface (`/api/v2/...`, `/api/v3/...`) of one instance: status, call (async
 * v2, sync v3), query and read_state. Served by the PocketIC server under
 * `/instances/<id>/api/...` and by HTTP gateways under `/api/...`.
 */
import { Principal } from '@dfinity/principal';

import { OperationError, type CanisterCall, type InstanceApi, type SubmittedMessage } from '../api';
import { encodeCbor, type CborInput } from './cbor';
import { addCanister, addCanisterMetadata, addCanisterRangeShards, addRequestStatus, addSubnet, certify, dataCertificate, icErrorCode, rootSubnet, signQueryResponse, type StateTree } from './certificate';
import { checkEnvelope, MAX_INGRESS_BYTES_PER_MESSAGE, principalText, type CheckedRequest, type HttpRefusal } from './envelope';
import { asHttpInterfaceHost, type HttpInterfaceHost } from './host';
import { hashOfMap } from './request-id';

/** What the interface answers: CBOR, plain text (errors), or nothing (202). */
export type IcResponse = { status: number; cbor: Uint8Array } | { status: number; text: string } | { status: 202; empty: true };

/** Runs an operation on the instance, serialised with every other operation on it. */
export type InstanceRunner = <T>(operation: (api: InstanceApi) => T) => Promise<T>;

/** Rounds a sync call runs itself (not in live mode) before answering 202, as `await_ingress_message` does. */
const SYNC_CALL_MAX_ROUNDS = 100;
/** How long a sync call waits in live mode before answering 202 (the agent then polls). */
const SYNC_CALL_LIVE_TIMEOUT_MS = 10_000;
const LIVE_POLL_MS = 5;

const text = (status: number, message: string): IcResponse => ({ status, text: message });
const cbor = (value: CborInput): IcResponse => ({ status: 200, cbor: encodeCbor(value) });
const fromRefusal = (refusal: HttpRefusal): IcResponse => text(refusal.status, refusal.message);

function hostOf(api: InstanceApi): HttpInterfaceHost {
    const host = asHttpInterfaceHost(api);
    if (host === null) throw new OperationError('this instance does not support the IC HTTP interface', 501);
    return host;
}

function parsePrincipal(textId: string, what: string): Uint8Array | IcResponse {
    try {
        return Principal.fromText(decodeURIComponent(textId)).toUint8Array();
    } catch {
        return text(400, `invalid ${what} in the URL: ${textId}`);
    }
}

/**
 * Answers one request. `path` is what follows `/api/` (e.g. `v2/status`).
 * Instance-level failures (unknown instance) propagate as `OperationError`.
 */
export async function serveIcApi(method: string, path: string, body: Uint8Array, run: InstanceRunner): Promise<IcResponse> {
    try {
        return await route(method, path, body, run);
    } catch (error) {
        // Unknown instances and refused operations keep their status (the REST server maps them);
        // anything else is this server's fault, answered as the replica answers its own (500).
        if (error instanceof OperationError) throw error;
        return text(500, `Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    }
}

async function route(method: string, path: string, body: Uint8Array, run: InstanceRunner): Promise<IcResponse> {
    if (path === 'v2/status') {
        if (method !== 'GET') return text(405, 'use GET for /api/v2/status');
        return await run((api) => {
            const host = hostOf(api);
            return cbor({ replica_health_status: 'healthy', root_key: host.subnetPublicKey(rootSubnet(host).subnetId), impl_version: 'deflow-localnet' });
        });
    }
    const match = /^(v2|v3|v4)\/(canister|subnet)\/([^/]+)\/(call|query|read_state)$/.exec(path);
    // v4 exists only for call (newer Rust agents, e.g. the icp CLI, use it without falling back).
    if (match === null || (match[1] === 'v4' && match[4] !== 'call')) return text(404, `no IC HTTP interface endpoint /api/${path}`);
    if (method !== 'POST') return text(405, `use POST for /api/${path}`);
    const [, version, scope, idText, endpoint] = match as unknown as [string, 'v2' | 'v3' | 'v4', 'canister' | 'subnet', string, 'call' | 'query' | 'read_state'];
    const id = parsePrincipal(idText!, scope === 'canister' ? 'effective canister id' : 'subnet id');
    if (!(id instanceof Uint8Array)) return id;
    if (scope === 'subnet') {
        if (endpoint !== 'read_state') return text(404, `no IC HTTP interface endpoint /api/${path}`);
        return await run((api) => readState(hostOf(api), { kind: 'subnet', id }, body));
    }
    switch (endpoint) {
        case 'query':
            return await run((api) => query(hostOf(api), id, body));
        case 'read_state':
            return await run((api) => readState(hostOf(api), { kind: 'canister', id }, body));
        case 'call':
            // v4 answers as v3 does; its delegations also carry `/canister_ranges` (see certificate.ts).
            return await call(version === 'v2' ? 'v2' : 'v3', id, body, run);
    }
}

/**
 * As the replica does for an effective canister id outside every subnet's range: HTTP 400
 * naming the error code, so clients tell "no such canister" from a network failure.
 */
function unroutable(host: HttpInterfaceHost, ecid: Uint8Array): IcResponse | null {
    if (ecid.length === 0 || host.subnetOfRange(ecid) !== null) return null;
    return unroutableText(ecid);
}

function unroutableText(ecid: Uint8Array): IcResponse {
    return text(400, `error: canister_not_found\ndetails: IC0301: Canister ${principalText(ecid)} not found: no subnet hosts this canister id.`);
}

function checkTarget(request: CheckedRequest, ecid: Uint8Array): IcResponse | null {
    if (request.canisterId.length > 0 && !Buffer.from(request.canisterId).equals(ecid)) {
        return text(400, `Specified CanisterId ${principalText(request.canisterId)} does not match effective canister id in URL ${principalText(ecid)}`);
    }
    return null;
}

function canisterCall(request: CheckedRequest, ecid: Uint8Array): CanisterCall {
    return {
        sender: request.sender,
        canisterId: request.canisterId,
        method: request.methodName,
        payload: request.arg,
        // Management calls route by the effective canister id, as the replica does.
        effectivePrincipal: request.canisterId.length === 0 ? { kind: 'canister', id: ecid } : { kind: 'none' }
    };
}

type Submitted = { response: IcResponse } | { message: SubmittedMessage; requestId: Uint8Array; sender: Uint8Array };

function submit(host: HttpInterfaceHost, version: 'v2' | 'v3', ecid: Uint8Array, body: Uint8Array): Submitted {
    const checked = checkEnvelope(body, 'call', host.getTime(), (r) => (r.canisterId.length > 0 ? r.canisterId : ecid), MAX_INGRESS_BYTES_PER_MESSAGE);
    if ('refused' in checked) return { response: fromRefusal(checked.refused) };
    const request = checked.ok;
    const mismatch = checkTarget(request, ecid) ?? unroutable(host, ecid);
    if (mismatch !== null) return { response: mismatch };
    let result: ReturnType<HttpInterfaceHost['submitIngress']>;
    try {
        result = host.submitIngress(canisterCall(request, ecid), request.requestId);
    } catch (error) {
        // Routing failures (no such subnet or canister for a management call) are the caller's error.
        if (error instanceof OperationError) return { response: text(400, error.message) };
        throw error;
    }
    if ('err' in result) {
        const reject = { reject_code: result.err.rejectCode, reject_message: result.err.rejectMessage, error_code: icErrorCode(result.err.errorCode) };
        return { response: cbor(version === 'v3' ? { status: 'non_replicated_rejection', ...reject } : reject) };
    }
    return { message: result.ok, requestId: request.requestId, sender: request.sender };
}

async function call(version: 'v2' | 'v3', ecid: Uint8Array, body: Uint8Array, run: InstanceRunner): Promise<IcResponse> {
    const submitted = await run((api) => submit(hostOf(api), version, ecid, body));
    if ('response' in submitted) return submitted.response;
    if (version === 'v2') return { status: 202, empty: true };
    const { message, requestId } = submitted;
    const done = (host: HttpInterfaceHost): boolean => host.ingressRecord(message.messageId)?.status === 'done';
    const certificate = (host: HttpInterfaceHost): IcResponse => {
        const tree: StateTree = new Map();
        const record = host.ingressRecord(message.messageId);
        if (record !== undefined) addRequestStatus(tree, requestId, record);
        return cbor({ status: 'replied', certificate: certify(host, message.subnetId, tree) });
    };
    // Not live: nobody else runs rounds, so run them here (as await_ingress_message does).
    const ticked = await run((api): IcResponse | 'live' | null => {
        const host = hostOf(api);
        if (host.isAutoProgress()) return 'live';
        for (let round = 0; round < SYNC_CALL_MAX_ROUNDS && !done(host); round++) host.tick();
        return done(host) ? certificate(host) : null;
    });
    if (ticked === null) return { status: 202, empty: true };
    if (ticked !== 'live') return ticked;
    // Live: the instance's own rounds execute the message; wait for them without holding the queue.
    const deadline = Date.now() + SYNC_CALL_LIVE_TIMEOUT_MS;
    while (Date.now() < deadline) {
        const answer = await run((api) => {
            const host = hostOf(api);
            return done(host) ? certificate(host) : null;
        });
        if (answer !== null) return answer;
        await new Promise((resolve) => setTimeout(resolve, LIVE_POLL_MS));
    }
    return { status: 202, empty: true };
}

function query(host: HttpInterfaceHost, ecid: Uint8Array, body: Uint8Array): IcResponse {
    const checked = checkEnvelope(body, 'query', host.getTime(), (r) => (r.canisterId.length > 0 ? r.canisterId : ecid));
    if ('refused' in checked) return fromRefusal(checked.refused);
    const request = checked.ok;
    const mismatch = checkTarget(request, ecid) ?? unroutable(host, ecid);
    if (mismatch !== null) return mismatch;
    const certificate = request.canisterId.length > 0 ? (): Uint8Array | null => dataCertificate(host, request.canisterId) : null;
    const result = host.query(canisterCall(request, ecid), certificate);
    const timestamp = host.getTime();
    const subnetId = host.subnetOfRange(ecid) ?? rootSubnet(host).subnetId;
    const subnet = host.topology.subnets.find((s) => Buffer.from(s.subnetId).equals(subnetId)) ?? rootSubnet(host);
    // The node signs the response so agents can check it against the certified node keys.
    const signed =
        result.kind === 'reply'
            ? { status: 'replied', reply: { arg: result.payload } }
            : {
                  status: 'rejected',
                  reject_code: BigInt(result.reject.rejectCode),
                  reject_message: result.reject.rejectMessage,
                  error_code: icErrorCode(result.reject.errorCode)
              };
    const { nodeId, signature } = signQueryResponse(subnet, hashOfMap({ ...signed, timestamp, request_id: request.requestId }));
    return cbor({ ...signed, signatures: [{ timestamp, signature, identity: nodeId }] });
}

type ReadStateScope = { kind: 'canister' | 'subnet'; id: Uint8Array };

const utf8 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

function readState(host: HttpInterfaceHost, scope: ReadStateScope, body: Uint8Array): IcResponse {
    const checked = checkEnvelope(body, 'read_state', host.getTime(), () => (scope.kind === 'canister' ? scope.id : null));
    if ('refused' in checked) return fromRefusal(checked.refused);
    const request = checked.ok;
    let signer: Uint8Array;
    if (scope.kind === 'subnet') {
        const subnet = host.topology.subnets.find((s) => Buffer.from(s.subnetId).equals(scope.id));
        if (subnet === undefined) return text(404, `subnet ${principalText(scope.id)} not found`);
        signer = subnet.subnetId;
    } else {
        const routed = host.subnetOfRange(scope.id);
        // An effective canister id outside every range may still read `/time` (agents sync
        // their clock through a well-known id such as the ledger's); anything else is refused
        // as the replica refuses it, so clients see "no such canister". The management
        // canister (`aaaaa-aa`, empty bytes) exists on every subnet: the root subnet answers
        // for it, and its paths certify absence (it has no module, controllers or metadata).
        const onlyTime = request.paths.every((path) => path.length === 1 && utf8(path[0]!) === 'time');
        if (routed === null && !onlyTime && scope.id.length > 0) return unroutableText(scope.id);
        signer = routed ?? rootSubnet(host).subnetId;
    }
    const tree: StateTree = new Map();
    for (const path of request.paths) {
        const refusal = addPath(host, tree, scope, request, path);
        if (refusal !== null) return refusal;
    }
    return cbor({ certificate: certify(host, signer, tree) });
}

/** Adds one requested path to the tree; a response for a path that may not be read. */
function addPath(host: HttpInterfaceHost, tree: StateTree, scope: ReadStateScope, request: CheckedRequest, path: Uint8Array[]): IcResponse | null {
    const [first, second, third] = path;
    const head = first === undefined ? '' : utf8(first);
    switch (head) {
        case 'time':
            return null;
        case 'subnet':
            for (const subnet of host.topology.subnets) {
                if (second === undefined || Buffer.from(subnet.subnetId).equals(second)) addSubnet(tree, host, subnet);
            }
            return null;
        case 'canister_ranges':
            // The sharded form of a subnet's ranges (`/canister_ranges/<subnet_id>/<shard>`), which
            // ic-agent's `fetch_subnet_by_id` reads (dfinity/agent-rs `ic-agent/src/agent/mod.rs`).
            if (scope.kind !== 'subnet') return text(400, 'canister_ranges paths are read through a subnet\'s read_state');
            for (const subnet of host.topology.subnets) {
                if (second === undefined || Buffer.from(subnet.subnetId).equals(second)) addCanisterRangeShards(tree, subnet);
            }
            return null;
        case 'request_status': {
            if (second === undefined) return text(400, 'a request_status path needs a request id');
            const record = host.ingressRecord(second);
            if (record === undefined) return null;
            if (!Buffer.from(record.caller).equals(request.sender)) {
                return text(403, `request ${Buffer.from(second).toString('hex')} was not sent by ${principalText(request.sender)}`);
            }
            addRequestStatus(tree, second, record);
            return null;
        }
        case 'canister': {
            if (scope.kind !== 'canister' || second === undefined || !Buffer.from(second).equals(scope.id)) {
                return text(400, 'canister paths may only name the effective canister id of the request');
            }
            const part = third === undefined ? '' : utf8(third);
            if (part === 'module_hash' || part === 'controllers' || part === 'certified_data') addCanister(tree, host, second, [part]);
            else if (part === 'metadata') return addMetadata(host, tree, second, path[3], request.sender);
            else return text(400, `unknown canister path component ${JSON.stringify(part)}`);
            return null;
        }
        default:
            return text(400, `invalid read_state path starting with ${JSON.stringify(head)}`);
    }
}

/**
 * `/canister/<id>/metadata/<name>`: the module's custom section `icp:public <name>` for anyone,
 * `icp:private <name>` for controllers only (403 otherwise, worded as the replica's
 * `can_read_canister_metadata` in dfinity/ic `rs/http_endpoints/public/src/read_state/canister.rs`);
 * absent for an unknown canister, an empty one, or a name the module does not have.
 */
function addMetadata(host: HttpInterfaceHost, tree: StateTree, canisterId: Uint8Array, nameLabel: Uint8Array | undefined, sender: Uint8Array): IcResponse | null {
    if (nameLabel === undefined) return text(404, 'Invalid path requested.');
    let name: string;
    try {
        name = new TextDecoder('utf-8', { fatal: true }).decode(nameLabel);
    } catch (error) {
        return text(400, `Could not parse the custom section name: ${error instanceof Error ? error.message : String(error)}.`);
    }
    const state = host.canisterState(canisterId);
    const section = state?.metadata.get(name);
    if (state !== null && section?.visibility === 'private' && !state.controllers.some((c) => Buffer.from(c).equals(sender))) {
        return text(403, `Custom section ${name.slice(0, 100)} can only be requested by the controllers of the canister.`);
    }
    addCanisterMetadata(tree, host, canisterId, name);
    return null;
}
