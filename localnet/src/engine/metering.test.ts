/**
 * Instruction counts of small hand-built modules, computed by hand from the replica's
 * instrumentation rules (instruction weights, basic blocks, dynamic bulk-memory charges,
 * system API charges), and the limit that stops an execution and rolls it back.
 */
import { InstructionLimitExceeded } from './errors';
import { Execution, type ExecutionKind } from './execution';
import { injectionPoints, opCost } from './metering';
import { rewriteModule } from './module-rewrite';
import { StableMemory } from './stable-memory';
import { createSystemApi } from './system-api';
import { SYSTEM_API_CHARGES } from './system-api-charges';
import { buildModule, I32, I64, op, type FunctionSpec } from './wasm-builder';
import { InvalidModuleError, ModuleCache, type ModuleOptions } from './wasm-module';
import { WasmRuntime } from './wasm-runtime';

const CANISTER = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xe0, 0x00, 0x00, 0x01, 0x01]);

const IMPORTS = [
    { module: 'ic0', name: 'performance_counter', params: [I32], results: [I64] }, // 0
    { module: 'ic0', name: 'msg_reply_data_append', params: [I32, I32] }, // 1
    { module: 'ic0', name: 'msg_reply' } // 2
];
const PERF = 0;
const APPEND = 1;
const REPLY = 2;

/** 3 + 3 iterations of a 6-weight loop body = 21. */
const LOOP_THREE_TIMES: FunctionSpec = {
    export: 'canister_update loop',
    locals: [[1, I32]],
    body: [
        ...op.i32(3), // 1 (+1 for entering the function)
        ...op.localSet(0), // 1
        0x03, 0x40, // loop: 0; the first block costs 3
        ...op.localGet(0), // 1
        ...op.i32(1), // 1
        0x6b, // i32.sub: 1
        ...op.localTee(0), // 1
        0x0d, 0x00, // br_if 0: 2; the loop body costs 6
        0x0b, // end
        0x0b
    ]
};

const FUNCTIONS: FunctionSpec[] = [
    // 1 + 1 + 1 + 1 + 1 = 5
    { export: 'canister_query straight', body: [...op.i32(7), ...op.i32(8), 0x6a, ...op.drop, ...op.end] },
    LOOP_THREE_TIMES,
    {
        // Taken branch: 1 + (1 + 2) for the block ending at `if`, then 2 for the then-block = 6;
        // the else-block (4) is not executed.
        export: 'canister_update branch',
        body: [...op.i32(1), 0x04, 0x40, ...op.i32(10), ...op.drop, 0x05, ...op.i32(20), ...op.drop, ...op.i32(30), ...op.drop, 0x0b, 0x0b]
    },
    // 1 + 3 consts + memory.fill's weight 100 = 104, plus the 1,000 bytes it fills = 1,104.
    { export: 'canister_update fill', body: [...op.i32(0), ...op.i32(0), ...op.i32(1000), ...op.memoryFill, ...op.end] },
    {
        // One block of weight 1 + 1+1+5+1 + 1+1+5 + 5 = 21 (calls do not end a block), charged
        // before performance_counter runs: it reads 21 + its own 200 = 221. Then the reply
        // costs 500 + 50 per byte (8) and msg_reply 500: 21 + 200 + 900 + 500 = 1,621.
        export: 'canister_query perf',
        body: [...op.i32(0), ...op.i32(0), ...op.call(PERF), ...op.i64Store(), ...op.i32(0), ...op.i32(8), ...op.call(APPEND), ...op.call(REPLY), ...op.end]
    },
    {
        // Writes the heap, then asks to reply with 1 GiB: the charge (500 + 50 x 2^30) alone
        // is over any per-message limit, so nothing is copied and the write is rolled back.
        export: 'canister_update huge_reply',
        body: [...op.i32(64), ...op.i32(42), ...op.i32Store(), ...op.i32(0), ...op.i32(0x40000000), ...op.call(APPEND), ...op.end]
    },
    {
        // Writes the heap, then loops three times (as LOOP_THREE_TIMES): 1 + 1+1+1 + 1+1 + 0 = 6,
        // then 6 per iteration.
        export: 'canister_update write_then_loop',
        locals: [[1, I32]],
        body: [...op.i32(64), ...op.i32(7), ...op.i32Store(), ...LOOP_THREE_TIMES.body]
    }
];

const MODULE = buildModule({ imports: IMPORTS, functions: FUNCTIONS });

/** Without the disk cache, so every run tests the rewrite as it is now. */
const modules = (options: ModuleOptions): ModuleCache => new ModuleCache({ ...options, diskCache: false });

function runtimeFor(options: ModuleOptions): WasmRuntime {
    const module = modules(options).load(MODULE);
    return new WasmRuntime(module, new StableMemory(), () => undefined, CANISTER);
}

function execution(kind: ExecutionKind, instructionLimit?: bigint, callContextInstructions?: bigint): Execution {
    return new Execution({
        kind,
        canisterId: CANISTER,
        time: 1n,
        canAnswer: true,
        balance: 0n,
        timer: 0n,
        certifiedData: new Uint8Array(0),
        canisterVersion: 1n,
        controllers: [],
        ...(instructionLimit === undefined ? {} : { instructionLimit }),
        ...(callContextInstructions === undefined ? {} : { callContextInstructions })
    });
}

const replyU64 = (e: Execution): bigint => {
    if (e.answer?.kind !== 'reply') throw new Error('no reply');
    return new DataView(e.answer.payload.buffer, e.answer.payload.byteOffset).getBigUint64(0, true);
};

const heapWord = (runtime: WasmRuntime, offset: number): number => new DataView(runtime.exportState().heap.buffer).getInt32(offset, true);

describe('Localnet > engine > instruction metering', () => {
    const metered = { trackWrites: true, meter: true };

    it('uses the replica weights for instructions', () => {
        expect(opCost(0x6a, -1)).toBe(1); // i32.add
        expect(opCost(0x6d, -1)).toBe(10); // i32.div_s
        expect(opCost(0x10, -1)).toBe(5); // call
        expect(opCost(0x11, -1)).toBe(10); // call_indirect
        expect(opCost(0x23, -1)).toBe(2); // global.get
        expect(opCost(0x40, -1)).toBe(300); // memory.grow
        expect(opCost(0x96, -1)).toBe(18); // f32.min
        expect(opCost(0xd2, -1)).toBe(130); // ref.func
        expect(opCost(0x02, -1)).toBe(0); // block
        expect(opCost(0xfc, 11)).toBe(100); // memory.fill
        expect(opCost(0xfc, 9)).toBe(300); // data.drop
    });

    it('cuts a body into blocks at loops and branches, checking only re-enterable ones', () => {
        const body = Uint8Array.from(LOOP_THREE_TIMES.body);
        const points = injectionPoints(body, 0, body.length);
        expect(points).toEqual([
            { offset: 0, kind: 'static', cost: 3, check: true },
            { offset: 6, kind: 'static', cost: 6, check: true }
        ]);
    });

    it.each([
        ['canister_query straight', 5n],
        ['canister_update loop', 21n],
        ['canister_update branch', 6n],
        ['canister_update fill', 1_104n],
        ['canister_query perf', 1_621n]
    ])('counts %s as %d instructions', (entry, expected) => {
        const runtime = runtimeFor(metered);
        const e = execution(entry.startsWith('canister_query') ? 'query' : 'update');
        const result = runtime.run(e, { export: entry }, 'all');
        expect(result.trap).toBeNull();
        expect(result.instructions).toBe(expected);
        expect(e.instructions).toBe(expected);
    });

    it('gives the same counts without write tracking (its code is not metered)', () => {
        const runtime = runtimeFor({ trackWrites: false, meter: true });
        expect(runtime.run(execution('update'), { export: 'canister_update loop' }, 'all').instructions).toBe(21n);
        expect(runtime.run(execution('update'), { export: 'canister_update fill' }, 'all').instructions).toBe(1_104n);
    });

    it('performance_counter(0) reads this execution, (1) adds the call context before it', () => {
        const runtime = runtimeFor(metered);
        const first = execution('query');
        runtime.run(first, { export: 'canister_query perf' }, 'none');
        expect(replyU64(first)).toBe(221n);
        // The same body reading counter 1 in a call context that already used 10,000.
        const module = buildModule({
            imports: IMPORTS,
            functions: [{ export: 'canister_update perf1', body: [...op.i32(0), ...op.i32(1), ...op.call(PERF), ...op.i64Store(), ...op.i32(0), ...op.i32(8), ...op.call(APPEND), ...op.call(REPLY), ...op.end] }]
        });
        const contextRuntime = new WasmRuntime(modules(metered).load(module), new StableMemory(), () => undefined, CANISTER);
        const second = execution('update', undefined, 10_000n);
        contextRuntime.run(second, { export: 'canister_update perf1' }, 'all');
        expect(replyU64(second)).toBe(10_221n);
    });

    it('counts only the system API charges of a module it does not meter', () => {
        const runtime = runtimeFor({ trackWrites: true, meter: false });
        const e = execution('query');
        expect(runtime.run(e, { export: 'canister_query perf' }, 'none').instructions).toBe(1_600n);
        expect(replyU64(e)).toBe(200n);
    });

    it('stops a loop at the first check past the limit and rolls the execution back', () => {
        const runtime = runtimeFor(metered);
        // 6 before the loop, then 6 per iteration: 18 after two iterations passes a limit of 17.
        const result = runtime.run(execution('update', 17n), { export: 'canister_update write_then_loop' }, 'all');
        expect(result.trap).toBeInstanceOf(InstructionLimitExceeded);
        expect((result.trap as InstructionLimitExceeded).limit).toBe(17n);
        expect(result.instructions).toBe(18n);
        expect(heapWord(runtime, 64)).toBe(0);
        // Within the limit the same execution commits.
        const ok = runtime.run(execution('update', 24n), { export: 'canister_update write_then_loop' }, 'all');
        expect(ok.trap).toBeNull();
        expect(ok.instructions).toBe(24n);
        expect(heapWord(runtime, 64)).toBe(7);
    });

    it('charges a system call before it runs, so a huge size fails on the limit, not on the copy', () => {
        const runtime = runtimeFor(metered);
        const result = runtime.run(execution('update', 40_000_000_000n), { export: 'canister_update huge_reply' }, 'all');
        expect(result.trap).toBeInstanceOf(InstructionLimitExceeded);
        expect(result.trap?.message).toBe('Canister exceeded the limit of 40000000000 instructions for single message execution.');
        expect(heapWord(runtime, 64)).toBe(0);
    });

    it('charges a bulk operation its size before it runs', () => {
        const runtime = runtimeFor(metered);
        // The block (104) fits in 1,000; the 1,000 bytes of the fill do not.
        const result = runtime.run(execution('update', 1_000n), { export: 'canister_update fill' }, 'all');
        expect(result.trap).toBeInstanceOf(InstructionLimitExceeded);
    });

    it('has a charge for every system API import', () => {
        const imports = createSystemApi({
            memory: () => new WebAssembly.Memory({ initial: 1 }),
            execution: () => execution('update'),
            stable: new StableMemory(),
            log: () => undefined,
            beforeHeapWrite: () => undefined,
            instructionsUsed: () => 0n
        });
        expect(Object.keys(imports).filter((name) => SYSTEM_API_CHARGES[name] === undefined)).toEqual([]);
    });

    it("refuses a module that imports the engine's helpers itself", () => {
        const module = buildModule({ imports: [{ module: 'localnet_tracker', name: 'out_of_instructions' }], functions: [{ export: 'canister_update x', body: [...op.end] }] });
        expect(() => modules(metered).load(module)).toThrow(new InvalidModuleError('Wasm module imports "localnet_tracker.out_of_instructions"; only ic0 imports are allowed'));
    });

    it('leaves a module it cannot decode unrewritten', () => {
        // An atomic instruction (0xfe prefix) is outside what the decoder handles.
        const module = buildModule({ imports: IMPORTS, functions: [{ export: 'canister_update atomic', body: [0xfe, 0x03, 0x00, ...op.end] }] });
        expect(rewriteModule(module, metered)).toBeNull();
    });
});
