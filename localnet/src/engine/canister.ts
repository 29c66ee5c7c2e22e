/**
 * The system's record of one canister: status, controllers, cycles, module, stable memory,
 * open call contexts and callbacks.
 */
import type { CallResult } from '../api';
import { principalText } from './errors';
import type { TableCallback } from './execution';
import { StableMemory } from './stable-memory';
import type { WasmRuntime } from './wasm-runtime';

export type CanisterRunStatus = 'running' | 'stopping' | 'stopped';

/** Who waits for the answer of a call context. */
export type Origin =
    | { kind: 'ingress'; messageId: string }
    | { kind: 'canister'; caller: string; callbackId: number }
    /** Heartbeats, timers and the system's own requests: nobody waits for an answer. */
    | { kind: 'system' };

export type CallContext = {
    id: number;
    origin: Origin;
    caller: Uint8Array;
    answered: boolean;
    outstanding: number;
    cyclesAvailable: bigint;
    instructions: bigint;
};

export type Callback = {
    id: number;
    contextId: number;
    reply: TableCallback;
    reject: TableCallback;
    cleanup: TableCallback | null;
    /** The module generation that registered it; a callback never runs in other code. */
    generation: number;
    cyclesSent: bigint;
    /** `canisterKey` of the callee: its queue slot is freed when the response arrives. */
    callee: string;
    /** The call's deadline (ns, 0 for a guaranteed response): what `msg_deadline` returns in its callbacks. */
    deadline: bigint;
    /** Paid by `call_perform` for the callback's execution and the response's transmission. */
    prepaidExecution: bigint;
    prepaidResponseTransmission: bigint;
};

/** Who may see a canister's logs, snapshots or status (`log_visibility` and its siblings). */
export type Visibility = { controllers: null } | { public: null } | { allowed_viewers: Uint8Array[] };

export type CanisterSettings = {
    computeAllocation: bigint;
    memoryAllocation: bigint;
    freezingThreshold: bigint;
    reservedCyclesLimit: bigint;
    logVisibility: Visibility;
    logMemoryLimit: bigint;
    snapshotVisibility: Visibility;
    statusVisibility: Visibility;
    wasmMemoryLimit: bigint;
    wasmMemoryThreshold: bigint;
    minimumIncomingCanisterCallCycles: bigint;
    environmentVariables: Array<{ name: string; value: string }>;
};

export const DEFAULT_SETTINGS: CanisterSettings = {
    computeAllocation: 0n,
    memoryAllocation: 0n,
    freezingThreshold: 2_592_000n,
    reservedCyclesLimit: 5_000_000_000_000n,
    logVisibility: { controllers: null },
    // The replica's default canister log buffer (4 KiB).
    logMemoryLimit: 4_096n,
    snapshotVisibility: { controllers: null },
    statusVisibility: { controllers: null },
    wasmMemoryLimit: 3n * 1024n * 1024n * 1024n,
    wasmMemoryThreshold: 0n,
    minimumIncomingCanisterCallCycles: 0n,
    environmentVariables: []
};

/** Who made a change to a canister (`change_origin`). */
export type ChangeOrigin = { kind: 'user'; user: Uint8Array } | { kind: 'canister'; canister: Uint8Array; canisterVersion: bigint | null };

/** What changed (`change_details`). */
export type ChangeDetails =
    | { kind: 'creation'; controllers: Uint8Array[] }
    | { kind: 'code_uninstall' }
    | { kind: 'code_deployment'; mode: 'install' | 'reinstall' | 'upgrade'; moduleHash: Uint8Array }
    | { kind: 'controllers_change'; controllers: Uint8Array[] };

export type CanisterChange = { timestampNanos: bigint; canisterVersion: bigint; origin: ChangeOrigin; details: ChangeDetails };

/** The replica keeps this many recent changes (`MAX_CANISTER_HISTORY_CHANGES`). */
export const MAX_HISTORY_CHANGES = 20;
/** Bytes the chunk store counts per stored chunk: a chunk occupies up to 1 MiB. */
const CHUNK_STORE_BYTES_PER_CHUNK = 1024n * 1024n;
/** Bytes a recorded change counts before its principals and hashes (the record itself). */
const HISTORY_BYTES_PER_CHANGE = 64n;
const PRINCIPAL_BYTES = 29n;
const HASH_BYTES = 32n;
/** Each exported global counts 8 bytes of global memory. */
const BYTES_PER_GLOBAL = 8n;

/** The parts of `memory_size`, as `canister_status`'s `memory_metrics` itemises them. */
export type MemoryMetrics = {
    wasmMemorySize: bigint;
    stableMemorySize: bigint;
    globalMemorySize: bigint;
    wasmBinarySize: bigint;
    customSectionsSize: bigint;
    canisterHistorySize: bigint;
    wasmChunkStoreSize: bigint;
    snapshotsSize: bigint;
    logMemoryStoreSize: bigint;
};

function changeBytes(change: CanisterChange): bigint {
    const details = change.details;
    switch (details.kind) {
        case 'creation':
        case 'controllers_change':
            return HISTORY_BYTES_PER_CHANGE + PRINCIPAL_BYTES * BigInt(details.controllers.length);
        case 'code_deployment':
            return HISTORY_BYTES_PER_CHANGE + HASH_BYTES;
        case 'code_uninstall':
            return HISTORY_BYTES_PER_CHANGE;
    }
}

export class Canister {
    readonly idText: string;
    readonly key: string;
    status: CanisterRunStatus = 'running';
    version = 0n;
    runtime: WasmRuntime | null = null;
    generation = 0;
    readonly stable = new StableMemory();
    timer = 0n;
    certifiedData: Uint8Array = new Uint8Array(0);
    settings: CanisterSettings = { ...DEFAULT_SETTINGS };
    readonly chunkStore = new Map<string, Uint8Array>();
    readonly callContexts = new Map<number, CallContext>();
    readonly callbacks = new Map<number, Callback>();
    /** Calls awaiting a response, by callee key: the replica's queue to one callee has a capacity. */
    private readonly outstanding = new Map<string, number>();
    /** Every instruction the canister's executions used (queries and trapped ones included). */
    instructionsExecuted = 0n;
    /** Answers owed to `stop_canister` callers once every call context is closed. */
    pendingStops: Array<{ origin: Origin; reply: (result: CallResult) => void; requestedAt: bigint }> = [];
    /** The most recent changes (at most MAX_HISTORY_CHANGES) and how many there were in all. */
    history: CanisterChange[] = [];
    totalChanges = 0n;
    /** Round time storage and compute allocation were last charged up to (ns). */
    lastResourceCharge = 0n;

    constructor(
        readonly id: Uint8Array,
        readonly subnetIndex: number,
        public controllers: Uint8Array[],
        public cycles: bigint
    ) {
        this.idText = principalText(id);
        this.key = canisterKey(id);
    }

    isController(principal: Uint8Array): boolean {
        return this.controllers.some((c) => Buffer.from(c).equals(principal));
    }

    /** Open call contexts: answered or not, they still await responses to calls they made. */
    get openCallContexts(): number {
        return this.callContexts.size;
    }

    outstandingCallsTo(callee: string): number {
        return this.outstanding.get(callee) ?? 0;
    }

    callMade(callee: string): void {
        this.outstanding.set(callee, this.outstandingCallsTo(callee) + 1);
    }

    callReturned(callee: string): void {
        const left = this.outstandingCallsTo(callee) - 1;
        if (left > 0) this.outstanding.set(callee, left);
        else this.outstanding.delete(callee);
    }

    /** Every callback was dropped (uninstall): no call awaits a response any more. */
    forgetCalls(): void {
        this.outstanding.clear();
    }

    recordChange(change: CanisterChange): void {
        this.history.push(change);
        if (this.history.length > MAX_HISTORY_CHANGES) this.history.splice(0, this.history.length - MAX_HISTORY_CHANGES);
        this.totalChanges += 1n;
    }

    memoryMetrics(): MemoryMetrics {
        const runtime = this.runtime;
        let customSections = 0n;
        for (const [name, section] of runtime?.module.metadata ?? []) {
            customSections += BigInt(new TextEncoder().encode(name).length + section.content.length);
        }
        return {
            wasmMemorySize: BigInt(runtime?.heapBytes ?? 0),
            stableMemorySize: BigInt(this.stable.sizeBytes),
            globalMemorySize: BigInt(runtime?.module.globalExports.length ?? 0) * BYTES_PER_GLOBAL,
            wasmBinarySize: BigInt(runtime?.module.binarySize ?? 0),
            customSectionsSize: customSections,
            canisterHistorySize: this.history.reduce((sum, change) => sum + changeBytes(change), 0n),
            wasmChunkStoreSize: BigInt(this.chunkStore.size) * CHUNK_STORE_BYTES_PER_CHUNK,
            snapshotsSize: 0n,
            logMemoryStoreSize: 0n
        };
    }

    /** `memory_size`: what the canister is charged storage for. */
    memorySize(): bigint {
        return Object.values(this.memoryMetrics()).reduce((sum, part) => sum + part, 0n);
    }
}

export function canisterKey(id: Uint8Array): string {
    return Buffer.from(id).toString('hex');
}
