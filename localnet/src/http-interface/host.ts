/**
 * What the HTTP interface needs from an engine instance beyond the PocketIC REST contract
 * (`InstanceApi`): certified time, subnet signing keys, the certified parts of canister
 * state, ingress records by message id, and queries with a data certificate.
 */
import type { CallResult, CanisterCall, InstanceApi, Reject, SubmittedMessage } from '../api';
import type { DataCertificateSource } from '../engine/execution';

/** The parts of a canister the state tree certifies. */
export type CanisterCertifiedState = {
    /** sha256 of the installed module, or null for an empty canister. */
    moduleHash: Uint8Array | null;
    controllers: Uint8Array[];
    certifiedData: Uint8Array;
    /** The module's `icp:public <name>` / `icp:private <name>` custom sections, by name. */
    metadata: ReadonlyMap<string, { visibility: 'public' | 'private'; content: Uint8Array }>;
};

/** An ingress message as `request_status` reports it. */
export type IngressView = {
    caller: Uint8Array;
    status: 'received' | 'processing' | 'done';
    result: CallResult | null;
};

/** An instance that can serve the IC HTTP interface. */
export interface HttpInterfaceHost extends InstanceApi {
    /** Time of the last executed round (what certificates state as `/time`). */
    certifiedTime(): bigint;
    /** The BLS12-381 secret key of a subnet; throws `OperationError` for an unknown subnet. */
    subnetSecretKey(subnetId: Uint8Array): Uint8Array;
    /** The subnet whose canister range holds `id`, whether or not such a canister exists. */
    subnetOfRange(id: Uint8Array): Uint8Array | null;
    canisterState(id: Uint8Array): CanisterCertifiedState | null;
    ingressRecord(messageId: Uint8Array): IngressView | undefined;
    /** With `messageId`, the message is known by that id (the request id); a duplicate is not queued twice. */
    submitIngress(call: CanisterCall, messageId?: Uint8Array): { ok: SubmittedMessage } | { err: Reject };
    /** With `dataCertificate`, `ic0.data_certificate_*` return it during the query. */
    query(call: CanisterCall, dataCertificate?: DataCertificateSource): CallResult;
}

/** The instance as a host, or null for an engine without HTTP interface support. */
export function asHttpInterfaceHost(api: InstanceApi): HttpInterfaceHost | null {
    const candidate = api as Partial<HttpInterfaceHost>;
    return typeof candidate.certifiedTime === 'function' &&
        typeof candidate.subnetSecretKey === 'function' &&
        typeof candidate.subnetOfRange === 'function' &&
        typeof candidate.canisterState === 'function' &&
        typeof candidate.ingressRecord === 'function'
        ? (api as HttpInterfaceHost)
        : null;
}
