import { Principal } from '@dfinity/principal';

import { RejectCode, type Reject, type RejectCodeNumber } from '../api';

/** Raised by a system API import (or a Wasm fault) to end the current execution as a trap. */
export class CanisterTrap extends Error {
    constructor(
        message: string,
        /**
         * `explicit` for `ic0.trap`, `wasm` for a Wasm fault, `system` for a system API misuse,
         * `instruction_limit` for an execution that ran out of instructions.
         */
        override readonly cause: 'explicit' | 'wasm' | 'system' | 'instruction_limit'
    ) {
        super(message);
        this.name = 'CanisterTrap';
    }
}

/** An execution used more instructions than its limit; rolled back like a trap (IC0522). */
export class InstructionLimitExceeded extends CanisterTrap {
    constructor(
        /** The limit of the message as the replica reports it (install: all its steps together). */
        readonly limit: bigint
    ) {
        super(`Canister exceeded the limit of ${limit} instructions for single message execution.`, 'instruction_limit');
        this.name = 'InstructionLimitExceeded';
    }
}

/** Converts whatever an export call threw into a trap, keeping host bugs visible. */
export function toTrap(error: unknown): CanisterTrap {
    if (error instanceof CanisterTrap) return error;
    if (error instanceof WebAssembly.RuntimeError) return new CanisterTrap(error.message, 'wasm');
    if (error instanceof RangeError) return new CanisterTrap(`stack overflow: ${error.message}`, 'wasm');
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new CanisterTrap(`host error: ${message}`, 'wasm');
}

export function principalText(bytes: Uint8Array): string {
    return Principal.fromUint8Array(bytes).toText();
}

/** PocketIC's ErrorCode names with the IC error number each stands for. */
export const ErrorCode = {
    CanisterQueueFull: 'IC0201',
    StopCanisterRequestTimeout: 'IC0206',
    CanisterNotFound: 'IC0301',
    CanisterRejectedMessage: 'IC0406',
    CanisterOutOfCycles: 'IC0207',
    InsufficientCyclesForCreateCanister: 'IC0403',
    CanisterTrapped: 'IC0502',
    CanisterCalledTrap: 'IC0503',
    CanisterContractViolation: 'IC0504',
    CanisterDidNotReply: 'IC0506',
    CanisterOutOfMemory: 'IC0507',
    CanisterStopped: 'IC0508',
    CanisterStopping: 'IC0509',
    CanisterNotStopped: 'IC0510',
    CanisterStoppingCancelled: 'IC0511',
    CanisterInvalidController: 'IC0512',
    CanisterNonEmpty: 'IC0514',
    CanisterRejectedByInspect: 'IC0516',
    CanisterMethodNotFound: 'IC0536',
    CanisterWasmModuleNotFound: 'IC0537',
    CanisterInstructionLimitExceeded: 'IC0522',
    CanisterInstallCodeRateLimited: 'IC0523',
    QueryCallGraphTooDeep: 'IC0525',
    CompositeQueryCalledInReplicatedMode: 'IC0527',
    InvalidManagementPayload: 'IC0311',
    UnknownManagementMessage: 'IC0302',
    InvalidModule: 'IC0505',
    CanisterWasmEngineError: 'IC0521',
    CanisterHeapDeltaRateLimited: 'IC0529',
    CanisterRejectedByUpgrade: 'IC0539',
    DeadlineExpired: 'IC0601'
} as const;
export type ErrorCodeName = keyof typeof ErrorCode;

export function reject(rejectCode: RejectCodeNumber, errorCode: ErrorCodeName, message: string): Reject {
    return { rejectCode, rejectMessage: message, errorCode, certified: true };
}

/**
 * Rejects made when a request cannot be delivered (routing and induction: no canister, a
 * stopped or stopping one, a full queue) and explicit `msg_reject`s. The replica turns these
 * into a `RejectContext` from the bare description; every other failure is the outcome of an
 * execution (of the callee or of the management canister), whose `UserError` reaches the
 * calling canister through its `Display` form, `ICxxxx: description`
 * (dfinity/ic rs/types/types/src/messages/inter_canister.rs, `From<Result<..>> for Payload`).
 */
const UNPREFIXED_FOR_CANISTERS: ReadonlySet<string> = new Set<ErrorCodeName>([
    'CanisterNotFound',
    'CanisterStopped',
    'CanisterStopping',
    'CanisterQueueFull',
    'CanisterRejectedMessage',
    // Induction refuses a request to a frozen canister with the bare `StateError` text
    // (dfinity/ic rs/replicated_state: CanisterOutOfCyclesError's Display), no code prefix.
    'CanisterOutOfCycles'
]);

/** Rejects the replica builds from a bare `UserError` description whatever their code. */
const bareDescriptions = new WeakSet<Reject>();

function bare(failure: Reject): Reject {
    bareDescriptions.add(failure);
    return failure;
}

/** The reject message a calling canister reads with `msg_reject_msg_copy`. */
export function messageForCanister(failure: Reject): string {
    if (UNPREFIXED_FOR_CANISTERS.has(failure.errorCode) || bareDescriptions.has(failure)) return failure.rejectMessage;
    const number = (ErrorCode as Record<string, string>)[failure.errorCode];
    return number === undefined ? failure.rejectMessage : `${number}: ${failure.rejectMessage}`;
}

/**
 * IC0522 as the replica words it (`HypervisorError::InstructionLimitExceeded` through
 * `into_user_error`, dfinity/ic `rs/interfaces/src/execution_environment/errors.rs`): the
 * description, a period, then the help text with its documentation link.
 */
export function instructionLimitExceeded(id: Uint8Array, limit: bigint): Reject {
    return reject(
        RejectCode.CanisterError,
        'CanisterInstructionLimitExceeded',
        `Error from Canister ${principalText(id)}: Canister exceeded the limit of ${limit} instructions for single message execution..\n` +
            'Try optimizing this method to consume fewer instructions or split the work across multiple messages. ' +
            'See documentation: http://internetcomputer.org/docs/current/references/execution-errors#instruction-limit-exceeded'
    );
}

/** The rejects every caller can meet, worded as the replica words them. */
export const rejects = {
    canisterNotFound: (id: Uint8Array): Reject =>
        reject(RejectCode.DestinationInvalid, 'CanisterNotFound', `Canister ${principalText(id)} not found`),
    /** An id outside every subnet's canister ranges (dfinity/ic rs/messaging/src/routing/stream_builder.rs). */
    noRoute: (id: Uint8Array): Reject =>
        reject(RejectCode.DestinationInvalid, 'CanisterNotFound', `No route to canister ${principalText(id)}`),
    managementMethodNotFound: (method: string): Reject =>
        reject(RejectCode.CanisterError, 'CanisterMethodNotFound', `Management canister has no method '${method}'`),
    /** A composite query reached by an update or another canister's update (dfinity/ic rs/execution_environment/src/execution/call_or_task.rs). */
    compositeQueryReplicated: (): Reject =>
        reject(RejectCode.CanisterError, 'CompositeQueryCalledInReplicatedMode', 'Composite query cannot be called in replicated mode'),
    /**
     * A composite query calling a method that is neither a query nor a composite query; the
     * caller reads the bare text (Azle's composite_queries example test expects
     * "Rejection code 5, Canister <id> has no query method").
     */
    noQueryMethod: (id: Uint8Array, method: string): Reject =>
        bare(reject(RejectCode.CanisterError, 'CanisterMethodNotFound', `Canister ${principalText(id)} has no query method '${method}'`)),
    /** dfinity/ic rs/execution_environment/src/query_handler/query_call_graph.rs */
    queryCallGraphTooDeep: (): Reject =>
        reject(RejectCode.CanisterError, 'QueryCallGraphTooDeep', 'Composite query calls exceeded the maximum call depth.'),
    /** A stop request that waited out the stop timeout (stop-timeout.ts). */
    stopTimedOut: (): Reject => reject(RejectCode.SysTransient, 'StopCanisterRequestTimeout', 'Stop canister request timed out'),
    canisterStopped: (id: Uint8Array): Reject =>
        reject(RejectCode.CanisterError, 'CanisterStopped', `Canister ${principalText(id)} is stopped`),
    canisterStopping: (id: Uint8Array): Reject =>
        reject(RejectCode.CanisterError, 'CanisterStopping', `Canister ${principalText(id)} is stopping`),
    noModule: (id: Uint8Array): Reject =>
        reject(
            RejectCode.CanisterError,
            'CanisterWasmModuleNotFound',
            `Error from Canister ${principalText(id)}: Attempted to execute a message, but the canister contains no Wasm module.`
        ),
    methodNotFound: (id: Uint8Array, kind: string, method: string): Reject =>
        reject(
            RejectCode.CanisterError,
            'CanisterMethodNotFound',
            `Error from Canister ${principalText(id)}: Canister has no ${kind} method '${method}'.`
        ),
    didNotReply: (id: Uint8Array): Reject =>
        reject(
            RejectCode.CanisterError,
            'CanisterDidNotReply',
            `Error from Canister ${principalText(id)}: Canister did not produce a response.`
        ),
    trapped: (id: Uint8Array, trap: CanisterTrap): Reject =>
        trap instanceof InstructionLimitExceeded
            ? instructionLimitExceeded(id, trap.limit)
            : trap.cause === 'explicit'
            ? reject(
                  RejectCode.CanisterError,
                  'CanisterCalledTrap',
                  `Error from Canister ${principalText(id)}: Canister called \`ic0.trap\` with message: '${trap.message}'.`
              )
            : reject(
                  RejectCode.CanisterError,
                  'CanisterTrapped',
                  `Error from Canister ${principalText(id)}: Canister trapped: ${trap.message}.`
              ),
    notAccepted: (id: Uint8Array): Reject =>
        reject(
            RejectCode.CanisterReject,
            'CanisterRejectedMessage',
            `Error from Canister ${principalText(id)}: Canister rejected the message`
        ),
    explicitReject: (message: string): Reject => reject(RejectCode.CanisterReject, 'CanisterRejectedMessage', message),
    notController: (id: Uint8Array, caller: Uint8Array, method: string): Reject =>
        reject(
            RejectCode.CanisterError,
            'CanisterInvalidController',
            `Only controllers of canister ${principalText(id)} can call ic00 method ${method}. Sender: ${principalText(caller)}`
        ),
    callbackInvalidated: (id: Uint8Array): Reject =>
        reject(
            RejectCode.CanisterError,
            'CanisterTrapped',
            `Error from Canister ${principalText(id)}: the response arrived after the canister's code was replaced, so its callback was not run.`
        )
};
