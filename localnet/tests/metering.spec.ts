/**
 * Conformance: instruction metering and limits, through the stock @dfinity/pic client.
 * - performance_counter returns the replica's count of a hand-built canister;
 * - the per-update (40B), per-query (5B) and inspect_message (200M) limits answer IC0522 with
 *   the replica's text, and the execution is rolled back;
 * - PocketIC's Benchmarking instruction config lifts the message and query limits;
 * - install_code's limit covers pre_upgrade and post_upgrade together, and a failed upgrade
 *   keeps the canister as it was (a server started with lowered limits, as
 *   `--instruction-limits` starts one);
 * - the round budget spreads a canister's self-calls over rounds.
 */
import { PocketIc, SubnetStateType } from '@dfinity/pic';
import { Principal } from '@dfinity/principal';

import { createInstance } from '../src/instance';
import { BlobStore } from '../src/server/blob-store';
import { startHttpServer, type RunningServer } from '../src/server/http-server';
import { InstanceRegistry } from '../src/server/registry';
import { BURN_STEP_BYTES, CALL_CONTEXT_COUNTERS, COUNT_PERFORMANCE_COUNTER, meteredCanisterWasm, readU32, readU64, u32Arg } from '../../tests/integration/support/metered-canister';
import { createPic, expectCallFailure } from '../../tests/integration/support/pic';
import { startServerProcess, type ServerProcess } from '../../tests/integration/support/server-process';
import { picUrl } from '../../tests/integration/support/server-handle';

jest.setTimeout(120_000);

const WASM = meteredCanisterWasm();
const EMPTY = new Uint8Array(0);

const limitText = (canisterId: Principal, limit: bigint): string =>
    `Error from Canister ${canisterId.toText()}: Canister exceeded the limit of ${limit} instructions for single message execution..\n` +
    'Try optimizing this method to consume fewer instructions or split the work across multiple messages. ' +
    'See documentation: http://internetcomputer.org/docs/current/references/execution-errors#instruction-limit-exceeded';

async function deploy(pic: PocketIc, arg = u32Arg(0)): Promise<Principal> {
    const canisterId = await pic.createCanister();
    await pic.installCode({ canisterId, wasm: WASM, arg });
    return canisterId;
}

const burns = async (pic: PocketIc, canisterId: Principal): Promise<number> => readU32(await pic.queryCall({ canisterId, method: 'burns', arg: EMPTY }));

describe('Localnet > instruction metering', () => {
    describe('on an application subnet', () => {
        let pic: PocketIc;
        let canisterId: Principal;
        beforeAll(async () => {
            pic = await createPic();
            canisterId = await deploy(pic);
        });
        afterAll(async () => {
            await pic.tearDown();
        });

        it('performance_counter(0) returns the instructions the replica counts', async () => {
            expect(readU64(await pic.queryCall({ canisterId, method: 'count', arg: EMPTY }))).toBe(COUNT_PERFORMANCE_COUNTER);
            expect(readU64(await pic.updateCall({ canisterId, method: 'count', arg: EMPTY }))).toBe(COUNT_PERFORMANCE_COUNTER);
        });

        it('performance_counter(1) adds the call context\'s earlier executions', async () => {
            const reply = await pic.updateCall({ canisterId, method: 'call_count', arg: EMPTY });
            expect({ callback: readU64(reply.subarray(0, 8)), callContext: readU64(reply.subarray(8, 16)) }).toEqual(CALL_CONTEXT_COUNTERS);
        });

        it('counts a bulk operation by its size', async () => {
            const counted = readU64(await pic.updateCall({ canisterId, method: 'burn', arg: u32Arg(3) }));
            // Three 1 MiB fills, the argument copy (500 + 4 bytes) and performance_counter (200),
            // plus the weights of the code around them (a few dozen per loop step).
            const charged = 3n * BigInt(BURN_STEP_BYTES) + 504n + 200n;
            expect(counted).toBeGreaterThan(charged);
            expect(counted).toBeLessThan(charged + 500n);
        });

        it('rejects an update past 40B instructions with IC0522 and rolls it back', async () => {
            const before = await burns(pic, canisterId);
            const failure = await expectCallFailure(pic.updateCall({ canisterId, method: 'huge_reply', arg: EMPTY }));
            expect(failure).toEqual({ rejectCode: 'CanisterError', errorCode: 'CanisterInstructionLimitExceeded', message: limitText(canisterId, 40_000_000_000n) });
            expect(await burns(pic, canisterId)).toBe(before);
        });

        it('rejects a query past 5B instructions with IC0522', async () => {
            const failure = await expectCallFailure(pic.queryCall({ canisterId, method: 'huge_query_reply', arg: EMPTY }));
            expect(failure).toEqual({ rejectCode: 'CanisterError', errorCode: 'CanisterInstructionLimitExceeded', message: limitText(canisterId, 5_000_000_000n) });
        });

        it('rejects an ingress message whose inspect_message passes 200M instructions', async () => {
            const inspected = await deploy(pic);
            // 200 fills of 1 MiB: about 210M instructions in canister_inspect_message.
            await pic.updateCall({ canisterId: inspected, method: 'set_inspect_burns', arg: u32Arg(200) });
            const failure = await expectCallFailure(pic.updateCall({ canisterId: inspected, method: 'burn', arg: u32Arg(0) }));
            expect(failure.errorCode).toBe('CanisterInstructionLimitExceeded');
            expect(failure.message).toBe(limitText(inspected, 200_000_000n));
            // The update never ran; queries do not go through inspect_message.
            expect(await burns(pic, inspected)).toBe(0);
        });

        it('spreads a canister flooding itself over rounds by its round budget', async () => {
            const flooder = await deploy(pic);
            // Six self-calls of just over 1B instructions each: with 2B + 1 per round (and 2M per
            // execution, 8M per canister), two run in a round.
            await pic.updateCall({ canisterId: flooder, method: 'flood', arg: u32Arg(6) });
            expect(await burns(pic, flooder)).toBe(2);
            await pic.tick();
            expect(await burns(pic, flooder)).toBe(4);
            await pic.tick();
            expect(await burns(pic, flooder)).toBe(6);
            await pic.tick(2);
            expect(await burns(pic, flooder)).toBe(6);
        });
    });

    describe('with the Benchmarking instruction config', () => {
        let pic: PocketIc;
        let production: PocketIc;
        beforeAll(async () => {
            pic = await PocketIc.create(picUrl(), { application: [{ state: { type: SubnetStateType.New }, enableBenchmarkingInstructionLimits: true }] });
            production = await createPic();
        });
        afterAll(async () => {
            await pic.tearDown();
            await production.tearDown();
        });

        it('lifts the query limit: 5,000 fills of 1 MiB (5.2B instructions) complete', async () => {
            const limited = await deploy(production);
            const failure = await expectCallFailure(production.queryCall({ canisterId: limited, method: 'burn_query', arg: u32Arg(5_000) }));
            expect(failure.errorCode).toBe('CanisterInstructionLimitExceeded');

            const canisterId = await deploy(pic);
            const counted = readU64(await pic.queryCall({ canisterId, method: 'burn_query', arg: u32Arg(5_000) }));
            expect(counted).toBeGreaterThan(5_000_000_000n);
        });

        it('lifts the update limit: the 1 GiB reply is charged, then fails on the heap instead', async () => {
            const canisterId = await deploy(pic);
            const failure = await expectCallFailure(pic.updateCall({ canisterId, method: 'huge_reply', arg: EMPTY }));
            expect(failure.errorCode).toBe('CanisterTrapped');
        });
    });

    describe('with lowered limits (the --instruction-limits flag)', () => {
        // 5.5M per install_code: pre_upgrade fills 1 MiB three times (about 3.15M), so
        // post_upgrade may fill once more but not three times.
        const INSTALL_LIMIT = 5_500_000n;
        let server: RunningServer;
        let pic: PocketIc;
        beforeAll(async () => {
            const registry = new InstanceRegistry(() => (config) => createInstance(config, { instructionLimits: { install: INSTALL_LIMIT }, log: () => undefined }));
            server = await startHttpServer({ host: '127.0.0.1', port: 0, context: { registry, blobs: new BlobStore() } });
            pic = await PocketIc.create(`http://127.0.0.1:${server.port}`);
        });
        afterAll(async () => {
            await pic.tearDown();
            await server.close();
        });

        it('counts pre_upgrade and post_upgrade against one install limit and keeps the canister on failure', async () => {
            const canisterId = await deploy(pic, u32Arg(3));
            await pic.updateCall({ canisterId, method: 'burn', arg: u32Arg(0) });
            await pic.upgradeCanister({ canisterId, wasm: WASM, arg: u32Arg(1) });
            expect(await burns(pic, canisterId)).toBe(0); // an upgrade starts a fresh heap

            await pic.updateCall({ canisterId, method: 'burn', arg: u32Arg(0) });
            const failure = await expectCallFailure(pic.upgradeCanister({ canisterId, wasm: WASM, arg: u32Arg(3) }));
            expect(failure).toEqual({ rejectCode: 'CanisterError', errorCode: 'CanisterInstructionLimitExceeded', message: limitText(canisterId, INSTALL_LIMIT) });
            // The old instance, heap included, is still there.
            expect(await burns(pic, canisterId)).toBe(1);
        });

        it('leaves a canister empty when canister_init passes the limit', async () => {
            const canisterId = await pic.createCanister();
            const failure = await expectCallFailure(pic.installCode({ canisterId, wasm: WASM, arg: u32Arg(6) }));
            expect(failure.errorCode).toBe('CanisterInstructionLimitExceeded');
            const empty = await expectCallFailure(pic.queryCall({ canisterId, method: 'burns', arg: EMPTY }));
            expect(empty.errorCode).toBe('CanisterWasmModuleNotFound');
        });
    });

    describe('on a server started with --instruction-limits', () => {
        let server: ServerProcess;
        let pic: PocketIc;
        beforeAll(async () => {
            server = await startServerProcess(['--instruction-limits', 'query=100000']);
            pic = await PocketIc.create(server.url);
        });
        afterAll(async () => {
            await pic.tearDown();
            await server.stop();
        });

        it('applies the flag to every instance it creates', async () => {
            const canisterId = await deploy(pic);
            expect(readU64(await pic.queryCall({ canisterId, method: 'count', arg: EMPTY }))).toBe(COUNT_PERFORMANCE_COUNTER);
            const failure = await expectCallFailure(pic.queryCall({ canisterId, method: 'burn_query', arg: u32Arg(1) }));
            expect(failure.message).toBe(limitText(canisterId, 100_000n));
            // Updates keep their own limit.
            expect(readU64(await pic.updateCall({ canisterId, method: 'burn', arg: u32Arg(1) }))).toBeGreaterThan(BigInt(BURN_STEP_BYTES));
        });
    });
});
