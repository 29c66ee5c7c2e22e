/**
 * Conformance: cycles as a 13-node application subnet charges them, one fee line at a time
 * (ingress, execution, calls and their refunds, storage over time, canister creation), the
 * freezing limit with the replica's codes and texts, and a canister that runs dry.
 *
 * Fees are checked against the published schedule (docs/localnet.md, "Cycles"): 1.2M + 2,000
 * per byte of ingress, 5M per execution + 1 per instruction, 260K + 1,000 per byte per call,
 * 127,000 per GiB per second of storage, 500B per canister created.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { createIdentity } from '@dfinity/pic';
import type { Actor, PocketIc } from '@dfinity/pic';

import { expectErr, expectOk } from '../../tests/integration/support/calls';
import { AZLE_SETTLE_TICKS, deployCaller, deployCounter, deployTicker } from '../../tests/integration/support/fixtures';
import type { CallerService } from '../../tests/integration/support/fixtures';
import { createPic, expectCallFailure, RejectCodeNumber } from '../../tests/integration/support/pic';

jest.setTimeout(240_000);

const NO_ARGS = new Uint8Array(IDL.encode([], []));
const GIB = 1024n ** 3n;
const DAY_SECONDS = 86_400n;
const MS_PER_DAY = 86_400_000;
const alice = createIdentity('alice');
const bob = createIdentity('bob');

/** `idle_cycles_burned_per_day` of `memoryBytes` on a 13-node subnet: 127,000 per GiB per second. */
const idlePerDay = (memoryBytes: bigint): bigint => (memoryBytes * 127_000n * DAY_SECONDS) / GIB;

describe('Localnet > cycles', () => {
    let pic: PocketIc;
    let caller: Actor<CallerService>;
    let callerId: Principal;

    // pic-js reads balances below 2^53 as numbers.
    const balance = async (id: Principal): Promise<bigint> => BigInt(await pic.getCyclesBalance(id));
    /** Cycles `id` spent while `action` ran. */
    async function spentBy(id: Principal, action: () => Promise<unknown>): Promise<bigint> {
        const before = await balance(id);
        await action().catch(() => undefined);
        return before - (await balance(id));
    }
    const rawUpdate = (canisterId: Principal, method: string, arg: Uint8Array): Promise<Uint8Array> =>
        pic.updateCall({ canisterId, method, arg });

    beforeAll(async () => {
        pic = await createPic();
        ({ actor: caller, canisterId: callerId } = await deployCaller(pic));
        await pic.tick(AZLE_SETTLE_TICKS);
    });
    afterAll(async () => {
        await pic.tearDown();
    });

    describe('ingress', () => {
        it('charges the receiving canister 1.2M plus 2,000 per byte of the message', async () => {
            // A missing method is refused after induction, so the induction fee is all it costs.
            const short = await spentBy(callerId, () => rawUpdate(callerId, 'no_such_method', new Uint8Array(100)));
            const long = await spentBy(callerId, () => rawUpdate(callerId, 'no_such_method', new Uint8Array(200)));
            expect(long - short).toBe(2_000n * 100n);
            const perByte = short - 1_200_000n;
            expect(perByte % 2_000n).toBe(0n);
            // The message is its envelope: the 100-byte argument plus sender, ids, method and expiry.
            expect(perByte / 2_000n).toBeGreaterThan(100n);
            expect(perByte / 2_000n).toBeLessThan(300n);
        });

        it('refuses a stranger\'s management call about a canister before induction, so the canister pays nothing', async () => {
            const failure = await expectCallFailure(pic.canisterStatus({ canisterId: callerId, sender: bob.getPrincipal() }));
            expect(failure.errorCode).toBe('CanisterInvalidController');
            expect(await spentBy(callerId, () => pic.canisterStatus({ canisterId: callerId, sender: bob.getPrincipal() }))).toBe(0n);
        });

        it('charges nothing for queries', async () => {
            expect(await spentBy(callerId, () => caller.ping())).toBe(0n);
        });
    });

    describe('execution', () => {
        it('charges an update 5M plus its instructions and refunds the rest of the 40B prepayment', async () => {
            // Same method-name length and argument: the same ingress fee, so the difference is the execution.
            const missing = await spentBy(callerId, () => rawUpdate(callerId, 'whoCallz', NO_ARGS));
            const executed = await spentBy(callerId, () => rawUpdate(callerId, 'whoCalls', NO_ARGS));
            const execution = executed - missing;
            expect(execution).toBeGreaterThanOrEqual(5_000_000n);
            expect(execution).toBeLessThan(5_000_000n + 10_000_000_000n);
        });
    });

    describe('metered execution', () => {
        it('charges 5M plus the instructions performance_counter counts, and those of the reply that follows', async () => {
            const { actor, canisterId } = await deployCounter(pic);
            await pic.tick(AZLE_SETTLE_TICKS);
            const missing = await spentBy(canisterId, () => rawUpdate(canisterId, 'instructionsSoFaz', NO_ARGS));
            let observed = 0n;
            const spent = await spentBy(canisterId, async () => {
                observed = await actor.instructionsSoFar();
            });
            const instructionsCharged = spent - missing - 5_000_000n;
            expect(observed).toBeGreaterThan(0n);
            expect(instructionsCharged).toBeGreaterThanOrEqual(observed);
            // After the counter is read only the reply is encoded and sent (about 1.2M instructions in Azle).
            expect(instructionsCharged - observed).toBeLessThan(5_000_000n);
        });
    });

    describe('heartbeats', () => {
        it('charge each round 5M plus the heartbeat instructions, and stop running while the canister is frozen', async () => {
            const { actor: ticker, canisterId } = await deployTicker(pic);
            await pic.tick(AZLE_SETTLE_TICKS);
            const beatsBefore = await ticker.beats();
            const round = await spentBy(canisterId, () => pic.tick());
            expect(await ticker.beats()).toBe(beatsBefore + 1n);
            expect(round).toBeGreaterThanOrEqual(5_000_000n);
            expect(round).toBeLessThan(5_000_000n + 10_000_000_000n);

            await pic.updateCanisterSettings({ canisterId, freezingThreshold: 2n ** 62n });
            expect(await spentBy(canisterId, () => pic.tick(3))).toBe(0n);
            await pic.updateCanisterSettings({ canisterId, freezingThreshold: 2_592_000n });
            // One more beat ran in the round that froze it (heartbeats go before the round's
            // messages); none while frozen, nor in the round that unfroze it.
            expect(await ticker.beats()).toBe(beatsBefore + 2n);
        });
    });

    describe('inter-canister calls', () => {
        it('charges the caller 260K + 1,000 per request byte, the response bytes, and both executions; the reservation comes back', async () => {
            const empty = await pic.createCanister();
            const arg = new Uint8Array(10);
            const callArg = new Uint8Array(IDL.encode([IDL.Principal, IDL.Text, IDL.Vec(IDL.Nat8), IDL.Nat], [empty, 'm', arg, 0n]));
            // `callRax` is refused unexecuted: the ingress fee of the same message.
            const ingress = await spentBy(callerId, () => rawUpdate(callerId, 'callRax', callArg));
            let rejectMessage = '';
            const total = await spentBy(callerId, async () => {
                rejectMessage = expectErr(await caller.callRaw(empty, 'm', arg, 0n)).message;
            });
            expect(rejectMessage).toContain('contains no Wasm module');
            const transmission = 260_000n + 1_000n * BigInt(1 + arg.length) + 1_000n * BigInt(Buffer.byteLength(rejectMessage));
            // callRaw's execution and its callback's: 5M each plus their instructions.
            const executions = total - ingress - transmission;
            expect(executions).toBeGreaterThanOrEqual(10_000_000n);
            // Without the refund the 2 MiB response reservation (2.1B) and the 40B callback prepayment would stay spent.
            expect(executions).toBeLessThan(10_000_000n + 2_000_000_000n);
        });

        it('answers ic0.cost_call with the call, the response reservation and the callback prepayment, and leaves only the liquid balance to spend', async () => {
            const { actor: poor, canisterId: poorId } = await deployCaller(pic, { cycles: 2_000_000_000_000n });
            await pic.tick(AZLE_SETTLE_TICKS);
            const { idleCyclesBurnedPerDay } = await pic.canisterStatus({ canisterId: poorId });
            // Leave 41B above the freezing limit: enough for the ingress and the 40B execution
            // prepayment, not for a call's 42.1B (260K + bytes + 2.1B reservation + 40B callback).
            const target = (await balance(poorId)) - 41_000_000_000n;
            await pic.updateCanisterSettings({ canisterId: poorId, freezingThreshold: (target * DAY_SECONDS) / idleCyclesBurnedPerDay + 1n });
            // Azle compares ic0.cost_call with ic0.canister_liquid_cycle_balance128 before calling.
            const failure = await expectCallFailure(poor.callRaw(callerId, 'ping', NO_ARGS, 0n));
            const costCall = 260_000n + 1_000n * BigInt('ping'.length + NO_ARGS.length) + 1_000n * 2_097_152n + 5_000_000n + 40_000_000_000n;
            const seen = /insufficient liquid cycles balance, available: (\d+), required: (\d+)/.exec(failure.message);
            expect(seen?.[2]).toBe(String(costCall));
            // The liquid balance is what is left above the freezing limit once the execution is prepaid.
            expect(BigInt(seen![1]!)).toBeLessThan(1_000_000_000n);
            expect(BigInt(seen![1]!)).toBeGreaterThan(0n);
        });

        it('refunds attached cycles the callee does not accept', async () => {
            const { canisterId: counterId } = await deployCounter(pic);
            const outcome = expectOk(await caller.callRaw(counterId, 'acceptCycles', new Uint8Array(IDL.encode([IDL.Nat], [100n])), 1_000_000n));
            expect(outcome.refunded).toBe(999_900n);
        });
    });

    describe('canister creation', () => {
        const createArg = new Uint8Array(IDL.encode([IDL.Record({ settings: IDL.Opt(IDL.Reserved), sender_canister_version: IDL.Opt(IDL.Nat64) })], [{ settings: [], sender_canister_version: [] }]));
        const idOf = (reply: Uint8Array): Principal =>
            (IDL.decode([IDL.Record({ canister_id: IDL.Principal })], reply)[0] as unknown as { canister_id: Principal }).canister_id;

        it('takes the 500B creation fee out of the cycles sent with create_canister', async () => {
            const reply = expectOk(await caller.callRaw(Principal.managementCanister(), 'create_canister', createArg, 1_000_000_000_000n));
            expect(reply.refunded).toBe(0n);
            expect(await balance(idOf(reply.reply))).toBe(500_000_000_000n);
        });

        it('refuses a create_canister that does not cover the fee, and returns the cycles', async () => {
            const failure = expectErr(await caller.callRaw(Principal.managementCanister(), 'create_canister', createArg, 100_000_000_000n));
            expect(failure.code).toBe(RejectCodeNumber.CanisterReject);
            expect(failure.message).toBe(
                // A management canister execution failure reaches a canister with its code prefix.
                "IC0403: Creating a canister requires a fee of 500000000000 that is deducted from the canister's initial balance but only 100000000000 cycles were received with the create_canister request."
            );
            expect(failure.refunded).toBe(100_000_000_000n);
        });

        it('charges nothing for provisional_create_canister_with_cycles', async () => {
            const id = await pic.createCanister({ cycles: 7_000_000_000_000n });
            expect(await balance(id)).toBe(7_000_000_000_000n);
        });
    });

    describe('storage', () => {
        it('charges idle_cycles_burned_per_day for each day that passes, for the memory the canister holds', async () => {
            const { canisterId } = await deployCounter(pic);
            await pic.tick(AZLE_SETTLE_TICKS);
            const status = await pic.canisterStatus({ canisterId });
            expect(status.idleCyclesBurnedPerDay).toBe(idlePerDay(status.memorySize));
            expect(status.idleCyclesBurnedPerDay).toBeGreaterThan(0n);
            const before = await balance(canisterId);
            await pic.advanceTime(MS_PER_DAY);
            await pic.tick();
            expect(before - (await balance(canisterId))).toBe(status.idleCyclesBurnedPerDay);
        });
    });

    describe('freezing', () => {
        it('refuses messages to a canister below its freezing limit with IC0207, the shortfall shown to controllers only', async () => {
            const { actor, canisterId } = await deployCounter(pic, { sender: alice.getPrincipal() });
            await pic.tick(AZLE_SETTLE_TICKS);
            const { idleCyclesBurnedPerDay } = await pic.canisterStatus({ canisterId, sender: alice.getPrincipal() });
            // A threshold this long puts the freezing limit far above any balance.
            await pic.updateCanisterSettings({ canisterId, freezingThreshold: 2n ** 62n, sender: alice.getPrincipal() });
            const frozenBalance = await balance(canisterId);

            actor.setIdentity(alice);
            const controller = await expectCallFailure(actor.increment());
            expect(controller.rejectCode).toBe('SysTransient');
            expect(controller.errorCode).toBe('CanisterOutOfCycles');
            const shortfall = /^Canister (\S+) is out of cycles: please top up the canister with at least (\d+) additional cycles$/.exec(controller.message);
            expect(shortfall?.[1]).toBe(canisterId.toText());
            expect(BigInt(shortfall![2]!)).toBeGreaterThan((idleCyclesBurnedPerDay * 2n ** 62n) / DAY_SECONDS - frozenBalance);

            actor.setIdentity(bob);
            const stranger = await expectCallFailure(actor.increment());
            expect(stranger.message).toBe(`Canister ${canisterId.toText()} is out of cycles`);

            const query = await expectCallFailure(actor.getCount());
            expect(query.errorCode).toBe('CanisterOutOfCycles');
            expect(query.message).toBe(
                `Canister ${canisterId.toText()} is unable to process query calls because it's frozen. Please top up the canister with cycles and try again.`
            );

            // A canister caller is refused at execution, reject code 2, and nothing is charged.
            const fromCanister = expectErr(await caller.callRaw(canisterId, 'increment', NO_ARGS, 0n));
            expect(fromCanister.code).toBe(RejectCodeNumber.SysTransient);
            expect(fromCanister.message).toBe(`Canister ${canisterId.toText()} is out of cycles`);
            expect(await balance(canisterId)).toBe(frozenBalance);

            // A small update_settings is inducted free, so the canister can be unfrozen.
            await pic.updateCanisterSettings({ canisterId, freezingThreshold: 2_592_000n, sender: alice.getPrincipal() });
            actor.setIdentity(alice);
            expect(await actor.increment()).toBe(1n);
        });

        it('refuses an install that cannot prepay the 300B install limit above the freezing limit', async () => {
            const canisterId = await pic.createCanister({ cycles: 100_000_000_000n });
            const failure = await expectCallFailure(
                pic.installCode({ canisterId, wasm: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]), arg: NO_ARGS })
            );
            expect(failure.errorCode).toBe('CanisterOutOfCycles');
            expect(failure.message).toMatch(
                new RegExp(`^Canister installation failed with \`Canister ${canisterId.toText()} is out of cycles: please top up the canister with at least \\d+ additional cycles\`\\.$`)
            );
        });
    });

    describe('a canister that runs dry', () => {
        it('is uninstalled when it cannot pay for its storage, its balance burned', async () => {
            const { canisterId } = await deployCounter(pic, { cycles: 1_000_000_000_000n });
            await pic.tick(AZLE_SETTLE_TICKS);
            const { idleCyclesBurnedPerDay } = await pic.canisterStatus({ canisterId });
            const days = (await balance(canisterId)) / idleCyclesBurnedPerDay + 2n;
            await pic.advanceTime(Number(days) * MS_PER_DAY);
            await pic.tick();
            expect(await balance(canisterId)).toBe(0n);
            const empty = await expectCallFailure(rawUpdate(canisterId, 'increment', NO_ARGS));
            expect(empty.errorCode).toBe('CanisterWasmModuleNotFound');
            // Even the ingress fee of a management call about it cannot be paid now.
            const unpaid = await expectCallFailure(pic.canisterStatus({ canisterId }));
            expect(unpaid.errorCode).toBe('CanisterOutOfCycles');
            await pic.addCycles(canisterId, 1_000_000_000_000n);
            expect((await pic.canisterStatus({ canisterId })).moduleHash).toBeNull();
        });
    });
});
