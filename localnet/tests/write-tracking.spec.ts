/**
 * The engine's dirty-page tracking applies to real Azle modules (otherwise every message
 * would fall back to whole-heap snapshots): the rewritten module still compiles, reports its
 * writes, and rolls back exactly, host writes into the heap included.
 */
import { IDL } from '@dfinity/candid';

import { Execution } from '../src/engine/execution';
import { StableMemory } from '../src/engine/stable-memory';
import { ModuleCache } from '../src/engine/wasm-module';
import { WasmRuntime } from '../src/engine/wasm-runtime';
import { fixtureWasm } from '../../tests/integration/support/fixtures';
import { buildModule, I32, op } from '../src/engine/wasm-builder';

const CANISTER = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xe0, 0x00, 0x00, 0x01, 0x01]);

function execution(kind: Execution['kind'], arg: Uint8Array): Execution {
    return new Execution({ kind, canisterId: CANISTER, time: 1n, arg, canAnswer: true, balance: 0n, timer: 0n, certifiedData: new Uint8Array(0), canisterVersion: 1n, controllers: [] });
}

const decodeNat = (e: Execution): bigint => {
    if (e.answer?.kind !== 'reply') throw new Error('no reply');
    return IDL.decode([IDL.Nat], e.answer.payload)[0] as bigint;
};

describe('Localnet > engine > write tracking', () => {
    it('instruments Azle modules and rolls a trapped update back to the committed heap', () => {
        const module = new ModuleCache().load(fixtureWasm('counter'));
        expect(module.tracked).toBe(true);
        const runtime = new WasmRuntime(module, new StableMemory(), () => undefined, CANISTER);
        expect(runtime.run(execution('init', new Uint8Array(IDL.encode([IDL.Opt(IDL.Text)], [[]]))), { export: 'canister_init' }, 'all').trap).toBeNull();
        const empty = new Uint8Array(IDL.encode([], []));
        expect(runtime.run(execution('update', empty), { export: 'canister_update increment' }, 'all').trap).toBeNull();
        const heapAfterCommit = runtime.exportState().heap;

        // A query that mutates the heap, then a trapping update: both must leave no trace.
        runtime.run(execution('query', new Uint8Array(IDL.encode([IDL.Text], ['scratch']))), { export: 'canister_query queryMutate' }, 'none');
        const { trap } = runtime.run(execution('update', new Uint8Array(IDL.encode([IDL.Text], ['x']))), { export: 'canister_update mutateThenTrap' }, 'all');
        expect(trap).not.toBeNull();
        expect(Buffer.from(runtime.exportState().heap).equals(Buffer.from(heapAfterCommit))).toBe(true);

        const count = execution('query', empty);
        runtime.run(count, { export: 'canister_query getCount' }, 'none');
        expect(decodeNat(count)).toBe(1n);
    });
});

/** Where the argument is copied: a page no guest store touches, so only the host's copy marks it. */
const ARG_AT = 5000;
const UNREACHABLE = 0x00;

/** `copy` copies its argument to ARG_AT; `copy_then_trap` does the same and traps. */
function argCopyModule(): Uint8Array {
    const copyArg = [...op.i32(ARG_AT), ...op.i32(0), ...op.call(0), ...op.call(1)];
    return buildModule({
        imports: [
            { module: 'ic0', name: 'msg_arg_data_size', results: [I32] },
            { module: 'ic0', name: 'msg_arg_data_copy', params: [I32, I32, I32] }
        ],
        functions: [
            { export: 'canister_update copy', body: [...copyArg, ...op.end] },
            { export: 'canister_update copy_then_trap', body: [...copyArg, UNREACHABLE, ...op.end] }
        ]
    });
}

describe('Localnet > engine > write tracking > host writes', () => {
    it('undoes the argument the host copied into the heap when the execution traps', () => {
        const module = new ModuleCache().load(argCopyModule());
        expect(module.tracked).toBe(true);
        const runtime = new WasmRuntime(module, new StableMemory(), () => undefined, CANISTER);
        const heapAt = (): number[] => [...runtime.exportState().heap.subarray(ARG_AT, ARG_AT + 4)];

        expect(runtime.run(execution('update', Uint8Array.of(1, 2, 3, 4)), { export: 'canister_update copy_then_trap' }, 'all').trap).not.toBeNull();
        expect(heapAt()).toEqual([0, 0, 0, 0]);

        expect(runtime.run(execution('update', Uint8Array.of(1, 2, 3, 4)), { export: 'canister_update copy' }, 'all').trap).toBeNull();
        expect(runtime.run(execution('update', Uint8Array.of(9, 9, 9, 9)), { export: 'canister_update copy_then_trap' }, 'all').trap).not.toBeNull();
        expect(heapAt()).toEqual([1, 2, 3, 4]);
    });
});
