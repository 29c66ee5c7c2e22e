/**
 * A live Wasm instance of one canister, with transactional execution: every entry point runs
 * against a snapshot of the heap and globals (and a journal of stable writes), so a trap, or
 * any query, leaves no trace.
 */
import { CanisterTrap, InstructionLimitExceeded, toTrap } from './errors';
import { Execution, instructionBudget, type TableCallback } from './execution';
import { reportExecution } from './execution-observer';
import { UndoLogGuard, WholeHeapGuard, type HeapGuard, type HeapRun } from './heap-guard';
import { COUNTER_EXPORT, OUT_OF_INSTRUCTIONS_IMPORT, START_FUNCTION_BUDGET } from './metering';
import { StableMemory, type StableDelta } from './stable-memory';
import { createSystemApi } from './system-api';
import { chargedImports, type InstructionMeter } from './system-api-charges';
import { TABLE_EXPORT, type CanisterModule } from './wasm-module';
import { createTracker, LAST_PAGE_EXPORT, PAGE_SHIFT, TRACKER_MODULE } from './write-tracking';

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

/** What an execution ended with: its trap (null if it succeeded) and the instructions it used. */
export type ExecutionResult = {
    trap: CanisterTrap | null;
    /**
     * Instructions counted as the replica counts them: the module's own (per basic block,
     * metering.ts) plus the system API's charges (system-api-charges.ts). For a module the
     * rewrite could not meter, only the system API's charges.
     */
    instructions: bigint;
};

export class WasmRuntime {
    private readonly instance: WebAssembly.Instance;
    private readonly memory: WebAssembly.Memory;
    private readonly table: WebAssembly.Table | null;
    private readonly globals: WebAssembly.Global[];
    private readonly heapGuard: HeapGuard;
    private globalsSnapshot: Array<number | bigint> = [];
    private current: Execution | null = null;
    /** The metered module's instruction counter (counts down from the execution's budget). */
    private readonly counter: WebAssembly.Global | null;
    /** Budget of the current execution; for an unmetered module, what the system API charged. */
    private budget = 0n;
    private unmeteredUsed = 0n;
    private stableDirty = new Set<number>();
    /** Instructions the module's start function used when it was instantiated. */
    readonly startInstructions: bigint;

    constructor(
        readonly module: CanisterModule,
        private readonly stable: StableMemory,
        log: (text: string) => void,
        private readonly canisterId: Uint8Array
    ) {
        const meter: InstructionMeter = {
            charge: (instructions) => this.charge(instructions),
            newlyDirtiedStablePages: (offset, size) => this.newlyDirtiedStablePages(offset, size)
        };
        const imports = chargedImports(
            createSystemApi({
                memory: () => this.memory,
                execution: () => {
                    if (this.current === null) throw new CanisterTrap('system API called outside an execution', 'system');
                    return this.current;
                },
                stable,
                log,
                beforeHeapWrite: (dst, size) => this.heapGuard.beforeHostWrite(dst, size),
                instructionsUsed: () => this.instructionsUsed()
            }),
            meter
        );
        // The guard exists only once the instance does: writes of the start function build the initial heap.
        let undoLog: UndoLogGuard | null = null;
        const tracker = module.tracked ? createTracker((page) => undoLog?.saveBeforeWrite(page)) : null;
        const helpers: WebAssembly.ModuleImports = { ...(tracker?.imports ?? {}) };
        if (module.metered) {
            helpers[OUT_OF_INSTRUCTIONS_IMPORT] = () => {
                throw new InstructionLimitExceeded(this.current?.instructionLimit ?? START_FUNCTION_BUDGET);
            };
        }
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
        this.budget = START_FUNCTION_BUDGET;
        this.unmeteredUsed = 0n;
        try {
            this.instance = new WebAssembly.Instance(module.module, { ic0: imports, [TRACKER_MODULE]: helpers });
        } catch (error) {
            throw toTrap(error);
        } finally {
            this.current = null;
        }
        const exports = this.instance.exports;
        const counter = exports[COUNTER_EXPORT];
        this.counter = module.metered && counter instanceof WebAssembly.Global ? counter : null;
        this.startInstructions = this.instructionsUsed();
        const memory = exports['memory'];
        if (!(memory instanceof WebAssembly.Memory)) throw new CanisterTrap('the module exports no memory named "memory"', 'system');
        this.memory = memory;
        const table = exports[TABLE_EXPORT];
        this.table = table instanceof WebAssembly.Table ? table : null;
        this.globals = module.globalExports.map((name) => exports[name] as WebAssembly.Global);
        if (tracker !== null) undoLog = new UndoLogGuard(memory, tracker.flags, exports[LAST_PAGE_EXPORT] as WebAssembly.Global);
        this.heapGuard = undoLog ?? new WholeHeapGuard(memory);
    }

    hasExport(name: string): boolean {
        return typeof this.instance.exports[name] === 'function';
    }

    /** Current heap size in bytes (`memory_size` in canister_status). */
    get heapBytes(): number {
        return this.memory.buffer.byteLength;
    }

    /** Instructions the current execution has used so far. */
    private instructionsUsed(): bigint {
        if (this.counter === null) return this.unmeteredUsed;
        return this.budget - (this.counter.value as bigint);
    }

    private charge(instructions: number): void {
        if (this.counter === null) {
            this.unmeteredUsed += BigInt(instructions);
            if (this.unmeteredUsed > this.budget) throw new InstructionLimitExceeded(this.current?.instructionLimit ?? this.budget);
            return;
        }
        const left = (this.counter.value as bigint) - BigInt(instructions);
        this.counter.value = left;
        if (left < 0n) throw new InstructionLimitExceeded(this.current?.instructionLimit ?? this.budget);
    }

    private newlyDirtiedStablePages(offset: bigint, size: bigint): number {
        if (size <= 0n) return 0;
        let added = 0;
        const last = (offset + size - 1n) >> BigInt(PAGE_SHIFT);
        for (let page = offset >> BigInt(PAGE_SHIFT); page <= last; page++) {
            const key = Number(page);
            if (!this.stableDirty.has(key)) {
                this.stableDirty.add(key);
                added++;
            }
        }
        return added;
    }

    /**
     * Runs one entry point within the execution's instruction budget. A trap (running out of
     * instructions included) returns the heap, globals and stable memory to their state before
     * the call; otherwise `persistence` says what is kept.
     */
    private observed(entry: EntryPoint, instructions: bigint, trapped: boolean): void {
        reportExecution(() => ({ canisterId: this.canisterId, entry: 'export' in entry ? entry.export : `table[${entry.table.fun}]`, instructions, trapped }));
    }

    run(execution: Execution, entry: EntryPoint, persistence: Persistence): ExecutionResult {
        this.heapGuard.begin();
        this.globalsSnapshot = this.globals.map((g) => g.value as number | bigint);
        this.stable.begin();
        const trap = this.invoke(execution, entry);
        // Read before a rollback restores the globals (the counter is one of them).
        const instructions = this.instructionsUsed();
        execution.instructions = instructions;
        this.observed(entry, instructions, trap !== null);
        if (trap === null && persistence !== 'none') this.stable.commit();
        else this.stable.rollback();
        if (trap === null && persistence === 'all') {
            this.heapGuard.commit();
            this.heapRevision++;
        } else {
            this.heapGuard.rollback();
            this.restoreGlobals();
        }
        return { trap, instructions };
    }

    /**
     * Runs one entry point on the committed state, or on it plus `resume` (a state an earlier
     * transient run left), and always discards the changes, returning them as a new state.
     */
    runTransient(execution: Execution, entry: EntryPoint, resume: TransientState | null): ExecutionResult & { state: TransientState } {
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
        const trap = this.invoke(execution, entry);
        const instructions = this.instructionsUsed();
        execution.instructions = instructions;
        this.observed(entry, instructions, trap !== null);
        const globals = this.globals.map((g) => g.value as number | bigint);
        const state = { heap: this.heapGuard.rollbackCapturing(), globals, stable: this.stable.rollbackCapturing() };
        this.restoreGlobals();
        return { trap, instructions, state };
    }

    /** Calls the entry point within the execution's instruction budget; returns its trap, if any. */
    private invoke(execution: Execution, entry: EntryPoint): CanisterTrap | null {
        this.current = execution;
        this.budget = instructionBudget(execution);
        this.unmeteredUsed = 0n;
        this.stableDirty = new Set();
        if (this.counter !== null) this.counter.value = this.budget;
        try {
            this.resolve(entry)();
            return null;
        } catch (error) {
            return toTrap(error);
        } finally {
            this.current = null;
        }
    }

    private restoreGlobals(): void {
        this.globals.forEach((g, i) => {
            g.value = this.globalsSnapshot[i]!;
        });
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

    /** Bumped whenever the committed heap may have changed (a kept execution, a loaded state). */
    heapRevision = 0;

    /** The committed heap and globals, for saving an instance's state to disk. */
    exportState(): { heap: Uint8Array; globals: Array<number | bigint> } {
        return { heap: new Uint8Array(this.memory.buffer).slice(), globals: this.exportGlobals() };
    }

    /** The committed heap itself, not a copy: for a saver that reads it before the next execution. */
    heapView(): Uint8Array {
        return new Uint8Array(this.memory.buffer);
    }

    /** The committed globals alone (cheap; a saver whose heap copy is current needs only these). */
    exportGlobals(): Array<number | bigint> {
        return this.globals.map((g) => g.value as number | bigint);
    }

    /** Restores a state saved by `exportState` into this fresh instance of the same module. */
    importState(state: { heap: Uint8Array; globals: Array<number | bigint> }): void {
        this.heapRevision++;
        const missing = Math.ceil((state.heap.length - this.memory.buffer.byteLength) / 65536);
        if (missing > 0) this.memory.grow(missing);
        new Uint8Array(this.memory.buffer).set(state.heap);
        this.globals.forEach((g, i) => {
            g.value = state.globals[i]!;
        });
        this.heapGuard.reset();
    }
}
