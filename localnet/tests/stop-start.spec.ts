/**
 * Conformance: stop_canister / start_canister. A stopped canister rejects calls and queries;
 * start resumes it with its state; stop waits for open call contexts to close.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { PocketIc, SubnetStateType } from '@dfinity/pic';

import { AZLE_SETTLE_TICKS, deployCaller, deployCounter, idlFactories } from '../../tests/integration/support/fixtures';
import type { CallerService } from '../../tests/integration/support/fixtures';
import { managementIdlFactory } from '../../tests/integration/support/management';
import type { ManagementService } from '../../tests/integration/support/management';
import { createPic, expectReject } from '../../tests/integration/support/pic';
import { picUrl } from '../../tests/integration/support/server-handle';

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

    it('waits for a call still in flight to another subnet before it stops', async () => {
        const twoSubnets = await PocketIc.create(picUrl(), {
            application: [{ state: { type: SubnetStateType.New } }, { state: { type: SubnetStateType.New } }]
        });
        try {
            const [subnetA, subnetB] = await twoSubnets.getApplicationSubnets();
            if (subnetA === undefined || subnetB === undefined) throw new Error('expected two application subnets');
            const { canisterId: callerId } = await deployCaller(twoSubnets, { targetSubnetId: subnetA.id });
            const { actor: counter, canisterId: counterId } = await deployCounter(twoSubnets, { targetSubnetId: subnetB.id });
            expect((await twoSubnets.getCanisterSubnetId(counterId))?.toText()).toBe(subnetB.id.toText());
            await twoSubnets.tick(AZLE_SETTLE_TICKS);

            const deferredCaller = twoSubnets.createDeferredActor<CallerService>(idlFactories.caller, callerId);
            const management = twoSubnets.createDeferredActor<ManagementService>(managementIdlFactory, Principal.fromText(MANAGEMENT_CANISTER));
            const awaitCall = await deferredCaller.callRaw(counterId, 'increment', new Uint8Array(IDL.encode([], [])), 0n);
            // One round: the caller runs; its request to the other subnet is still in flight.
            await twoSubnets.tick();
            const awaitStop = await management.stop_canister({ canister_id: callerId });
            await awaitStop();
            const outcome = await awaitCall();
            expect('Ok' in outcome).toBe(true);
            expect(await counter.getCount()).toBe(1n);
            expect((await twoSubnets.canisterStatus({ canisterId: callerId })).status).toEqual({ stopped: null });
        } finally {
            await twoSubnets.tearDown();
        }
    }, 30_000);

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
