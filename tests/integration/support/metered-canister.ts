/**
 * A hand-built canister whose instruction counts are known exactly, for the metering
 * conformance tests (localnet/tests/metering.spec.ts). Methods take and return raw
 * little-endian integers, not Candid.
 *
 * Heap layout: the method names "burn_one" at 0 and "count" at 16, the canister's own id at 32, the number of
 * completed burns (i32) at 64, the inspect_message burn count at 76, scratch at 128, and the
 * 1 MiB region `burn` fills from 64 KiB.
 */
import { buildModule, I32, I64, op } from '../../../localnet/src/engine/wasm-builder';

const PERF = 0;
const APPEND = 1;
const REPLY = 2;
const SELF_SIZE = 3;
const SELF_COPY = 4;
const CALL_NEW = 5;
const CALL_PERFORM = 6;
const ARG_COPY = 7;
const ACCEPT = 8;

const IMPORTS = [
    { module: 'ic0', name: 'performance_counter', params: [I32], results: [I64] },
    { module: 'ic0', name: 'msg_reply_data_append', params: [I32, I32] },
    { module: 'ic0', name: 'msg_reply' },
    { module: 'ic0', name: 'canister_self_size', results: [I32] },
    { module: 'ic0', name: 'canister_self_copy', params: [I32, I32, I32] },
    { module: 'ic0', name: 'call_new', params: [I32, I32, I32, I32, I32, I32, I32, I32] },
    { module: 'ic0', name: 'call_perform', results: [I32] },
    { module: 'ic0', name: 'msg_arg_data_copy', params: [I32, I32, I32] },
    { module: 'ic0', name: 'accept_message' }
];

const BURNS = 64;
const INSPECT_BURNS = 76;
const SCRATCH = 128;
/** Bytes each burn step fills (and so instructions it is charged, plus its block's weight). */
export const BURN_STEP_BYTES = 1 << 20;

/**
 * `performance_counter(0)` of `count`, by the replica's rules: the method is one basic block
 * of weight 1 (entry) + 1 + 1 + 5 (call) + 1 (i64.store) + 1 + 1 + 5 + 5 = 21, charged
 * before the call, plus performance_counter's own 200.
 */
export const COUNT_PERFORMANCE_COUNTER = 221n;

/**
 * `call_count`, a call context of two executions, by the replica's rules:
 * - the call: weights 1 + (1+1+5+5) + (1+5+1+1+1+1+1+1+5) + (5+1) = 36, and the system API's
 *   charges canister_self_size 500 (twice), canister_self_copy 500 + 10 bytes, call_new 1,500
 *   + 10 + 5 bytes, call_perform 5,000: 8,061 in all;
 * - its reply callback reads performance_counter(0) after weights 1 + (1+1+5+1) x 2 +
 *   (1+1+5+5) = 29 and one 200 charge (229), then performance_counter(1): the call's
 *   8,061 + 29 + 400.
 */
export const CALL_CONTEXT_COUNTERS = { callback: 229n, callContext: 8_490n };

/** `arg` (an i32 at 0 of the argument) copied to the scratch word. */
const argToScratch = [...op.i32(SCRATCH), ...op.i32(0), ...op.i32(4), ...op.call(ARG_COPY)];

/** Fills the burn region `count` times, `count` read by `loadCount` (leaves local 0 at 0). */
const burnLoop = (loadCount: number[]): number[] => [
    ...loadCount,
    ...op.localSet(0),
    0x02, 0x40, // block
    0x03, 0x40, // loop
    ...op.localGet(0),
    0x45, // i32.eqz
    0x0d, 0x01, // br_if 1
    ...op.i32(65536),
    ...op.i32(0),
    ...op.i32(BURN_STEP_BYTES),
    ...op.memoryFill,
    ...op.localGet(0),
    ...op.i32(1),
    0x6b, // i32.sub
    ...op.localSet(0),
    0x0c, 0x00, // br 0
    0x0b,
    0x0b
];

const loadScratch = [...op.i32(SCRATCH), 0x28, 0x02, 0x00]; // i32.load
const incrementBurns = [...op.i32(BURNS), ...op.i32(BURNS), 0x28, 0x02, 0x00, ...op.i32(1), 0x6a, ...op.i32Store()];
/** Replies with performance_counter(0) as 8 bytes. */
const replyCounter = [...op.i32(SCRATCH), ...op.i32(0), ...op.call(PERF), ...op.i64Store(), ...op.i32(SCRATCH), ...op.i32(8), ...op.call(APPEND), ...op.call(REPLY)];

export function meteredCanisterWasm(): Uint8Array {
    const functions = [
        { export: 'canister_query count', body: [...replyCounter, ...op.end] },
        { export: 'canister_query burns', body: [...op.i32(BURNS), ...op.i32(4), ...op.call(APPEND), ...op.call(REPLY), ...op.end] },
        // Counts a burn, then asks to reply with 1 GiB: charged 500 + 50 x 2^30 before any copy.
        { export: 'canister_update huge_reply', body: [...incrementBurns, ...op.i32(0), ...op.i32(0x40000000), ...op.call(APPEND), ...op.call(REPLY), ...op.end] },
        // 500 + 50 x 10^8 = 5,000,000,500: over a query's 5B.
        { export: 'canister_query huge_query_reply', body: [...op.i32(0), ...op.i32(100_000_000), ...op.call(APPEND), ...op.call(REPLY), ...op.end] },
        // Fills 1 MiB `arg` times, counts a burn, replies with performance_counter(0).
        { export: 'canister_update burn', locals: [[1, I32]] as Array<[number, number]>, body: [...argToScratch, ...burnLoop(loadScratch), ...incrementBurns, ...replyCounter, ...op.end] },
        { export: 'canister_query burn_query', locals: [[1, I32]] as Array<[number, number]>, body: [...argToScratch, ...burnLoop(loadScratch), ...replyCounter, ...op.end] },
        // 1,000 fills: just over 1B instructions.
        { export: 'canister_update burn_one', locals: [[1, I32]] as Array<[number, number]>, body: [...burnLoop(op.i32(1000)), ...incrementBurns, ...replyCounter, ...op.end] },
        {
            // Calls its own burn_one `arg` times, then replies at once.
            export: 'canister_update flood',
            locals: [[1, I32]] as Array<[number, number]>,
            body: [
                ...op.i32(32), ...op.i32(0), ...op.call(SELF_SIZE), ...op.call(SELF_COPY),
                ...argToScratch,
                ...loadScratch,
                ...op.localSet(0),
                0x02, 0x40, 0x03, 0x40,
                ...op.localGet(0), 0x45, 0x0d, 0x01,
                ...op.i32(32), ...op.call(SELF_SIZE), ...op.i32(0), ...op.i32(8), ...op.i32(0), ...op.i32(0), ...op.i32(0), ...op.i32(0),
                ...op.call(CALL_NEW),
                ...op.call(CALL_PERFORM), ...op.drop,
                ...op.localGet(0), ...op.i32(1), 0x6b, ...op.localSet(0),
                0x0c, 0x00, 0x0b, 0x0b,
                ...op.call(REPLY),
                ...op.end
            ]
        },
        { export: 'canister_update set_inspect_burns', body: [...argToScratch, ...op.i32(INSPECT_BURNS), ...loadScratch, ...op.i32Store(), ...op.i32(0), ...op.i32(0), ...op.call(APPEND), ...op.call(REPLY), ...op.end] },
        { export: 'canister_inspect_message', locals: [[1, I32]] as Array<[number, number]>, body: [...burnLoop([...op.i32(INSPECT_BURNS), 0x28, 0x02, 0x00]), ...op.call(ACCEPT), ...op.end] },
        // install: fills 1 MiB `arg` times; upgrade: pre_upgrade fills 3 times, post_upgrade `arg` times.
        { export: 'canister_init', locals: [[1, I32]] as Array<[number, number]>, body: [...argToScratch, ...burnLoop(loadScratch), ...op.end] },
        { export: 'canister_pre_upgrade', locals: [[1, I32]] as Array<[number, number]>, body: [...burnLoop(op.i32(3)), ...op.end] },
        { export: 'canister_post_upgrade', locals: [[1, I32]] as Array<[number, number]>, body: [...argToScratch, ...burnLoop(loadScratch), ...op.end] },
        {
            // Calls its own `count`; the callback (table entry 1) replies with both counters.
            export: 'canister_update call_count',
            body: [
                ...op.i32(32), ...op.i32(0), ...op.call(SELF_SIZE), ...op.call(SELF_COPY),
                ...op.i32(32), ...op.call(SELF_SIZE), ...op.i32(16), ...op.i32(5), ...op.i32(1), ...op.i32(0), ...op.i32(1), ...op.i32(0),
                ...op.call(CALL_NEW),
                ...op.call(CALL_PERFORM), ...op.drop,
                ...op.end
            ]
        },
        // The reply callback of flood's calls (table entry 0): nothing to do.
        { params: [I32], body: [...op.end] },
        // The reply callback of call_count (table entry 1): performance_counter(0) and (1).
        {
            params: [I32],
            body: [
                ...op.i32(SCRATCH), ...op.i32(0), ...op.call(PERF), ...op.i64Store(),
                ...op.i32(SCRATCH + 8), ...op.i32(1), ...op.call(PERF), ...op.i64Store(),
                ...op.i32(SCRATCH), ...op.i32(16), ...op.call(APPEND), ...op.call(REPLY),
                ...op.end
            ]
        }
    ];
    return buildModule({
        imports: IMPORTS,
        functions,
        memoryPages: 32,
        table: [IMPORTS.length + functions.length - 2, IMPORTS.length + functions.length - 1],
        data: [
            { offset: 0, bytes: new TextEncoder().encode('burn_one') },
            { offset: 16, bytes: new TextEncoder().encode('count') }
        ]
    });
}

/** A u32 argument as the methods read it. */
export function u32Arg(value: number): Uint8Array {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value, true);
    return bytes;
}

export function readU64(bytes: Uint8Array): bigint {
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
}

export function readU32(bytes: Uint8Array): number {
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
}
