import { CanisterTrap } from './errors';
import { Execution, type ExecutionKind } from './execution';
import { StableMemory } from './stable-memory';
import { createSystemApi } from './system-api';

type Imports = Record<string, (...args: Array<number | bigint>) => number | bigint | void>;

function setup(kind: ExecutionKind, environmentVariables: Array<{ name: string; value: string }> = []): { api: Imports; heap: Uint8Array } {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const execution = new Execution({
        kind,
        canisterId: Uint8Array.of(1),
        time: 0n,
        balance: 0n,
        timer: 0n,
        certifiedData: new Uint8Array(0),
        canisterVersion: 0n,
        controllers: [],
        environmentVariables,
        status: 2
    });
    const api = createSystemApi({ memory: () => memory, execution: () => execution, stable: new StableMemory(), log: () => undefined, beforeHeapWrite: () => undefined, instructionsUsed: () => 0n });
    return { api: api as unknown as Imports, heap: new Uint8Array(memory.buffer) };
}

const text = (heap: Uint8Array, at: number, size: number): string => new TextDecoder().decode(heap.subarray(at, at + size));

describe('Localnet > system API > environment imports', () => {
    it('lists environment variables by index and reads values by name', () => {
        const { api, heap } = setup('update', [
            { name: 'A', value: 'first' },
            { name: 'LONGER', value: 'second' }
        ]);
        expect(api.env_var_count!()).toBe(2);
        expect(api.env_var_name_size!(1)).toBe(6);
        api.env_var_name_copy!(1, 0, 0, 6);
        expect(text(heap, 0, 6)).toBe('LONGER');
        heap.set(new TextEncoder().encode('A'), 100);
        expect(api.env_var_name_exists!(100, 1)).toBe(1);
        expect(api.env_var_value_size!(100, 1)).toBe(5);
        api.env_var_value_copy!(100, 1, 200, 0, 5);
        expect(text(heap, 200, 5)).toBe('first');
    });

    it('traps for an index out of range or a name that is not set', () => {
        const { api, heap } = setup('update', [{ name: 'A', value: 'x' }]);
        expect(() => api.env_var_name_size!(1)).toThrow(CanisterTrap);
        heap.set(new TextEncoder().encode('B'), 0);
        expect(api.env_var_name_exists!(0, 1)).toBe(0);
        expect(() => api.env_var_value_size!(0, 1)).toThrow(/no environment variable named "B"/);
    });

    it('reports the canister status and refuses the root key outside its contexts', () => {
        const { api } = setup('query');
        expect(api.canister_status!()).toBe(2);
        expect(() => api.root_key_size!()).toThrow('"ic0.root_key_size" cannot be executed in query mode');
    });

    it('lets only the cycles minting canister mint', () => {
        const { api } = setup('update');
        expect(() => api.mint_cycles128!(0n, 1n, 0)).toThrow(/Cycles Minting Canister/);
    });
});
