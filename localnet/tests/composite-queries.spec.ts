/**
 * Conformance: composite queries. Calls to query methods of other canisters and of the
 * canister itself, nesting up to the replica's depth limit (IC0525 past it), the state each
 * call sees (callees run on their committed state, every change is discarded), and the
 * rejects for a composite query reached in replicated mode (IC0527) or calling an update.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import type { Actor, PocketIc } from '@dfinity/pic';

import { AZLE_SETTLE_TICKS, deployCaller, deployComposer, deployCounter } from '../../tests/integration/support/fixtures';
import type { CallerService, ComposerService, CounterService, QueryOutcome } from '../../tests/integration/support/fixtures';
import { appSubnetCanisterId } from '../../tests/integration/support/ids';
import { ErrorCode, RejectCode, RejectCodeNumber, createPic, expectReject } from '../../tests/integration/support/pic';

jest.setTimeout(180_000);

const NO_ARGS = new Uint8Array(IDL.encode([], []));
/** An id outside every subnet's canister range (the one Azle's own call-error tests use). */
const UNROUTED = Principal.fromText('vaupb-eqaaa-aaaai-qplka-cai');

function expectErr(outcome: QueryOutcome): { code: number; message: string } {
    if ('Ok' in outcome) throw new Error('expected a reject, got a reply');
    return outcome.Err;
}

describe('Localnet > composite queries', () => {
    let pic: PocketIc;
    let composer: Actor<ComposerService>;
    let composerId: Principal;
    let other: Actor<ComposerService>;
    let otherId: Principal;
    let counter: Actor<CounterService>;
    let counterId: Principal;
    let caller: Actor<CallerService>;

    beforeAll(async () => {
        pic = await createPic();
        ({ actor: composer, canisterId: composerId } = await deployComposer(pic));
        ({ actor: other, canisterId: otherId } = await deployComposer(pic));
        ({ actor: counter, canisterId: counterId } = await deployCounter(pic));
        ({ actor: caller } = await deployCaller(pic));
        await pic.tick(AZLE_SETTLE_TICKS);
        await counter.increment();
    });
    afterAll(async () => {
        await pic.tearDown();
    });

    describe('calls to other canisters', () => {
        it('calls a query method of another canister and gets its reply', async () => {
            const outcome = await composer.queryRaw(counterId, 'getCount', NO_ARGS);
            if (!('Ok' in outcome)) throw new Error(`expected a reply, got ${outcome.Err.message}`);
            expect(IDL.decode([IDL.Nat], new Uint8Array(outcome.Ok))).toEqual([1n]);
        });

        it('rejects a call to an update method with code 5 and the replica text', async () => {
            const err = expectErr(await composer.queryRaw(counterId, 'increment', NO_ARGS));
            expect(err).toEqual({ code: RejectCodeNumber.CanisterError, message: `Canister ${counterId.toText()} has no query method 'increment'` });
            expect(await counter.getCount()).toBe(1n);
        });

        it('rejects a call to a missing canister with code 3, by its own text inside a subnet range and "No route" outside', async () => {
            const missing = appSubnetCanisterId(999);
            expect(expectErr(await composer.queryRaw(missing, 'getCount', NO_ARGS))).toEqual({
                code: RejectCodeNumber.DestinationInvalid,
                message: `Canister ${missing.toText()} not found`
            });
            expect(expectErr(await composer.queryRaw(UNROUTED, 'getCount', NO_ARGS))).toEqual({
                code: RejectCodeNumber.DestinationInvalid,
                message: `No route to canister ${UNROUTED.toText()}`
            });
        });

        it('runs each call on the callee committed state and discards every change', async () => {
            // 1 (own bump) + 1 + 1: the second bump of the other canister does not see the first.
            expect(await composer.bumpOtherTwice(otherId)).toBe(3n);
            expect(await other.counter()).toBe(0n);
            expect(await composer.counter()).toBe(0n);
        });
    });

    describe('calls to itself', () => {
        it('runs its own callees on the committed state while the caller keeps its own changes', async () => {
            expect(await composer.bumpSelfTwice()).toBe(3n);
            expect(await composer.counter()).toBe(0n);
        });

        it('nests calls up to the replica depth limit of 6', async () => {
            expect(await composer.nest(6)).toBe(6);
        });

        it('fails the whole query with IC0525 one level deeper', async () => {
            const failure = await expectReject(composer.nest(7), { rejectCode: RejectCode.CanisterError, errorCode: ErrorCode.QueryCallGraphTooDeep });
            expect(failure.message).toBe('Composite query calls exceeded the maximum call depth.');
        });
    });

    describe('replicated mode', () => {
        it('rejects a composite query called as an update (ingress) with IC0527', async () => {
            const failure = await expectReject(pic.updateCall({ canisterId: composerId, method: 'bump', arg: NO_ARGS }), {
                rejectCode: RejectCode.CanisterError,
                errorCode: ErrorCode.CompositeQueryCalledInReplicatedMode
            });
            expect(failure.message).toBe('Composite query cannot be called in replicated mode');
        });

        it('rejects a composite query called from an update of another canister with code 5 and the IC0527 text', async () => {
            const outcome = await caller.callRaw(composerId, 'bump', NO_ARGS, 0n);
            if ('Ok' in outcome) throw new Error('expected a reject');
            expect(outcome.Err).toMatchObject({ code: RejectCodeNumber.CanisterError, message: 'IC0527: Composite query cannot be called in replicated mode' });
        });
    });
});
