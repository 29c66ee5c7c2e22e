/**
 * A live Wasm instance of one canister, with transactional execution: every entry point runs
 * against a snapshot of the heap and globals (and a journal of stable writes), so a trap, or
 * any query, leaves no trace.
 */
import { CanisterTrap, toTrap } from './errors';
import { Execution, type TableCallback } from './execution';
import { DirtyPageGuard, WholeHeapGuard, type HeapGuard, type HeapRun } from './heap-guard';
import { StableMemory, type StableDelta } from './stable-memory';
import { createSystemApi } from './system-api';
import { TABLE_EXPORT, type CanisterModule } from './wasm-module';
import { createTracker, LAST_PAGE_EXPORT, TRACKER_MODULE } from './write-tracking';

export type EntryPoint = { export: string } | { table: TableCallback };

/**
 * What a successful execution keeps: everything (`all`), nothing (`none`: queries), or only
 * its stable writes (`stable`: pre_upgrade, whose heap is discarded with the old instance
 * but must survive in full if the upgrade fails).
 */
export type Persistence = 'all' | 'none' | 'stable';

/**
 * What a discarded execution changed (heap pages, globals, stable writes), kept aside so a
 * later execution can continue from it: a composite query's caller between its calls, while
 * the committed state stays untouched for its callees (including itself).
 */
export type TransientState = { heap: HeapRun[]; globals: Array<number | bigint>; stable: StableDelta };

export class WasmRuntime {
    private readonly instance: WebAssembly.Instance;
    private readonly memory: WebAssembly.Memory;
    private readonly table: WebAssembly.Table | null;
    private readonly globals: WebAssembly.Global[];
    private readonly heapGuard: HeapGuard;
    private globalsSnapshot: Array<number | bigint> = [];
    private current: Execution | null = null;

    constructor(
        readonly module: CanisterModule,
        private readonly stable: StableMemory,
        log: (text: string) => void,
        canisterId: Uint8Array
    ) {
        const imports = createSystemApi({
            memory: () => this.memory,
            execution: () => {
                if (this.current === null) throw new CanisterTrap('system API called outside an execution', 'system');
                return this.current;
            },
            stable,
            log,
            heapWritten: (dst, size) => this.heapGuard.hostWrote(dst, size)
        });
        const tracker = module.tracked ? createTracker() : null;
        this.current = new Execution({
            kind: 'start',
            canisterId,
            time: 0n,
            balance: 0n,
            timer: 0n,
            certifiedData: new Uint8Array(0),
            canisterVersion: 0n,
            controllers: []
        });
        try {
            this.instance = new WebAssembly.Instance(module.module, tracker === null ? { ic0: imports } : { ic0: imports, [TRACKER_MODULE]: tracker.imports });
        } catch (error) {
            throw toTrap(error);
        } finally {
            this.current = null;
        }
        const exports = this.instance.exports;
        const memory = exports['memory'];
        if (!(memory instanceof WebAssembly.Memory)) throw new CanisterTrap('the module exports no memory named "memory"', 'system');
        this.memory = memory;
        const table = exports[TABLE_EXPORT];
        this.table = table instanceof WebAssembly.Table ? table : null;
        this.globals = module.globalExports.map((name) => exports[name] as WebAssembly.Global);
        this.heapGuard =
            tracker === null ? new WholeHeapGuard(memory) : new DirtyPageGuard(memory, tracker.flags, exports[LAST_PAGE_EXPORT] as WebAssembly.Global);
    }

    hasExport(name: string): boolean {
        return typeof this.instance.exports[name] === 'function';
    }

    /** Current heap size in bytes (`memory_size` in canister_status). */
    get heapBytes(): number {
        return this.memory.buffer.byteLength;
    }

    /**
     * Runs one entry point. A trap returns the heap, globals and stable memory to their state
     * before the call; otherwise `persistence` says what is kept. Returns the trap, if any.
     */
    run(execution: Execution, entry: EntryPoint, persistence: Persistence): CanisterTrap | null {
        this.heapGuard.begin();
        this.globalsSnapshot = this.globals.map((g) => g.value as number | bigint);
        this.stable.begin();
        this.current = execution;
        let trap: CanisterTrap | null = null;
        try {
            this.resolve(entry)();
        } catch (error) {
            trap = toTrap(error);
        } finally {
            this.current = null;
        }
        if (trap === null && persistence !== 'none') this.stable.commit();
        else this.stable.rollback();
        if (trap === null && persistence === 'all') this.heapGuard.commit();
        else {
            this.heapGuard.rollback();
            this.globals.forEach((g, i) => {
                g.value = this.globalsSnapshot[i]!;
            });
        }
        return trap;
    }

    /**
     * Runs one entry point on the committed state, or on it plus `resume` (a state an earlier
     * transient run left), and always discards the changes, returning them as a new state.
     */
    runTransient(execution: Execution, entry: EntryPoint, resume: TransientState | null): { trap: CanisterTrap | null; state: TransientState } {
        this.heapGuard.begin();
        this.globalsSnapshot = this.globals.map((g) => g.value as number | bigint);
        this.stable.begin(true);
        if (resume !== null) {
            this.heapGuard.reapply(resume.heap);
            this.globals.forEach((g, i) => {
                g.value = resume.globals[i]!;
            });
            this.stable.reapply(resume.stable);
        }
        this.current = execution;
        let trap: CanisterTrap | null = null;
        try {
            this.resolve(entry)();
        } catch (error) {
            trap = toTrap(error);
        } finally {
            this.current = null;
        }
        const globals = this.globals.map((g) => g.value as number | bigint);
        const state = { heap: this.heapGuard.rollbackCapturing(), globals, stable: this.stable.rollbackCapturing() };
        this.globals.forEach((g, i) => {
            g.value = this.globalsSnapshot[i]!;
        });
        return { trap, state };
    }

    private resolve(entry: EntryPoint): () => void {
        if ('export' in entry) {
            const fn = this.instance.exports[entry.export];
            if (typeof fn !== 'function') throw new CanisterTrap(`the module does not export "${entry.export}"`, 'system');
            return fn as () => void;
        }
        if (this.table === null) throw new CanisterTrap('the module has no function table for callbacks', 'system');
        const { fun, env } = entry.table;
        if (fun >= this.table.length) throw new CanisterTrap(`callback index ${fun} is outside the function table`, 'wasm');
        const fn = this.table.get(fun) as ((env: number) => void) | null;
        if (fn === null) throw new CanisterTrap(`callback index ${fun} is an empty table entry`, 'wasm');
        return () => fn(env);
    }

    /** The committed heap and globals, for saving an instance's state to disk. */
    exportState(): { heap: Uint8Array; globals: Array<number | bigint> } {
        return { heap: new Uint8Array(this.memory.buffer).slice(), globals: this.globals.map((g) => g.value as number | bigint) };
    }

    /** Restores a state saved by `exportState` into this fresh instance of the same module. */
    importState(state: { heap: Uint8Array; globals: Array<number | bigint> }): void {
        const missing = Math.ceil((state.heap.length - this.memory.buffer.byteLength) / 65536);
        if (missing > 0) this.memory.grow(missing);
        new Uint8Array(this.memory.buffer).set(state.heap);
        this.globals.forEach((g, i) => {
            g.value = state.globals[i]!;
        });
        this.heapGuard.reset();
    }
}
