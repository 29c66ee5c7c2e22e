/**
 * Conformance: the management canister as pic-js drives it: controllers and their permission
 * checks, canister_status, cycles, stable memory get/set.
 */
import { createIdentity } from '@dfinity/pic';
import type { PocketIc } from '@dfinity/pic';

import { AZLE_SETTLE_TICKS, counterArg, deployCounter, fixtureWasm } from '../../tests/integration/support/fixtures';
import { createPic, expectReject, sha256 } from '../../tests/integration/support/pic';

jest.setTimeout(120_000);

const alice = createIdentity('alice');
const bob = createIdentity('bob');

const STABLE_PAGE = 65_536;

describe('Localnet > management canister', () => {
    let pic: PocketIc;
    beforeEach(async () => {
        pic = await createPic();
    });
    afterEach(async () => {
        await pic.tearDown();
    });

    describe('controllers', () => {
        it('makes the creator the controller when none are given', async () => {
            const canisterId = await pic.createCanister({ sender: alice.getPrincipal() });
            const controllers = await pic.getControllers(canisterId);
            expect(controllers.map((p) => p.toText())).toEqual([alice.getPrincipal().toText()]);
        });

        it('uses the controllers given at creation', async () => {
            const canisterId = await pic.createCanister({ sender: alice.getPrincipal(), controllers: [bob.getPrincipal()] });
            const controllers = await pic.getControllers(canisterId);
            expect(controllers.map((p) => p.toText())).toEqual([bob.getPrincipal().toText()]);
        });

        it('exposes controllers to the canister through ic0.is_controller', async () => {
            const { actor } = await deployCounter(pic, { sender: alice.getPrincipal() });
            actor.setIdentity(alice);
            expect(await actor.isCallerController()).toBe(true);
            actor.setIdentity(bob);
            expect(await actor.isCallerController()).toBe(false);
        });

        describe('a stranger', () => {
            it('cannot install code', async () => {
                const canisterId = await pic.createCanister({ sender: alice.getPrincipal() });
                await expectReject(
                    pic.installCode({ canisterId, wasm: fixtureWasm('counter'), arg: counterArg(), sender: bob.getPrincipal() }),
                    { rejectCode: 'CanisterError', errorCode: 'CanisterInvalidController' }
                );
                const status = await pic.canisterStatus({ canisterId, sender: alice.getPrincipal() });
                expect(status.moduleHash).toBeNull();
            });

            it('cannot stop the canister', async () => {
                const canisterId = await pic.createCanister({ sender: alice.getPrincipal() });
                await expectReject(pic.stopCanister({ canisterId, sender: bob.getPrincipal() }), {
                    rejectCode: 'CanisterError',
                    errorCode: 'CanisterInvalidController'
                });
                const status = await pic.canisterStatus({ canisterId, sender: alice.getPrincipal() });
                expect(status.status).toEqual({ running: null });
            });

            it('cannot read the canister status or change its settings', async () => {
                const canisterId = await pic.createCanister({ sender: alice.getPrincipal() });
                await expectReject(pic.canisterStatus({ canisterId, sender: bob.getPrincipal() }), {
                    rejectCode: 'CanisterError',
                    errorCode: 'CanisterInvalidController'
                });
                await expectReject(
                    pic.updateCanisterSettings({ canisterId, controllers: [bob.getPrincipal()], sender: bob.getPrincipal() }),
                    { rejectCode: 'CanisterError', errorCode: 'CanisterInvalidController' }
                );
                expect((await pic.getControllers(canisterId)).map((p) => p.toText())).toEqual([alice.getPrincipal().toText()]);
            });
        });

        it('lets a controller hand control to someone else with update_settings', async () => {
            const canisterId = await pic.createCanister({ sender: alice.getPrincipal() });
            await pic.updateCanisterSettings({ canisterId, controllers: [bob.getPrincipal()], sender: alice.getPrincipal() });
            expect((await pic.getControllers(canisterId)).map((p) => p.toText())).toEqual([bob.getPrincipal().toText()]);
            await pic.stopCanister({ canisterId, sender: bob.getPrincipal() });
            await expectReject(pic.startCanister({ canisterId, sender: alice.getPrincipal() }), {
                rejectCode: 'CanisterError',
                errorCode: 'CanisterInvalidController'
            });
        });
    });

    describe('canister_status', () => {
        it('describes a new empty canister', async () => {
            const canisterId = await pic.createCanister({ sender: alice.getPrincipal(), cycles: 7_000_000_000_000n });
            const status = await pic.canisterStatus({ canisterId, sender: alice.getPrincipal() });
            expect(status.status).toEqual({ running: null });
            expect(status.moduleHash).toBeNull();
            expect(status.settings.controllers.map((p) => p.toText())).toEqual([alice.getPrincipal().toText()]);
            expect(status.settings.freezingThreshold).toBe(2_592_000n);
            expect(status.settings.computeAllocation).toBe(0n);
            expect(status.settings.memoryAllocation).toBe(0n);
            expect(status.cycles).toBeGreaterThan(0n);
            expect(status.cycles).toBeLessThanOrEqual(7_000_000_000_000n);
        });

        it('reports the module hash, memory and the status after a stop', async () => {
            const wasm = fixtureWasm('counter');
            const { canisterId } = await deployCounter(pic);
            const running = await pic.canisterStatus({ canisterId });
            expect(running.moduleHash).toEqual(sha256(wasm));
            expect(running.memorySize).toBeGreaterThan(0n);
            await pic.stopCanister({ canisterId });
            const stopped = await pic.canisterStatus({ canisterId });
            expect(stopped.status).toEqual({ stopped: null });
        });

        it('reflects settings changed by update_settings', async () => {
            const canisterId = await pic.createCanister();
            await pic.updateCanisterSettings({ canisterId, freezingThreshold: 1_000n });
            const status = await pic.canisterStatus({ canisterId });
            expect(status.settings.freezingThreshold).toBe(1_000n);
        });
    });

    describe('cycles', () => {
        it('credits the cycles given at creation', async () => {
            const canisterId = await pic.createCanister({ cycles: 3_000_000_000_000n });
            const balance = await pic.getCyclesBalance(canisterId);
            expect(balance).toBeGreaterThan(2_900_000_000_000n);
            expect(balance).toBeLessThanOrEqual(3_000_000_000_000n);
        });

        it('adds cycles and returns the new balance', async () => {
            const canisterId = await pic.createCanister();
            const before = await pic.getCyclesBalance(canisterId);
            const after = await pic.addCycles(canisterId, 123_456_789n);
            expect(after).toBe(before + 123_456_789n);
            expect(await pic.getCyclesBalance(canisterId)).toBe(after);
        });

        it('handles balances above 2^64', async () => {
            const canisterId = await pic.createCanister({ cycles: 0n });
            const big = 2n ** 70n;
            const after = await pic.addCycles(canisterId, big);
            expect(after).toBeGreaterThanOrEqual(big);
            expect(await pic.getCyclesBalance(canisterId)).toBe(after);
        });

        it('shows the canister its own balance', async () => {
            const { actor, canisterId } = await deployCounter(pic);
            await pic.tick(AZLE_SETTLE_TICKS);
            const seen = await actor.cycleBalance();
            const reported = await pic.getCyclesBalance(canisterId);
            expect(seen).toBe(reported);
        });
    });

    describe('stable memory', () => {
        it('round-trips bytes through setStableMemory / getStableMemory', async () => {
            const { canisterId } = await deployCounter(pic);
            const bytes = new Uint8Array(2 * STABLE_PAGE);
            for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 7 + 3) % 251;
            await pic.setStableMemory(canisterId, bytes);
            const read = await pic.getStableMemory(canisterId);
            expect(read.length).toBe(bytes.length);
            expect(Buffer.from(read).equals(Buffer.from(bytes))).toBe(true);
        });

        it('reads back what the canister wrote, and restores it into another canister', async () => {
            const source = await deployCounter(pic);
            await source.actor.put('snapshot-key', 'snapshot-value');
            const image = await pic.getStableMemory(source.canisterId);
            expect(image.length % STABLE_PAGE).toBe(0);
            expect(Buffer.from(image).includes(Buffer.from('snapshot-value'))).toBe(true);

            const target = await deployCounter(pic);
            await pic.setStableMemory(target.canisterId, image);
            // post_upgrade re-reads the stable structures from the restored image.
            await pic.upgradeCanister({ canisterId: target.canisterId, wasm: fixtureWasm('counter'), arg: counterArg() });
            expect(await target.actor.get('snapshot-key')).toEqual(['snapshot-value']);
        });
    });
});
