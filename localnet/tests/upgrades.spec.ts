/**
 * Conformance: install / reinstall / upgrade through install_code and the chunk store (every
 * Azle wasm is above pic-js's 1.85 MB threshold), gzip-compressed modules, and what each mode
 * keeps or drops.
 */
import { gzipSync } from 'node:zlib';

import type { PocketIc } from '@dfinity/pic';

import {
    AZLE_SETTLE_TICKS,
    TRAP_LABEL,
    counterArg,
    deployCounter,
    deployFiller,
    fillerValue,
    fixtureWasm,
    idlFactories
} from '../../tests/integration/support/fixtures';
import type { CounterService } from '../../tests/integration/support/fixtures';
import { createPic, expectReject, sha256 } from '../../tests/integration/support/pic';

jest.setTimeout(300_000);

/** pic-js switches to the chunk store above this many bytes of wasm + argument. */
const CHUNKED_INSTALL_THRESHOLD = 1_850_000;

describe('Localnet > upgrades', () => {
    let pic: PocketIc;
    beforeEach(async () => {
        pic = await createPic();
    });
    afterEach(async () => {
        await pic.tearDown();
    });

    describe('install', () => {
        it('installs a wasm above the ingress limit through the chunk store', async () => {
            const wasm = fixtureWasm('counter');
            expect(wasm.length).toBeGreaterThan(CHUNKED_INSTALL_THRESHOLD);
            const { actor, canisterId } = await deployCounter(pic, { label: 'chunked' });
            expect(await actor.initArg()).toEqual(['chunked']);
            expect((await pic.canisterStatus({ canisterId })).moduleHash).toEqual(sha256(wasm));
        });

        it('installs a gzip-compressed module and hashes the bytes as sent', async () => {
            const gzipped = new Uint8Array(gzipSync(fixtureWasm('counter')));
            expect(gzipped.length).toBeLessThan(CHUNKED_INSTALL_THRESHOLD);
            const canisterId = await pic.createCanister();
            await pic.installCode({ canisterId, wasm: gzipped, arg: counterArg('gzip') });
            const actor = pic.createActor<CounterService>(idlFactories.counter, canisterId);
            expect(await actor.initArg()).toEqual(['gzip']);
            expect(await actor.increment()).toBe(1n);
            expect((await pic.canisterStatus({ canisterId })).moduleHash).toEqual(sha256(gzipped));
        });

        it('leaves the canister empty when init traps', async () => {
            const canisterId = await pic.createCanister();
            // An init argument that does not decode as `opt text` makes Azle's init trap.
            await expect(pic.installCode({ canisterId, wasm: fixtureWasm('counter'), arg: new Uint8Array([1, 2, 3]) })).rejects.toThrow();
            expect((await pic.canisterStatus({ canisterId })).moduleHash).toBeNull();
        });

        it('rejects upgrading a canister that has no module', async () => {
            const canisterId = await pic.createCanister();
            await expect(pic.upgradeCanister({ canisterId, wasm: fixtureWasm('counter'), arg: counterArg() })).rejects.toThrow();
            expect((await pic.canisterStatus({ canisterId })).moduleHash).toBeNull();
        });
    });

    describe('upgrade', () => {
        it('keeps stable memory, drops the heap, runs post_upgrade with its argument and not init', async () => {
            const { actor, canisterId } = await deployCounter(pic, { label: 'v1' });
            await actor.increment();
            await actor.put('durable', 'yes');
            await pic.upgradeCanister({ canisterId, wasm: fixtureWasm('counter'), arg: counterArg('v2') });
            expect(await actor.get('durable')).toEqual(['yes']);
            expect(await actor.getCount()).toBe(0n);
            expect(await actor.initArg()).toEqual([]);
            expect(await actor.postUpgradeArg()).toEqual(['v2']);
            expect(await actor.upgradeCount()).toBe(1n);
            expect(await actor.preUpgradeCount()).toBe(1n);
        });

        it('accepts a gzip-compressed module for an upgrade', async () => {
            const { actor, canisterId } = await deployCounter(pic);
            await actor.put('durable', 'yes');
            const gzipped = new Uint8Array(gzipSync(fixtureWasm('counter')));
            await pic.upgradeCanister({ canisterId, wasm: gzipped, arg: counterArg('gz') });
            expect(await actor.get('durable')).toEqual(['yes']);
            expect(await actor.postUpgradeArg()).toEqual(['gz']);
            expect((await pic.canisterStatus({ canisterId })).moduleHash).toEqual(sha256(gzipped));
        });

        it('keeps the old module and all old state when post_upgrade traps', async () => {
            const gzipped = new Uint8Array(gzipSync(fixtureWasm('counter')));
            const { actor, canisterId } = await deployCounter(pic, { label: 'old' });
            await actor.increment();
            await actor.put('durable', 'old');
            await expectReject(pic.upgradeCanister({ canisterId, wasm: gzipped, arg: counterArg(TRAP_LABEL) }), {
                rejectCode: 'CanisterError',
                errorCode: 'CanisterCalledTrap'
            });
            expect(await actor.getCount()).toBe(1n);
            expect(await actor.initArg()).toEqual(['old']);
            expect(await actor.get('durable')).toEqual(['old']);
            // pre_upgrade ran and committed its stable write inside the failed upgrade: rolled back too.
            expect(await actor.preUpgradeCount()).toBe(0n);
            expect(await actor.upgradeCount()).toBe(0n);
            expect((await pic.canisterStatus({ canisterId })).moduleHash).toEqual(sha256(fixtureWasm('counter')));
            expect(await actor.increment()).toBe(2n);
        });

        it('keeps the old module and all old state when pre_upgrade traps', async () => {
            const { actor, canisterId } = await deployCounter(pic, { label: 'old' });
            await actor.increment();
            await actor.setPreUpgradeTrap(true);
            await expectReject(pic.upgradeCanister({ canisterId, wasm: fixtureWasm('counter'), arg: counterArg('new') }), {
                rejectCode: 'CanisterError',
                errorCode: 'CanisterCalledTrap'
            });
            expect(await actor.getCount()).toBe(1n);
            expect(await actor.initArg()).toEqual(['old']);
            expect(await actor.preUpgradeCount()).toBe(0n);
            expect(await actor.increment()).toBe(2n);
        });

        it('increments canister_version on upgrade', async () => {
            const { actor, canisterId } = await deployCounter(pic);
            await pic.tick(AZLE_SETTLE_TICKS);
            const before = await actor.version();
            await pic.upgradeCanister({ canisterId, wasm: fixtureWasm('counter'), arg: counterArg() });
            expect(await actor.version()).toBeGreaterThan(before);
        });

        it('keeps 5,000 StableBTreeMap entries across an upgrade', async () => {
            const { actor, canisterId } = await deployFiller(pic);
            const batch = 1_000;
            for (let start = 0; start < 5_000; start += batch) {
                await actor.fill(start, batch);
            }
            expect(await actor.len()).toBe(5_000n);
            await pic.upgradeCanister({ canisterId, wasm: fixtureWasm('filler') });
            expect(await actor.len()).toBe(5_000n);
            expect(await actor.get(0)).toEqual([fillerValue(0)]);
            expect(await actor.get(4_999)).toEqual([fillerValue(4_999)]);
        });
    });

    describe('reinstall', () => {
        it('wipes heap and stable memory and runs init with the new argument', async () => {
            const { actor, canisterId } = await deployCounter(pic, { label: 'first' });
            await actor.increment();
            await actor.put('durable', 'yes');
            await pic.reinstallCode({ canisterId, wasm: fixtureWasm('counter'), arg: counterArg('second') });
            expect(await actor.getCount()).toBe(0n);
            expect(await actor.get('durable')).toEqual([]);
            expect(await actor.initArg()).toEqual(['second']);
            expect(await actor.upgradeCount()).toBe(0n);
        });

        it('keeps the old state when init traps during a reinstall', async () => {
            const { actor, canisterId } = await deployCounter(pic, { label: 'first' });
            await actor.put('durable', 'yes');
            await expect(pic.reinstallCode({ canisterId, wasm: fixtureWasm('counter'), arg: new Uint8Array([9, 9]) })).rejects.toThrow();
            expect(await actor.get('durable')).toEqual(['yes']);
            expect(await actor.initArg()).toEqual(['first']);
        });
    });
});
