/**
 * PocketIC helpers shared by the integration tests: instance creation and typed assertions on
 * the rejects pic-js reports.
 */
import { createHash } from 'node:crypto';

import { PocketIc, type CreateInstanceOptions } from '@dfinity/pic';

import { picUrl } from './server-handle';

/**
 * A fresh PocketIC instance on the run's server. Always `tearDown()` it. `processingTimeoutMs`
 * bounds, in wall-clock time, how long pic-js waits for one update call (30 s by default): a
 * spec whose single call spans thousands of rounds on purpose raises it, so a loaded machine
 * slows the spec down instead of failing it. `topology` names the subnets (one application subnet by default).
 */
export async function createPic(options: { processingTimeoutMs?: number; topology?: CreateInstanceOptions } = {}): Promise<PocketIc> {
    const { topology, ...rest } = options;
    return await PocketIc.create(picUrl(), { ...topology, ...rest });
}

/** PocketIC's reject codes, as the server names them in JSON. */
export const RejectCode = {
    SysFatal: 'SysFatal',
    SysTransient: 'SysTransient',
    DestinationInvalid: 'DestinationInvalid',
    CanisterReject: 'CanisterReject',
    CanisterError: 'CanisterError',
    SysUnknown: 'SysUnknown'
} as const;
export type RejectCodeName = keyof typeof RejectCode;

/** The numeric reject codes of the interface specification, as canisters observe them. */
export const RejectCodeNumber = {
    SysFatal: 1,
    SysTransient: 2,
    DestinationInvalid: 3,
    CanisterReject: 4,
    CanisterError: 5,
    SysUnknown: 6
} as const satisfies Record<RejectCodeName, number>;

/** PocketIC `ErrorCode` names used by the conformance tests, with their IC error numbers. */
export const ErrorCode = {
    StopCanisterRequestTimeout: 'StopCanisterRequestTimeout', // IC0206
    CanisterNotFound: 'CanisterNotFound', // IC0301
    CanisterRejectedMessage: 'CanisterRejectedMessage', // IC0406
    CanisterTrapped: 'CanisterTrapped', // IC0502
    CanisterCalledTrap: 'CanisterCalledTrap', // IC0503
    CanisterDidNotReply: 'CanisterDidNotReply', // IC0506
    CanisterStopped: 'CanisterStopped', // IC0508
    CanisterStopping: 'CanisterStopping', // IC0509
    CanisterInvalidController: 'CanisterInvalidController', // IC0512
    QueryCallGraphTooDeep: 'QueryCallGraphTooDeep', // IC0525
    CompositeQueryCalledInReplicatedMode: 'CompositeQueryCalledInReplicatedMode', // IC0527
    CanisterMethodNotFound: 'CanisterMethodNotFound', // IC0536
    CanisterWasmModuleNotFound: 'CanisterWasmModuleNotFound' // IC0537
} as const;
export type ErrorCodeName = keyof typeof ErrorCode;

/** The structured part of a pic-js call failure. */
export type CallFailure = { rejectCode: string; errorCode: string; message: string };

/**
 * pic-js reports a rejected call as a plain `Error` whose message it formats itself:
 * `Canister call failed: <msg>. Reject code: <rc>. Error code: <ec>. Certified: <b>`.
 * This reads the structured fields back; `null` if the error is not such a failure.
 */
export function parseCallFailure(error: unknown): CallFailure | null {
    if (!(error instanceof Error)) return null;
    const match = /^Canister call failed: ([\s\S]*)\. Reject code: (\w+)\. Error code: (\w+)\. Certified: \w+$/.exec(error.message);
    if (match === null) return null;
    return { message: match[1]!, rejectCode: match[2]!, errorCode: match[3]! };
}

/** Awaits `promise`, expects it to fail as a rejected call, and returns the failure. */
export async function expectCallFailure(promise: Promise<unknown>): Promise<CallFailure> {
    const outcome = await promise.then(
        (value: unknown) => ({ settled: 'fulfilled' as const, value }),
        (error: unknown) => ({ settled: 'rejected' as const, error })
    );
    if (outcome.settled === 'fulfilled') {
        throw new Error(`expected the call to be rejected, but it returned ${String(outcome.value)}`);
    }
    const failure = parseCallFailure(outcome.error);
    if (failure === null) {
        throw new Error(`expected a rejected canister call, got: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`);
    }
    return failure;
}

/** Expects `promise` to be rejected with the given reject code and error code. */
export async function expectReject(
    promise: Promise<unknown>,
    expected: { rejectCode: RejectCodeName; errorCode: ErrorCodeName }
): Promise<CallFailure> {
    const failure = await expectCallFailure(promise);
    expect({ rejectCode: failure.rejectCode, errorCode: failure.errorCode }).toEqual(expected);
    return failure;
}

/** sha256 of some bytes (module hashes). */
export function sha256(bytes: Uint8Array): Uint8Array {
    return new Uint8Array(createHash('sha256').update(bytes).digest());
}

/** Nanoseconds in one millisecond. */
export const NANOS_PER_MS = 1_000_000n;
