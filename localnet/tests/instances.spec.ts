/**
 * Conformance: instance lifecycle, topology, canister id allocation and isolation between
 * instances, through the stock `@dfinity/pic` client.
 */
import { SubnetType } from '@dfinity/pic';
import type { PocketIc } from '@dfinity/pic';

import { deployCounter } from '../../tests/integration/support/fixtures';
import { appSubnetCanisterId } from '../../tests/integration/support/ids';
import { createPic } from '../../tests/integration/support/pic';

jest.setTimeout(120_000);

describe('Localnet > instances', () => {
    describe('topology', () => {
        let pic: PocketIc;
        beforeAll(async () => {
            pic = await createPic();
        });
        afterAll(async () => {
            await pic.tearDown();
        });

        it('has exactly one subnet by default, of kind Application', async () => {
            const topology = await pic.getTopology();
            expect(topology.map((subnet) => subnet.type)).toEqual([SubnetType.Application]);
        });

        it('gives the application subnet the canister range starting at lxzze-o7777-77777-aaaaa-cai', async () => {
            const [subnet] = await pic.getApplicationSubnets();
            expect(subnet?.canisterRanges.map((range) => range.start.toText())).toContain('lxzze-o7777-77777-aaaaa-cai');
        });

        it('allocates canister ids in order from the start of the application range', async () => {
            const fresh = await createPic();
            try {
                const first = await fresh.createCanister();
                const second = await fresh.createCanister();
                const third = await fresh.createCanister();
                expect([first.toText(), second.toText()]).toEqual(['lxzze-o7777-77777-aaaaa-cai', 'lqy7q-dh777-77777-aaaaq-cai']);
                expect(third.toText()).toBe(appSubnetCanisterId(2).toText());
            } finally {
                await fresh.tearDown();
            }
        });

        it('reports the subnet of a canister it created and none for an unknown id', async () => {
            const [subnet] = await pic.getApplicationSubnets();
            const canisterId = await pic.createCanister();
            expect((await pic.getCanisterSubnetId(canisterId))?.toText()).toBe(subnet?.id.toText());
            expect(await pic.getCanisterSubnetId(appSubnetCanisterId(5000))).toBeNull();
        });

        it('serves a DER public key for the subnet', async () => {
            const [subnet] = await pic.getApplicationSubnets();
            if (subnet === undefined) throw new Error('no application subnet');
            const key = await pic.getPubKey(subnet.id);
            // BLS12-381 G2 key with its 37-byte DER prefix.
            expect(key.length).toBe(133);
        });
    });

    describe('isolation', () => {
        let first: PocketIc;
        let second: PocketIc;
        beforeAll(async () => {
            first = await createPic();
            second = await createPic();
        });
        afterAll(async () => {
            await first.tearDown();
            await second.tearDown();
        });

        it('allocates ids independently in each instance', async () => {
            const a = await first.createCanister();
            const b = await second.createCanister();
            expect(a.toText()).toBe('lxzze-o7777-77777-aaaaa-cai');
            expect(b.toText()).toBe('lxzze-o7777-77777-aaaaa-cai');
        });

        it('keeps canister state, time and cycles separate between instances', async () => {
            const inFirst = await deployCounter(first, { label: 'first' });
            const inSecond = await deployCounter(second, { label: 'second' });
            await inFirst.actor.increment();
            await inFirst.actor.increment();
            expect(await inFirst.actor.getCount()).toBe(2n);
            expect(await inSecond.actor.getCount()).toBe(0n);
            expect(await inSecond.actor.initArg()).toEqual(['second']);

            const secondTime = await second.getTime();
            await first.advanceTime(3_600_000);
            expect(await second.getTime()).toBe(secondTime);

            const secondCycles = await second.getCyclesBalance(inSecond.canisterId);
            await first.addCycles(inFirst.canisterId, 1_000_000n);
            expect(await second.getCyclesBalance(inSecond.canisterId)).toBe(secondCycles);
        });
    });

    describe('tear down', () => {
        it('rejects use of a deleted instance without affecting other instances', async () => {
            const survivor = await createPic();
            const doomed = await createPic();
            await doomed.createCanister();
            await doomed.tearDown();
            await expect(doomed.getTime()).rejects.toThrow();
            const canisterId = await survivor.createCanister();
            expect(canisterId.toText()).toBe('lxzze-o7777-77777-aaaaa-cai');
            await survivor.tearDown();
        });
    });
});
