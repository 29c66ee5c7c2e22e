/**
 * Conformance: inter-canister calls seen from the calling canister: replies, reject codes 3, 4
 * and 5, self-calls, cycles transfer and refund, and a trapping callback (rolled back, then its
 * cleanup runs and persists).
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import type { Actor, PocketIc } from '@dfinity/pic';

import { AZLE_SETTLE_TICKS, deployCaller, deployCounter } from '../../tests/integration/support/fixtures';
import type { CallerService, CounterService } from '../../tests/integration/support/fixtures';
import { expectErr, expectOk } from '../../tests/integration/support/calls';
import { appSubnetCanisterId } from '../../tests/integration/support/ids';
import { RejectCodeNumber, createPic, expectReject } from '../../tests/integration/support/pic';

jest.setTimeout(180_000);

const NO_ARGS = new Uint8Array(IDL.encode([], []));

describe('Localnet > inter-canister calls', () => {
    let pic: PocketIc;
    let caller: Actor<CallerService>;
    let callerId: Principal;
    let counter: Actor<CounterService>;
    let counterId: Principal;

    beforeEach(async () => {
        pic = await createPic();
        ({ actor: caller, canisterId: callerId } = await deployCaller(pic));
        ({ actor: counter, canisterId: counterId } = await deployCounter(pic));
        await pic.tick(AZLE_SETTLE_TICKS);
    });
    afterEach(async () => {
        await pic.tearDown();
    });

    describe('replies', () => {
        it('delivers the callee reply to the caller and commits the callee state', async () => {
            const { reply } = expectOk(await caller.callRaw(counterId, 'increment', NO_ARGS, 0n));
            expect(IDL.decode([IDL.Nat], reply)).toEqual([1n]);
            expect(await counter.getCount()).toBe(1n);
        });

        it('shows the calling canister as the callee caller', async () => {
            const { reply } = expectOk(await caller.callRaw(counterId, 'whoami', NO_ARGS, 0n));
            const [seen] = IDL.decode([IDL.Principal], reply);
            expect(Principal.from(seen).toText()).toBe(callerId.toText());
        });

        it('runs a query method called from another canister without persisting its changes', async () => {
            const arg = new Uint8Array(IDL.encode([IDL.Text], ['from-canister']));
            const { reply } = expectOk(await caller.callRaw(counterId, 'queryMutate', arg, 0n));
            expect(IDL.decode([IDL.Nat], reply)).toEqual([1n]);
            expect(await counter.getCount()).toBe(0n);
            expect(await counter.get('from-canister')).toEqual([]);
        });

        it('completes a self-call, where the canister sees itself as the caller', async () => {
            expect((await caller.selfCall()).toText()).toBe(callerId.toText());
        });

        it('completes a call to the management canister (raw_rand)', async () => {
            expect(await caller.rawRandLength()).toBe(32);
        });
    });

    describe('rejects', () => {
        it('gives code 3 (DestinationInvalid) for a canister that does not exist', async () => {
            const err = expectErr(await caller.callRaw(appSubnetCanisterId(999), 'increment', NO_ARGS, 0n));
            expect(err.code).toBe(RejectCodeNumber.DestinationInvalid);
        });

        it('gives code 4 (CanisterReject) and the message for an explicit reject', async () => {
            const arg = new Uint8Array(IDL.encode([IDL.Text], ['not today']));
            const err = expectErr(await caller.callRaw(counterId, 'rejectWith', arg, 0n));
            expect(err).toMatchObject({ code: RejectCodeNumber.CanisterReject, message: 'not today' });
        });

        it('gives code 5 (CanisterError) when the callee traps, and rolls the callee back', async () => {
            const arg = new Uint8Array(IDL.encode([IDL.Text], ['trapped-key']));
            const err = expectErr(await caller.callRaw(counterId, 'mutateThenTrap', arg, 0n));
            expect(err.code).toBe(RejectCodeNumber.CanisterError);
            expect(err.message).toContain('mutateThenTrap: trapped-key');
            expect(await counter.getCount()).toBe(0n);
            expect(await counter.get('trapped-key')).toEqual([]);
        });

        it('gives code 5 (CanisterError) for a method the callee does not export', async () => {
            const err = expectErr(await caller.callRaw(counterId, 'noSuchMethod', NO_ARGS, 0n));
            expect(err.code).toBe(RejectCodeNumber.CanisterError);
        });

        it('gives code 5 (CanisterError) for a callee with no module', async () => {
            const empty = await pic.createCanister();
            const err = expectErr(await caller.callRaw(empty, 'increment', NO_ARGS, 0n));
            expect(err.code).toBe(RejectCodeNumber.CanisterError);
        });

        it('gives code 5 (CanisterError) for a stopped callee, and replies again once it is started', async () => {
            await pic.stopCanister({ canisterId: counterId });
            const err = expectErr(await caller.callRaw(counterId, 'increment', NO_ARGS, 0n));
            expect(err.code).toBe(RejectCodeNumber.CanisterError);
            await pic.startCanister({ canisterId: counterId });
            expectOk(await caller.callRaw(counterId, 'increment', NO_ARGS, 0n));
            expect(await counter.getCount()).toBe(1n);
        });
    });

    describe('cycles', () => {
        it('moves the accepted cycles to the callee and refunds the rest to the caller', async () => {
            const attached = 5_000_000_000_000n;
            const max = 2_000_000_000_000n;
            const counterBefore = await pic.getCyclesBalance(counterId);
            const callerBefore = await pic.getCyclesBalance(callerId);

            const arg = new Uint8Array(IDL.encode([IDL.Nat], [max]));
            const { reply, refunded } = expectOk(await caller.callRaw(counterId, 'acceptCycles', arg, attached));
            const [receipt] = IDL.decode([IDL.Record({ available: IDL.Nat, accepted: IDL.Nat })], reply);
            expect(receipt).toEqual({ available: attached, accepted: max });
            expect(refunded).toBe(attached - max);

            // Execution fees are small next to the trillions moved.
            const fees = 10_000_000_000n;
            const counterGain = (await pic.getCyclesBalance(counterId)) - counterBefore;
            const callerLoss = callerBefore - (await pic.getCyclesBalance(callerId));
            expect(counterGain).toBeGreaterThan(max - fees);
            expect(counterGain).toBeLessThanOrEqual(max);
            expect(callerLoss).toBeGreaterThanOrEqual(max);
            expect(callerLoss).toBeLessThan(max + fees);
        });

        it('refunds all attached cycles when the callee rejects', async () => {
            const attached = 1_000_000_000n;
            const arg = new Uint8Array(IDL.encode([IDL.Text], ['no']));
            const err = expectErr(await caller.callRaw(counterId, 'rejectWith', arg, attached));
            expect(err.refunded).toBe(attached);
        });
    });

    describe('a trapping callback', () => {
        it('rolls the callback back, runs the cleanup callback and rejects the original caller', async () => {
            await expectReject(caller.callThenTrap(counterId, 'increment', 't1'), {
                rejectCode: 'CanisterError',
                errorCode: 'CanisterCalledTrap'
            });
            // The part before the await committed with the outgoing call; the callee ran.
            expect(await caller.mark('before:t1')).toEqual(['written']);
            expect(await counter.getCount()).toBe(1n);
            // The callback trapped: its write is gone; the cleanup's write persisted.
            expect(await caller.mark('callback:t1')).toEqual([]);
            expect(await caller.mark('cleanup:t1')).toEqual(['written']);
        });

        it('leaves the canister able to make further calls', async () => {
            await expectReject(caller.callThenTrap(counterId, 'increment', 't2'), {
                rejectCode: 'CanisterError',
                errorCode: 'CanisterCalledTrap'
            });
            expectOk(await caller.callRaw(counterId, 'increment', NO_ARGS, 0n));
            expect(await counter.getCount()).toBe(2n);
        });
    });
});
