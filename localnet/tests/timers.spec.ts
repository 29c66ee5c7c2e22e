/**
 * Conformance: global timers (Azle's setTimer) fire on the first round whose time reaches the
 * deadline, install_code clears the timer, heartbeats run once per round on running canisters.
 */
import type { PocketIc } from '@dfinity/pic';

import { AZLE_SETTLE_TICKS, counterArg, deployCounter, deployTicker, fixtureWasm } from '../../tests/integration/support/fixtures';
import { NANOS_PER_MS, createPic } from '../../tests/integration/support/pic';

jest.setTimeout(120_000);

const NANOS_PER_SECOND = 1_000_000_000n;

describe('Localnet > timers', () => {
    let pic: PocketIc;
    beforeEach(async () => {
        pic = await createPic();
    });
    afterEach(async () => {
        await pic.tearDown();
    });

    it('does not fire before the deadline, however many rounds run', async () => {
        const { actor } = await deployCounter(pic);
        await pic.tick(AZLE_SETTLE_TICKS);
        await actor.scheduleTimer(10, 'early');
        await pic.tick(5);
        await pic.advanceTime(9_000);
        await pic.tick(5);
        expect(await actor.timerFiredAt('early')).toEqual([]);
    });

    it('fires in the first round whose time reaches the deadline', async () => {
        const { actor } = await deployCounter(pic);
        await pic.tick(AZLE_SETTLE_TICKS);
        const setAt = await actor.scheduleTimer(10, 'due');
        await pic.advanceTime(9_999);
        await pic.tick();
        expect(await actor.timerFiredAt('due')).toEqual([]);
        await pic.advanceTime(1);
        await pic.tick();
        const [firedAt] = await actor.timerFiredAt('due');
        if (firedAt === undefined) throw new Error('the timer did not fire in the round that reached its deadline');
        expect(firedAt).toBeGreaterThanOrEqual(setAt + 10n * NANOS_PER_SECOND);
        expect(firedAt).toBeLessThan(setAt + 10n * NANOS_PER_SECOND + NANOS_PER_MS);
    });

    it('fires several timers in deadline order', async () => {
        const { actor } = await deployCounter(pic);
        await pic.tick(AZLE_SETTLE_TICKS);
        await actor.scheduleTimer(30, 'late');
        await actor.scheduleTimer(5, 'soon');
        await pic.advanceTime(6_000);
        await pic.tick();
        expect((await actor.timerFiredAt('soon')).length).toBe(1);
        expect(await actor.timerFiredAt('late')).toEqual([]);
        await pic.advanceTime(30_000);
        await pic.tick();
        const [soon] = await actor.timerFiredAt('soon');
        const [late] = await actor.timerFiredAt('late');
        expect(late).toBeDefined();
        expect(late! > soon!).toBe(true);
    });

    it('is cleared by install_code: a timer set before an upgrade never fires', async () => {
        const { actor, canisterId } = await deployCounter(pic);
        await pic.tick(AZLE_SETTLE_TICKS);
        await actor.scheduleTimer(10, 'before-upgrade');
        await pic.upgradeCanister({ canisterId, wasm: fixtureWasm('counter'), arg: counterArg() });
        await pic.advanceTime(20_000);
        await pic.tick(3);
        expect(await actor.timerFiredAt('before-upgrade')).toEqual([]);
        // A timer set after the upgrade still works.
        await actor.scheduleTimer(1, 'after-upgrade');
        await pic.advanceTime(1_000);
        await pic.tick();
        expect((await actor.timerFiredAt('after-upgrade')).length).toBe(1);
    });

    it('does not fire on a stopped canister, and fires once it is started again', async () => {
        const { actor, canisterId } = await deployCounter(pic);
        await pic.tick(AZLE_SETTLE_TICKS);
        await actor.scheduleTimer(5, 'while-stopped');
        await pic.stopCanister({ canisterId });
        await pic.advanceTime(10_000);
        await pic.tick(3);
        // A stopped canister answers no query, so the timer's own clock tells when it ran: time
        // jumps a minute between the stopped rounds and the start, and a firing while stopped
        // would have recorded the earlier time.
        await pic.advanceTime(60_000);
        const startedAtNs = BigInt(await pic.getTime()) * 1_000_000n;
        await pic.startCanister({ canisterId });
        await pic.tick(2);
        const [firedAt] = await actor.timerFiredAt('while-stopped');
        expect(firedAt).toBeDefined();
        expect(firedAt!).toBeGreaterThanOrEqual(startedAtNs);
    });
});

describe('Localnet > heartbeats', () => {
    let pic: PocketIc;
    beforeEach(async () => {
        pic = await createPic();
    });
    afterEach(async () => {
        await pic.tearDown();
    });

    it('runs canister_heartbeat exactly once per round', async () => {
        const { actor } = await deployTicker(pic);
        await pic.tick(AZLE_SETTLE_TICKS);
        const before = await actor.beats();
        await pic.tick(7);
        expect((await actor.beats()) - before).toBe(7n);
    });

    it('does not advance time by itself: heartbeats run without advanceTime', async () => {
        const { actor } = await deployTicker(pic);
        const time = await pic.getTime();
        await pic.tick(3);
        expect(await actor.beats()).toBeGreaterThanOrEqual(3n);
        expect(await pic.getTime()).toBe(time);
    });

    it('does not run heartbeats on a stopped canister', async () => {
        const { actor, canisterId } = await deployTicker(pic);
        await pic.tick(AZLE_SETTLE_TICKS);
        const before = await actor.beats();
        await pic.stopCanister({ canisterId });
        await pic.tick(20);
        await pic.startCanister({ canisterId });
        // stop and start each take at least one round, during which the canister may still beat.
        expect((await actor.beats()) - before).toBeLessThan(5n);
    });

    it('does not run heartbeats for a canister that does not export them', async () => {
        const { actor } = await deployCounter(pic);
        await pic.tick(AZLE_SETTLE_TICKS);
        const before = await actor.versionUpdate();
        await pic.tick(10);
        // Nothing ran in those rounds: the version moved only for the update itself.
        expect(await actor.version()).toBe(before + 1n);
    });
});
