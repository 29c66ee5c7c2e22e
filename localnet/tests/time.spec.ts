/**
 * Conformance: instance time (get/set/advance), what `tick` does to it, and which time
 * canisters observe in updates and queries.
 */
import type { PocketIc } from '@dfinity/pic';

import { deployCounter } from '../../tests/integration/support/fixtures';
import type { CounterService } from '../../tests/integration/support/fixtures';
import type { Actor } from '@dfinity/pic';
import { NANOS_PER_MS, createPic } from '../../tests/integration/support/pic';

jest.setTimeout(120_000);

/** 2021-05-06T19:17:10Z, PocketIC's genesis time; instances never start before it. */
const GENESIS_MS = 1_620_328_630_000;

describe('Localnet > time', () => {
    let pic: PocketIc;
    let counter: Actor<CounterService>;

    beforeAll(async () => {
        pic = await createPic();
        ({ actor: counter } = await deployCounter(pic));
    });
    afterAll(async () => {
        await pic.tearDown();
    });

    it('starts at or after genesis', async () => {
        expect(await pic.getTime()).toBeGreaterThanOrEqual(GENESIS_MS);
    });

    it('setTime moves the instance time to exactly the given millisecond', async () => {
        const target = (await pic.getTime()) + 86_400_000;
        await pic.setTime(target);
        expect(await pic.getTime()).toBe(target);
    });

    it('advanceTime adds the given milliseconds', async () => {
        const before = await pic.getTime();
        await pic.advanceTime(5_000);
        expect(await pic.getTime()).toBe(before + 5_000);
    });

    it('refuses to move time backwards', async () => {
        const now = await pic.getTime();
        await expect(pic.setTime(now - 60_000)).rejects.toThrow();
        expect(await pic.getTime()).toBe(now);
    });

    it('tick moves time by at most a nanosecond per round', async () => {
        const target = (await pic.getTime()) + 1_000;
        await pic.setTime(target);
        await pic.tick(5);
        expect(await pic.getTime()).toBe(target);
        // getTime has millisecond resolution; the canister's ic0.time (a query sees the last
        // round's) shows drift below a millisecond.
        const drift = (await counter.now()) - BigInt(target) * 1_000_000n;
        expect(drift).toBeGreaterThanOrEqual(0n);
        expect(drift).toBeLessThanOrEqual(5n);
    });

    it('an update executes at the time that was set', async () => {
        const target = (await pic.getTime()) + 60_000;
        await pic.setTime(target);
        const seen = await counter.nowUpdate();
        const targetNs = BigInt(target) * NANOS_PER_MS;
        expect(seen).toBeGreaterThanOrEqual(targetNs);
        expect(seen).toBeLessThan(targetNs + NANOS_PER_MS);
    });

    it('a query sees the time of the last round, not a time set since', async () => {
        await pic.tick();
        const before = await counter.now();
        const target = (await pic.getTime()) + 120_000;
        await pic.setTime(target);
        expect(await counter.now()).toBe(before);
        await pic.tick();
        const targetNs = BigInt(target) * NANOS_PER_MS;
        const after = await counter.now();
        expect(after).toBeGreaterThanOrEqual(targetNs);
        expect(after).toBeLessThan(targetNs + NANOS_PER_MS);
    });

    it('setCertifiedTime makes the new time visible to queries at once', async () => {
        const target = (await pic.getTime()) + 30_000;
        await pic.setCertifiedTime(target);
        const seen = await counter.now();
        const targetNs = BigInt(target) * NANOS_PER_MS;
        expect(seen).toBeGreaterThanOrEqual(targetNs);
        expect(seen).toBeLessThan(targetNs + NANOS_PER_MS);
    });
});
