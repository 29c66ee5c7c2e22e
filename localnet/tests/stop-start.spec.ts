/**
 * Conformance: stop_canister / start_canister. A stopped canister rejects calls and queries;
 * start resumes it with its state; stop waits for open call contexts to close.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { PocketIc, SubnetStateType } from '@dfinity/pic';

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { STOP_CANISTER_TIMEOUT_NS } from '../src/engine/stop-timeout';
import { bulkyTargetIdlFactory, type BulkyTargetService } from '../../tests/integration/support/canisters/bulky-target';
import { AZLE_SETTLE_TICKS, deployCaller, deployCounter, idlFactories } from '../../tests/integration/support/fixtures';
import type { CallerService } from '../../tests/integration/support/fixtures';
import { managementIdlFactory } from '../../tests/integration/support/management';
import type { ManagementService } from '../../tests/integration/support/management';
import { createPic, expectReject, RejectCodeNumber } from '../../tests/integration/support/pic';
import { picUrl } from '../../tests/integration/support/server-handle';

jest.setTimeout(120_000);

const MANAGEMENT_CANISTER = 'aaaaa-aa';
const NANOS_PER_MS_BIG = 1_000_000n;

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

    it('rejects a stop that waited five minutes with SysTransient (IC0206, "Stop canister request timed out"); the canister stays stopping, stops when its call ends, and starts again', async () => {
        // The stalled call spans thousands of management calls: minutes of wall clock on a loaded machine.
        const slow = await createPic({ processingTimeoutMs: 300_000 });
        try {
            // The stopper is a canister (as the executor is for agents): pic-js's deferred actors never settle on a reject.
            const { canisterId: stopperId } = await deployCaller(slow);
            const { canisterId: callerId } = await deployCaller(slow, { controllers: [stopperId, Principal.anonymous()] });
            const wasm = new Uint8Array(readFileSync(resolve(__dirname, '..', '..', 'tests', 'integration', 'support', 'canisters', '.azle', 'bulky_target', 'bulky_target.wasm')));
            const { actor: target, canisterId: targetId } = await slow.setupCanister<BulkyTargetService>({ idlFactory: bulkyTargetIdlFactory as never, wasm });
            await slow.tick(AZLE_SETTLE_TICKS);
            // Its `read` stalls over many rounds (about a thousand management calls fit in one round of its budget).
            await target.prepare(1, 8_000);
            const deferredCaller = slow.createDeferredActor<CallerService>(idlFactories.caller, callerId);
            const deferredStopper = slow.createDeferredActor<CallerService>(idlFactories.caller, stopperId);
            const awaitCall = await deferredCaller.callRaw(targetId, 'read', new Uint8Array(IDL.encode([], [])), 0n);
            await slow.tick();
            const stopArg = new Uint8Array(IDL.encode([IDL.Record({ canister_id: IDL.Principal })], [{ canister_id: callerId }]));
            const awaitStop = await deferredStopper.callRaw(Principal.fromText(MANAGEMENT_CANISTER), 'stop_canister', stopArg, 0n);
            await slow.tick(2);
            expect((await slow.canisterStatus({ canisterId: callerId })).status).toEqual({ stopping: null });
            await slow.advanceTime(Number(STOP_CANISTER_TIMEOUT_NS / NANOS_PER_MS_BIG));
            const stopped = await awaitStop();
            expect('Err' in stopped && { code: stopped.Err.code, message: stopped.Err.message }).toEqual({ code: RejectCodeNumber.SysTransient, message: 'IC0206: Stop canister request timed out' });
            expect((await slow.canisterStatus({ canisterId: callerId })).status).toEqual({ stopping: null });
            expect('Ok' in (await awaitCall())).toBe(true);
            expect((await slow.canisterStatus({ canisterId: callerId })).status).toEqual({ stopped: null });
            await slow.startCanister({ canisterId: callerId });
            expect((await slow.canisterStatus({ canisterId: callerId })).status).toEqual({ running: null });
        } finally {
            await slow.tearDown();
        }
    }, 600_000);

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
