/**
 * Conformance: the reject messages a calling canister reads, as the replica formats them.
 * Failures of an execution (the callee's or the management canister's) carry the error code
 * prefix (`IC0503: …`); failures to deliver (no canister, no route) and explicit rejects carry
 * the bare text. What an ingress caller sees (reject code, error code, message) is unchanged.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import type { Actor, PocketIc } from '@dfinity/pic';

import { AZLE_SETTLE_TICKS, deployCaller, deployCounter } from '../../tests/integration/support/fixtures';
import type { CallOutcome, CallerService } from '../../tests/integration/support/fixtures';
import { appSubnetCanisterId } from '../../tests/integration/support/ids';
import { ErrorCode, RejectCode, RejectCodeNumber, createPic, expectReject } from '../../tests/integration/support/pic';

jest.setTimeout(180_000);

const NO_ARGS = new Uint8Array(IDL.encode([], []));
const MANAGEMENT = Principal.fromText('aaaaa-aa');
/** An id outside every subnet's canister range (the one Azle's own call-error tests use). */
const UNROUTED = Principal.fromText('vaupb-eqaaa-aaaai-qplka-cai');

function expectErr(outcome: CallOutcome): { code: number; message: string } {
    if ('Ok' in outcome) throw new Error('expected a reject, got a reply');
    return { code: outcome.Err.code, message: outcome.Err.message };
}

describe('Localnet > reject messages', () => {
    let pic: PocketIc;
    let caller: Actor<CallerService>;
    let counterId: Principal;

    beforeAll(async () => {
        pic = await createPic();
        ({ actor: caller } = await deployCaller(pic));
        ({ canisterId: counterId } = await deployCounter(pic));
        await pic.tick(AZLE_SETTLE_TICKS);
    });
    afterAll(async () => {
        await pic.tearDown();
    });

    describe('seen by a calling canister', () => {
        it('prefixes a callee trap with IC0503', async () => {
            const arg = new Uint8Array(IDL.encode([IDL.Text], ['k']));
            const err = expectErr(await caller.callRaw(counterId, 'mutateThenTrap', arg, 0n));
            expect(err.code).toBe(RejectCodeNumber.CanisterError);
            expect(err.message.startsWith(`IC0503: Error from Canister ${counterId.toText()}: Canister called \`ic0.trap\` with message: '`)).toBe(true);
        });

        it('prefixes a missing callee method with IC0536', async () => {
            expect(expectErr(await caller.callRaw(counterId, 'noSuchMethod', NO_ARGS, 0n))).toEqual({
                code: RejectCodeNumber.CanisterError,
                message: `IC0536: Error from Canister ${counterId.toText()}: Canister has no update method 'noSuchMethod'.`
            });
        });

        it('rejects a missing management method with code 5 and IC0536', async () => {
            expect(expectErr(await caller.callRaw(MANAGEMENT, 'test', NO_ARGS, 0n))).toEqual({
                code: RejectCodeNumber.CanisterError,
                message: "IC0536: Management canister has no method 'test'"
            });
        });

        it('rejects an id outside every subnet range with code 3 and "No route to canister"', async () => {
            expect(expectErr(await caller.callRaw(UNROUTED, 'test', NO_ARGS, 0n))).toEqual({
                code: RejectCodeNumber.DestinationInvalid,
                message: `No route to canister ${UNROUTED.toText()}`
            });
        });

        it('keeps the bare "not found" text for an id inside a subnet range with no canister', async () => {
            const missing = appSubnetCanisterId(999);
            expect(expectErr(await caller.callRaw(missing, 'test', NO_ARGS, 0n))).toEqual({
                code: RejectCodeNumber.DestinationInvalid,
                message: `Canister ${missing.toText()} not found`
            });
        });

        it('keeps an explicit reject unprefixed with code 4', async () => {
            const arg = new Uint8Array(IDL.encode([IDL.Text], ['not today']));
            expect(expectErr(await caller.callRaw(counterId, 'rejectWith', arg, 0n))).toEqual({ code: RejectCodeNumber.CanisterReject, message: 'not today' });
        });
    });

    describe('seen by an ingress caller', () => {
        it('reports a trap with its error code and the unprefixed description', async () => {
            const arg = new Uint8Array(IDL.encode([IDL.Text], ['k']));
            const failure = await expectReject(pic.updateCall({ canisterId: counterId, method: 'mutateThenTrap', arg }), {
                rejectCode: RejectCode.CanisterError,
                errorCode: ErrorCode.CanisterCalledTrap
            });
            expect(failure.message.startsWith(`Error from Canister ${counterId.toText()}: Canister called \`ic0.trap\``)).toBe(true);
        });
    });
});
