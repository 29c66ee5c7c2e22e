/**
 * Conformance: stop_canister / start_canister. A stopped canister rejects calls and queries;
 * start resumes it with its state; stop waits for open call contexts to close.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import type { PocketIc } from '@dfinity/pic';

import { AZLE_SETTLE_TICKS, deployCaller, deployCounter } from '../../tests/integration/support/fixtures';
import { managementIdlFactory } from '../../tests/integration/support/management';
import type { ManagementService } from '../../tests/integration/support/management';
import { createPic, expectReject } from '../../tests/integration/support/pic';

jest.setTimeout(120_000);

const MANAGEMENT_CANISTER = 'aaaaa-aa';

describe('Localnet > stopping and starting', () => {
    let pic: PocketIc;
    beforeEach(async () => {
        pic = await createPic();
    });
    afterEach(async () => {
        await pic.tearDown();
    });

    it('rejects updates to a stopped canister with CanisterStopped (IC0508)', async () => {
        const { actor, canisterId } = await deployCounter(pic);
        await pic.stopCanister({ canisterId });
        await expectReject(actor.increment(), { rejectCode: 'CanisterError', errorCode: 'CanisterStopped' });
    });

    it('rejects queries to a stopped canister with CanisterStopped (IC0508)', async () => {
        const { actor, canisterId } = await deployCounter(pic);
        await pic.stopCanister({ canisterId });
        await expectReject(actor.getCount(), { rejectCode: 'CanisterError', errorCode: 'CanisterStopped' });
    });

    it('resumes with its heap and stable state after start', async () => {
        const { actor, canisterId } = await deployCounter(pic);
        await actor.increment();
        await actor.put('k', 'v');
        await pic.stopCanister({ canisterId });
        await pic.startCanister({ canisterId });
        expect(await actor.getCount()).toBe(1n);
        expect(await actor.get('k')).toEqual(['v']);
        expect(await actor.increment()).toBe(2n);
    });

    it('treats stop of a stopped canister and start of a running one as no-ops', async () => {
        const { actor, canisterId } = await deployCounter(pic);
        await pic.startCanister({ canisterId });
        await pic.stopCanister({ canisterId });
        await pic.stopCanister({ canisterId });
        expect((await pic.canisterStatus({ canisterId })).status).toEqual({ stopped: null });
        await pic.startCanister({ canisterId });
        expect(await actor.increment()).toBe(1n);
    });

    it('waits for an open call context: the outstanding call completes with a reply, then the canister stops', async () => {
        const { canisterId: callerId } = await deployCaller(pic);
        await pic.tick(AZLE_SETTLE_TICKS);
        const deferredCaller = pic.createDeferredActor<{ rawRandLength: () => Promise<number> }>(
            ({ IDL: I }: { IDL: typeof IDL }) => I.Service({ rawRandLength: I.Func([], [I.Nat32], []) }),
            callerId
        );
        const management = pic.createDeferredActor<ManagementService>(managementIdlFactory, Principal.fromText(MANAGEMENT_CANISTER));

        const awaitRawRand = await deferredCaller.rawRandLength();
        // One round: the caller runs and leaves a call to raw_rand outstanding.
        await pic.tick();
        const awaitStop = await management.stop_canister({ canister_id: callerId });
        await awaitStop();
        expect(await awaitRawRand()).toBe(32);
        expect((await pic.canisterStatus({ canisterId: callerId })).status).toEqual({ stopped: null });
    });

    it('increments canister_version on stop and on start', async () => {
        const { actor, canisterId } = await deployCounter(pic);
        await pic.tick(AZLE_SETTLE_TICKS);
        const before = await actor.version();
        await pic.stopCanister({ canisterId });
        await pic.startCanister({ canisterId });
        expect(await actor.version()).toBeGreaterThanOrEqual(before + 2n);
    });

    it('lets a stopped caller be started to make calls again', async () => {
        const { actor: caller, canisterId: callerId } = await deployCaller(pic);
        await pic.stopCanister({ canisterId: callerId });
        await expectReject(caller.ping(), { rejectCode: 'CanisterError', errorCode: 'CanisterStopped' });
        await pic.startCanister({ canisterId: callerId });
        expect(await caller.ping()).toBe('pong');
    });
});
