/**
 * Conformance: ingress updates and queries, atomicity (a trap rolls back heap and stable
 * memory), queries never persist, canister_version, callers, and the reject codes an ingress
 * caller sees.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { createIdentity } from '@dfinity/pic';
import type { Actor, PocketIc } from '@dfinity/pic';

import { AZLE_SETTLE_TICKS, deployCounter } from '../../tests/integration/support/fixtures';
import type { CounterService } from '../../tests/integration/support/fixtures';
import { appSubnetCanisterId } from '../../tests/integration/support/ids';
import { createPic, expectReject } from '../../tests/integration/support/pic';

jest.setTimeout(120_000);

describe('Localnet > execution', () => {
    let pic: PocketIc;
    let counter: Actor<CounterService>;
    let counterId: Principal;

    beforeEach(async () => {
        pic = await createPic();
        ({ actor: counter, canisterId: counterId } = await deployCounter(pic, { label: 'exec' }));
        await pic.tick(AZLE_SETTLE_TICKS);
    });
    afterEach(async () => {
        await pic.tearDown();
    });

    describe('updates and queries', () => {
        it('persists an update and serves it to later queries', async () => {
            expect(await counter.increment()).toBe(1n);
            expect(await counter.increment()).toBe(2n);
            expect(await counter.getCount()).toBe(2n);
        });

        it('persists stable writes of an update', async () => {
            await counter.put('k', 'v');
            expect(await counter.get('k')).toEqual(['v']);
            expect(await counter.get('missing')).toEqual([]);
        });

        it('never persists the heap or stable changes a query makes', async () => {
            expect(await counter.queryMutate('q')).toBe(1n);
            expect(await counter.queryMutate('q')).toBe(1n);
            expect(await counter.getCount()).toBe(0n);
            expect(await counter.get('q')).toEqual([]);
        });

        it('never persists a query method invoked as an update', async () => {
            const result = await pic.updateCall({ canisterId: counterId, method: 'queryMutate', arg: encodeText('u') });
            expect(result.length).toBeGreaterThan(0);
            expect(await counter.getCount()).toBe(0n);
            expect(await counter.get('u')).toEqual([]);
        });
    });

    describe('traps', () => {
        it('rejects the caller with CanisterError / CanisterCalledTrap', async () => {
            await expectReject(counter.trapWith('boom'), { rejectCode: 'CanisterError', errorCode: 'CanisterCalledTrap' });
        });

        it('rolls back heap and stable memory written before the trap', async () => {
            await counter.increment();
            await counter.put('kept', 'yes');
            await expectReject(counter.mutateThenTrap('lost'), { rejectCode: 'CanisterError', errorCode: 'CanisterCalledTrap' });
            expect(await counter.getCount()).toBe(1n);
            expect(await counter.get('lost')).toEqual([]);
            expect(await counter.get('kept')).toEqual(['yes']);
        });

        it('keeps serving calls after a trap', async () => {
            await expectReject(counter.mutateThenTrap('x'), { rejectCode: 'CanisterError', errorCode: 'CanisterCalledTrap' });
            expect(await counter.increment()).toBe(1n);
        });
    });

    describe('explicit rejects and missing methods', () => {
        it('reports ic0.msg_reject to an ingress caller as CanisterReject / CanisterRejectedMessage', async () => {
            const failure = await expectReject(counter.rejectWith('no thanks'), {
                rejectCode: 'CanisterReject',
                errorCode: 'CanisterRejectedMessage'
            });
            expect(failure.message).toContain('no thanks');
        });

        it('rejects an update to a method the module does not export with CanisterMethodNotFound', async () => {
            await expectReject(pic.updateCall({ canisterId: counterId, method: 'noSuchMethod', arg: EMPTY_ARGS }), {
                rejectCode: 'CanisterError',
                errorCode: 'CanisterMethodNotFound'
            });
        });

        it('rejects a query to a method the module does not export with CanisterMethodNotFound', async () => {
            await expectReject(pic.queryCall({ canisterId: counterId, method: 'noSuchMethod', arg: EMPTY_ARGS }), {
                rejectCode: 'CanisterError',
                errorCode: 'CanisterMethodNotFound'
            });
        });

        it('rejects a call to an unknown canister with DestinationInvalid / CanisterNotFound (IC0301)', async () => {
            const nowhere = appSubnetCanisterId(4242);
            await expectReject(pic.updateCall({ canisterId: nowhere, method: 'increment', arg: EMPTY_ARGS }), {
                rejectCode: 'DestinationInvalid',
                errorCode: 'CanisterNotFound'
            });
            await expectReject(pic.queryCall({ canisterId: nowhere, method: 'getCount', arg: EMPTY_ARGS }), {
                rejectCode: 'DestinationInvalid',
                errorCode: 'CanisterNotFound'
            });
        });

        it('rejects a call to a canister with no module with CanisterWasmModuleNotFound', async () => {
            const empty = await pic.createCanister();
            await expectReject(pic.updateCall({ canisterId: empty, method: 'increment', arg: EMPTY_ARGS }), {
                rejectCode: 'CanisterError',
                errorCode: 'CanisterWasmModuleNotFound'
            });
        });
    });

    describe('canister_version', () => {
        it('increments by one per successful update', async () => {
            const first = await counter.versionUpdate();
            await counter.increment();
            const second = await counter.versionUpdate();
            expect(second - first).toBe(2n);
        });

        it('does not increment for queries or for a trapped update', async () => {
            const before = await counter.version();
            await counter.getCount();
            await expectReject(counter.mutateThenTrap('v'), { rejectCode: 'CanisterError', errorCode: 'CanisterCalledTrap' });
            expect(await counter.version()).toBe(before);
        });

        it('is observed identically by a query right after an update', async () => {
            const seenInUpdate = await counter.versionUpdate();
            expect(await counter.version()).toBe(seenInUpdate + 1n);
        });
    });

    describe('callers', () => {
        it('sees the anonymous principal by default', async () => {
            expect((await counter.whoami()).toText()).toBe(Principal.anonymous().toText());
        });

        it('sees the identity the actor sends as', async () => {
            const alice = createIdentity('alice');
            counter.setIdentity(alice);
            expect((await counter.whoami()).toText()).toBe(alice.getPrincipal().toText());
        });
    });
});

/** Candid encoding of `()`. */
const EMPTY_ARGS = new Uint8Array(IDL.encode([], []));

function encodeText(text: string): Uint8Array {
    return new Uint8Array(IDL.encode([IDL.Text], [text]));
}
