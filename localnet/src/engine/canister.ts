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
};

export type CanisterSettings = {
    computeAllocation: bigint;
    memoryAllocation: bigint;
    freezingThreshold: bigint;
    reservedCyclesLimit: bigint;
    logVisibility: { controllers: null } | { public: null } | { allowed_viewers: Uint8Array[] };
    wasmMemoryLimit: bigint;
    wasmMemoryThreshold: bigint;
    environmentVariables: Array<{ name: string; value: string }>;
};

export const DEFAULT_SETTINGS: CanisterSettings = {
    computeAllocation: 0n,
    memoryAllocation: 0n,
    freezingThreshold: 2_592_000n,
    reservedCyclesLimit: 5_000_000_000_000n,
    logVisibility: { controllers: null },
    wasmMemoryLimit: 3n * 1024n * 1024n * 1024n,
    wasmMemoryThreshold: 0n,
    environmentVariables: []
};

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
    /** Every instruction the canister's executions used (queries and trapped ones included). */
    instructionsExecuted = 0n;
    /** Answers owed to `stop_canister` callers once every call context is closed. */
    pendingStops: Array<{ origin: Origin; reply: (result: CallResult) => void }> = [];

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

    memorySize(): bigint {
        return BigInt((this.runtime?.heapBytes ?? 0) + this.stable.sizeBytes);
    }
}

export function canisterKey(id: Uint8Array): string {
    return Buffer.from(id).toString('hex');
}
