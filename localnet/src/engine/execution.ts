/**
 * One execution of a canister entry point: what the system API may read (argument, caller,
 * time, cycles) and what it records (reply, outgoing calls, timer, certified data). The
 * engine applies the record only if the execution did not trap.
 */
import { APPLICATION_SUBNET_LIMITS } from './instruction-limits';

export type ExecutionKind =
    | 'start'
    | 'init'
    | 'pre_upgrade'
    | 'post_upgrade'
    | 'update'
    | 'replicated_query'
    | 'query'
    | 'composite_query'
    | 'reply'
    | 'reject'
    | 'composite_reply'
    | 'composite_reject'
    | 'cleanup'
    | 'inspect'
    | 'heartbeat'
    | 'timer';

import { FREE_FEES, type FeeSchedule } from './fees';

export type TableCallback = { fun: number; env: number };

export type OutgoingCall = {
    callee: Uint8Array;
    method: string;
    chunks: Uint8Array[];
    size: number;
    cycles: bigint;
    reply: TableCallback;
    reject: TableCallback;
    cleanup: TableCallback | null;
    timeoutSeconds: number | null;
    /** Withdrawn by `call_perform` for executing the response callback at the instruction limit. */
    prepaidExecution: bigint;
    /** Withdrawn by `call_perform` for transmitting the largest allowed response. */
    prepaidResponseTransmission: bigint;
};

/** The argument of an outgoing call, from the chunks `call_data_append` collected. */
export function callPayload(call: OutgoingCall): Uint8Array {
    const payload = new Uint8Array(call.size);
    let offset = 0;
    for (const chunk of call.chunks) {
        payload.set(chunk, offset);
        offset += chunk.length;
    }
    return payload;
}

/**
 * The certificate a non-replicated query may read, or a function making it: signing one costs
 * milliseconds, and most queries never ask.
 */
export type DataCertificateSource = Uint8Array | (() => Uint8Array | null) | null;

export type Answer = { kind: 'reply'; payload: Uint8Array } | { kind: 'reject'; message: string };

export type ExecutionInput = {
    kind: ExecutionKind;
    canisterId: Uint8Array;
    time: bigint;
    arg?: Uint8Array;
    caller?: Uint8Array;
    methodName?: string;
    rejectCode?: number;
    rejectMessage?: string;
    /** Whether the call context this execution belongs to can still be answered. */
    canAnswer?: boolean;
    cyclesAvailable?: bigint;
    cyclesRefunded?: bigint;
    balance: bigint;
    timer: bigint;
    certifiedData: Uint8Array;
    canisterVersion: bigint;
    controllers: Uint8Array[];
    dataCertificate?: DataCertificateSource;
    /** Accumulated instructions of the call context before this execution. */
    callContextInstructions?: bigint;
    /** Calls of this canister to a callee (by `canisterKey`) that still await their response. */
    outstandingCalls?: (callee: string) => number;
    /** `ic0.canister_status`: 1 running, 2 stopping, 3 stopped. */
    status?: 1 | 2 | 3;
    /** The id of the canister's subnet (`ic0.subnet_self_copy`). */
    subnetId?: Uint8Array;
    /** The DER root key (`ic0.root_key_copy`). */
    rootKey?: Uint8Array;
    /** The canister's environment variables, sorted by name (`ic0.env_var_*`). */
    environmentVariables?: ReadonlyArray<{ name: string; value: string }>;
    /** `ic0.msg_deadline`: nanoseconds, 0 for guaranteed-response calls, ingress and queries. */
    deadline?: bigint;
    /** The canister's subnet fees (`cost_call`, call prepayment); free if not given. */
    fees?: FeeSchedule;
    /** The balance withdrawals may not go below (the freezing limit). */
    freezingLimit?: bigint;
    /**
     * The instruction limit of the message this execution belongs to, as reported in IC0522
     * (default: an application subnet's per-message limit).
     */
    instructionLimit?: bigint;
    /** Instructions the same message used in earlier executions (install: pre_upgrade etc.). */
    instructionsBefore?: bigint;
};

/** The budget left for an execution: its message's limit minus what earlier steps used. */
export function instructionBudget(execution: Execution): bigint {
    const left = execution.instructionLimit - execution.instructionsBefore;
    return left > 0n ? left : 0n;
}

/** Largest reply or call payload the IC accepts (2 MiB). */
export const MAX_PAYLOAD = 2 * 1024 * 1024;

export class Execution {
    readonly kind: ExecutionKind;
    readonly canisterId: Uint8Array;
    readonly time: bigint;
    readonly arg: Uint8Array;
    readonly caller: Uint8Array;
    readonly methodName: string;
    readonly rejectCode: number;
    readonly rejectMessage: string;
    readonly canisterVersion: bigint;
    readonly controllers: Uint8Array[];
    private certificateSource: DataCertificateSource;
    readonly callContextInstructionsBefore: bigint;
    readonly outstandingCalls: (callee: string) => number;
    readonly status: 1 | 2 | 3;
    readonly subnetId: Uint8Array;
    readonly rootKey: Uint8Array;
    readonly environmentVariables: ReadonlyArray<{ name: string; value: string }>;
    readonly deadline: bigint;
    readonly fees: FeeSchedule;
    readonly freezingLimit: bigint;
    readonly instructionLimit: bigint;
    readonly instructionsBefore: bigint;

    canAnswer: boolean;
    replyChunks: Uint8Array[] = [];
    replySize = 0;
    answer: Answer | null = null;
    /** Cycles still available when the call was answered: they go back to the caller. */
    answerRefund = 0n;
    cyclesAvailable: bigint;
    readonly cyclesRefunded: bigint;
    cyclesAccepted = 0n;
    balance: bigint;
    timer: bigint;
    certifiedData: Uint8Array;
    pendingCall: OutgoingCall | null = null;
    readonly calls: OutgoingCall[] = [];
    acceptedMessage = false;
    /** Instructions this execution used (set by the runtime when it ends; see ExecutionResult). */
    instructions = 0n;

    constructor(input: ExecutionInput) {
        this.kind = input.kind;
        this.canisterId = input.canisterId;
        this.time = input.time;
        this.arg = input.arg ?? new Uint8Array(0);
        this.caller = input.caller ?? new Uint8Array(0);
        this.methodName = input.methodName ?? '';
        this.rejectCode = input.rejectCode ?? 0;
        this.rejectMessage = input.rejectMessage ?? '';
        this.canAnswer = input.canAnswer ?? false;
        this.cyclesAvailable = input.cyclesAvailable ?? 0n;
        this.cyclesRefunded = input.cyclesRefunded ?? 0n;
        this.balance = input.balance;
        this.timer = input.timer;
        this.certifiedData = input.certifiedData;
        this.canisterVersion = input.canisterVersion;
        this.controllers = input.controllers;
        this.certificateSource = input.dataCertificate ?? null;
        this.callContextInstructionsBefore = input.callContextInstructions ?? 0n;
        this.outstandingCalls = input.outstandingCalls ?? (() => 0);
        this.status = input.status ?? 1;
        this.subnetId = input.subnetId ?? new Uint8Array(0);
        this.rootKey = input.rootKey ?? new Uint8Array(0);
        this.environmentVariables = input.environmentVariables ?? [];
        this.deadline = input.deadline ?? 0n;
        this.fees = input.fees ?? FREE_FEES;
        this.freezingLimit = input.freezingLimit ?? 0n;
        this.instructionLimit = input.instructionLimit ?? APPLICATION_SUBNET_LIMITS.message;
        this.instructionsBefore = input.instructionsBefore ?? 0n;
    }

    /** What `ic0.data_certificate_*` see; a lazy source is resolved once, on first use. */
    get dataCertificate(): Uint8Array | null {
        if (typeof this.certificateSource === 'function') this.certificateSource = this.certificateSource();
        return this.certificateSource;
    }

    /** Non-replicated executions: queries called directly, composite queries and their callbacks, inspect. */
    get replicated(): boolean {
        return !['query', 'composite_query', 'composite_reply', 'composite_reject', 'inspect'].includes(this.kind);
    }
}
