/**
 * Conformance: an application subnet with `cost_schedule: "Free"` (PocketIC's
 * `CanisterCyclesCostSchedule.Free`) charges nothing: no ingress, execution, call or storage fee.
 */
import { IDL } from '@dfinity/candid';
import { CanisterCyclesCostSchedule, PocketIc, SubnetStateType } from '@dfinity/pic';

import { expectOk } from '../../tests/integration/support/calls';
import { AZLE_SETTLE_TICKS, deployCaller, deployCounter } from '../../tests/integration/support/fixtures';
import { picUrl } from '../../tests/integration/support/server-handle';

jest.setTimeout(120_000);

describe('Localnet > cycles on a Free subnet', () => {
    let pic: PocketIc;
    beforeAll(async () => {
        pic = await PocketIc.create(picUrl(), { application: [{ state: { type: SubnetStateType.New }, costSchedule: CanisterCyclesCostSchedule.Free }] });
    });
    afterAll(async () => {
        await pic.tearDown();
    });

    it('keeps every balance unchanged through installs, updates, calls and a day of storage', async () => {
        const { actor: caller, canisterId: callerId } = await deployCaller(pic, { cycles: 1_000_000_000_000n });
        const { actor: counter, canisterId: counterId } = await deployCounter(pic, { cycles: 1_000_000_000_000n });
        await pic.tick(AZLE_SETTLE_TICKS);
        expect(BigInt(await pic.getCyclesBalance(callerId))).toBe(1_000_000_000_000n);
        await counter.increment();
        expectOk(await caller.callRaw(counterId, 'increment', new Uint8Array(IDL.encode([], [])), 0n));
        await pic.advanceTime(86_400_000);
        await pic.tick();
        expect(BigInt(await pic.getCyclesBalance(callerId))).toBe(1_000_000_000_000n);
        expect(BigInt(await pic.getCyclesBalance(counterId))).toBe(1_000_000_000_000n);
        expect((await pic.canisterStatus({ canisterId: counterId })).idleCyclesBurnedPerDay).toBe(0n);
    });
});
