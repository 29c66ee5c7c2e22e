/**
 * The contract between the REST layer (`server/`) and one emulated IC instance (`instance.ts`).
 * All principals and blobs are raw bytes here; the REST layer converts PocketIC's JSON
 * (base64 blobs and principals, bare-number u64/u128) to and from these types.
 */

/** The IC's reject codes (interface specification, "Reject codes"). */
export const RejectCode = {
    SysFatal: 1,
    SysTransient: 2,
    DestinationInvalid: 3,
    CanisterReject: 4,
    CanisterError: 5,
    SysUnknown: 6
} as const;
export type RejectCodeName = keyof typeof RejectCode;
export type RejectCodeNumber = (typeof RejectCode)[RejectCodeName];

export function rejectCodeName(code: number): RejectCodeName {
    const entry = Object.entries(RejectCode).find(([, value]) => value === code);
    if (entry === undefined) throw new Error(`unknown reject code ${code}`);
    return entry[0] as RejectCodeName;
}

/** A reject as PocketIC reports it: code, message and the replica's error code name. */
export type Reject = {
    rejectCode: RejectCodeNumber;
    rejectMessage: string;
    /** PocketIC's ErrorCode enum name, e.g. `CanisterCalledTrap` (IC0503). */
    errorCode: string;
    certified: boolean;
};

export type CallResult = { kind: 'reply'; payload: Uint8Array } | { kind: 'reject'; reject: Reject };

export type EffectivePrincipal =
    | { kind: 'none' }
    | { kind: 'canister'; id: Uint8Array }
    | { kind: 'subnet'; id: Uint8Array };

/** An ingress message or a query as the client sends it. */
export type CanisterCall = {
    sender: Uint8Array;
    canisterId: Uint8Array;
    method: string;
    payload: Uint8Array;
    effectivePrincipal: EffectivePrincipal;
};

/** Returned by a successful submit; echoed back by `await_ingress_message`. */
export type SubmittedMessage = { subnetId: Uint8Array; messageId: Uint8Array };

/**
 * A failure of the operation itself (bad argument, unknown canister for a PocketIC-level
 * operation, time moving backwards). The REST layer answers 400 `{"message": ...}`.
 */
export class OperationError extends Error {
    constructor(message: string, readonly httpStatus: number = 400) {
        super(message);
        this.name = 'OperationError';
    }
}

export type SubnetKind = 'Application' | 'System' | 'NNS' | 'SNS' | 'II' | 'Fiduciary' | 'Bitcoin' | 'VerifiedApplication';

export type SubnetTopology = {
    subnetId: Uint8Array;
    kind: SubnetKind;
    seed: Uint8Array;
    instructionConfig: 'Production' | 'Benchmarking';
    ranges: Array<{ start: Uint8Array; end: Uint8Array }>;
    nodeIds: Uint8Array[];
};

export type Topology = {
    subnets: SubnetTopology[];
    defaultEffectiveCanisterId: Uint8Array;
};

/** One emulated IC instance, driven by the PocketIC REST operations. */
export interface InstanceApi {
    readonly topology: Topology;
    getTime(): bigint;
    /** Throws `OperationError` if `nanos` is before the current time. */
    setTime(nanos: bigint): void;
    setCertifiedTime(nanos: bigint): void;
    /** Executes one round on every subnet. */
    tick(): void;
    getCycles(canisterId: Uint8Array): bigint;
    addCycles(canisterId: Uint8Array, amount: bigint): bigint;
    setStableMemory(canisterId: Uint8Array, bytes: Uint8Array): void;
    getStableMemory(canisterId: Uint8Array): Uint8Array;
    getControllers(canisterId: Uint8Array): Uint8Array[];
    getSubnet(canisterId: Uint8Array): Uint8Array | null;
    /** DER-encoded public key of the subnet; throws `OperationError` for an unknown subnet. */
    subnetPublicKey(subnetId: Uint8Array): Uint8Array;
    submitIngress(call: CanisterCall): { ok: SubmittedMessage } | { err: Reject };
    /** Runs rounds until the message completes (at most 100); throws `OperationError` after that. */
    awaitIngress(message: SubmittedMessage): CallResult;
    /** `null` while unknown or pending; throws `OperationError` with status 403 on a caller mismatch. */
    ingressStatus(messageId: Uint8Array, caller: Uint8Array | null): CallResult | null;
    query(call: CanisterCall): CallResult;
    /** Live mode: time follows the wall clock and rounds run by themselves. */
    startAutoProgress(artificialDelayMs: number): void;
    stopAutoProgress(): void;
    isAutoProgress(): boolean;
    /** Releases timers and memory; the instance is unusable afterwards. */
    dispose(): void;
}

/** The parsed subnet part of PocketIC's InstanceConfig. */
export type InstanceConfig = {
    /** `costSchedule` Free: the subnet charges no cycles (absent = Normal). */
    subnets: Array<{ kind: SubnetKind; instructionConfig: 'Production' | 'Benchmarking'; costSchedule?: 'Normal' | 'Free' }>;
};
