/**
 * The engine's dirty-page tracking applies to real Azle modules (otherwise every message
 * would fall back to whole-heap snapshots): the rewritten module still compiles, reports its
 * writes, and rolls back exactly.
 */
import { IDL } from '@dfinity/candid';

import { Execution } from '../src/engine/execution';
import { StableMemory } from '../src/engine/stable-memory';
import { ModuleCache } from '../src/engine/wasm-module';
import { WasmRuntime } from '../src/engine/wasm-runtime';
import { fixtureWasm } from '../../tests/integration/support/fixtures';

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
