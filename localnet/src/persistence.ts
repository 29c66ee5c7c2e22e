/**
 * Saving an instance to a folder and loading it back, so a local network survives a restart
 * with every canister exactly as it was: module, Wasm heap and globals, stable memory,
 * settings, cycles, timer, certified data and the clock.
 *
 * Messages still in flight are not saved: `save` first runs rounds until the instance is
 * idle, and refuses if it cannot get there.
 *
 * Saves are incremental (format 2): heaps and stable memories go to a content-addressed chunk
 * store (persistence/chunk-store.ts), so a save writes only the chunks that changed since the
 * last one and the folder holds each distinct chunk once; modules are stored once by hash.
 * The manifest is replaced atomically last, then what it no longer lists is deleted. A folder
 * saved in format 1 (whole files per canister) still loads and is converted by the next save.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { InstanceConfig } from './api';
import { Canister, DEFAULT_SETTINGS, type CanisterChange, type CanisterRunStatus, type CanisterSettings, type Visibility } from './engine/canister';
import { Instance, type InstanceOptions } from './instance';
import { ChunkStore, type StoredMemory, type WriteStats } from './persistence/chunk-store';

const FORMAT_VERSION = 2;
const READABLE_FORMATS = [1, 2];
const MANIFEST = 'network.json';
const CHUNKS = 'chunks';
const MODULES = 'modules';

type SavedCanister = {
    id: string;
    subnetIndex: number;
    controllers: string[];
    cycles: string;
    status: CanisterRunStatus;
    version: string;
    timer: string;
    certifiedData: string;
    settings: {
        numbers: Record<string, string>;
        logVisibility: SavedVisibility;
        snapshotVisibility?: SavedVisibility;
        statusVisibility?: SavedVisibility;
        environmentVariables: CanisterSettings['environmentVariables'];
    };
    moduleHash: string | null;
    globals: Array<{ type: 'number' | 'bigint'; value: string }>;
    /** Absent in saves made before cycles were charged: storage is charged from the load on. */
    lastResourceCharge?: string;
    totalChanges?: string;
    /** The recent changes, bigints as strings and bytes as hex (see `saveChange`). */
    history?: unknown[];
    /** Format 2: where the heap (null without a module) and stable memory are in the chunk store. */
    heap?: StoredMemory | null;
    stable?: StoredMemory;
};

type SavedVisibility = 'controllers' | 'public' | string[];

const saveVisibility = (v: Visibility): SavedVisibility =>
    'allowed_viewers' in v ? v.allowed_viewers.map(hex) : 'public' in v ? 'public' : 'controllers';
const loadVisibility = (v: SavedVisibility | undefined, fallback: Visibility): Visibility =>
    v === undefined ? fallback : Array.isArray(v) ? { allowed_viewers: v.map(unhex) } : v === 'public' ? { public: null } : { controllers: null };

/** Bytes become `{hex}` and bigints `{n}` so a change round-trips through JSON. */
function saveChange(value: unknown): unknown {
    if (value instanceof Uint8Array) return { hex: hex(value) };
    if (typeof value === 'bigint') return { n: String(value) };
    if (Array.isArray(value)) return value.map(saveChange);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, saveChange(v)]));
    return value;
}
function loadChange(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(loadChange);
    if (value !== null && typeof value === 'object') {
        if ('hex' in value && typeof value.hex === 'string') return unhex(value.hex);
        if ('n' in value && typeof value.n === 'string') return BigInt(value.n);
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, loadChange(v)]));
    }
    return value;
}

type Manifest = {
    format: number;
    config: InstanceConfig;
    time: string;
    lastRoundTime: string;
    nextCanisterIndex: string[];
    canisters: SavedCanister[];
};

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

/** What a save did: bytes and chunks written (only what changed), what it deleted, how long it took. */
export type SaveReport = WriteStats & { removedFiles: number; ms: number };

function writeAtomically(path: string, bytes: Uint8Array | string): void {
    writeFileSync(`${path}.tmp`, bytes);
    renameSync(`${path}.tmp`, path);
}

/** What the saver stored for a canister last time, and the revisions it stored. */
type StoredCanister = {
    runtime: object | null;
    heapRevision: number;
    heap: StoredMemory | null;
    stableMemory: object;
    stableRevision: number;
    stable: StoredMemory;
};

/**
 * Saves one instance to one folder again and again. It remembers what each save stored, so a
 * canister whose heap or stable memory has not changed since (no kept execution, no install)
 * is neither copied nor hashed again: a save's cost follows what changed.
 */
export class IncrementalSaver {
    private readonly store: ChunkStore;
    private readonly stored = new Map<string, StoredCanister>();

    constructor(private readonly dir: string) {
        mkdirSync(join(dir, MODULES), { recursive: true });
        this.store = new ChunkStore(join(dir, CHUNKS));
    }

    /** Writes what changed since the last save of this saver (everything, the first time). */
    save(instance: Instance, config: InstanceConfig): SaveReport {
        const before = { ...this.store.stats };
        const report = writeSave(instance, config, this.dir, this.store, this.stored);
        return {
            ...report,
            chunksWritten: this.store.stats.chunksWritten - before.chunksWritten,
            bytesWritten: this.store.stats.bytesWritten - before.bytesWritten,
            chunksSeen: this.store.stats.chunksSeen - before.chunksSeen
        };
    }
}

/** Writes the instance to `dir`, writing only the chunks that differ from the save already there. */
export function saveInstance(instance: Instance, config: InstanceConfig, dir: string): SaveReport {
    return new IncrementalSaver(dir).save(instance, config);
}

function writeSave(instance: Instance, config: InstanceConfig, dir: string, store: ChunkStore, stored: Map<string, StoredCanister>): SaveReport {
    const started = performance.now();
    if (!instance.settle(100)) throw new Error('the network did not become idle within 100 rounds; not saved');
    const parts = instance.persistentParts;
    const liveModules = new Set<string>();
    const canisters: SavedCanister[] = [];
    for (const canister of parts.replica.canisters.values()) {
        const runtime = canister.runtime;
        const previous = stored.get(canister.key);
        let globals: SavedCanister['globals'] = [];
        let heap: StoredMemory | null = null;
        if (runtime !== null) {
            const name = `${hex(runtime.module.hash)}.wasm`;
            liveModules.add(name);
            if (!existsSync(join(dir, MODULES, name))) writeAtomically(join(dir, MODULES, name), runtime.module.installed);
            const unchanged = previous !== undefined && previous.runtime === runtime && previous.heapRevision === runtime.heapRevision && previous.heap !== null;
            heap = unchanged ? previous.heap : store.put(runtime.heapView());
            globals = runtime.exportGlobals().map((value) => ({ type: typeof value === 'bigint' ? 'bigint' : 'number', value: String(value) }));
        }
        const stableUnchanged = previous !== undefined && previous.stableMemory === canister.stable && previous.stableRevision === canister.stable.revision;
        const stable = stableUnchanged ? previous.stable : store.put(canister.stable.snapshot());
        stored.set(canister.key, {
            runtime,
            heapRevision: runtime?.heapRevision ?? 0,
            heap,
            stableMemory: canister.stable,
            stableRevision: canister.stable.revision,
            stable
        });
        const s = canister.settings;
        canisters.push({
            id: canister.key,
            subnetIndex: canister.subnetIndex,
            controllers: canister.controllers.map(hex),
            cycles: String(canister.cycles),
            status: canister.status === 'stopping' ? 'stopped' : canister.status,
            version: String(canister.version),
            timer: String(canister.timer),
            certifiedData: hex(canister.certifiedData),
            settings: {
                environmentVariables: s.environmentVariables,
                logVisibility: saveVisibility(s.logVisibility),
                snapshotVisibility: saveVisibility(s.snapshotVisibility),
                statusVisibility: saveVisibility(s.statusVisibility),
                numbers: {
                    logMemoryLimit: String(s.logMemoryLimit),
                    minimumIncomingCanisterCallCycles: String(s.minimumIncomingCanisterCallCycles),
                    computeAllocation: String(s.computeAllocation),
                    memoryAllocation: String(s.memoryAllocation),
                    freezingThreshold: String(s.freezingThreshold),
                    reservedCyclesLimit: String(s.reservedCyclesLimit),
                    wasmMemoryLimit: String(s.wasmMemoryLimit),
                    wasmMemoryThreshold: String(s.wasmMemoryThreshold)
                }
            },
            moduleHash: runtime === null ? null : hex(runtime.module.hash),
            globals,
            lastResourceCharge: String(canister.lastResourceCharge),
            totalChanges: String(canister.totalChanges),
            history: canister.history.map(saveChange),
            heap,
            stable
        });
    }
    const manifest: Manifest = {
        format: FORMAT_VERSION,
        config,
        time: String(parts.time),
        lastRoundTime: String(parts.lastRoundTime),
        nextCanisterIndex: parts.subnets.map((s) => String(s.next)),
        canisters
    };
    writeAtomically(join(dir, MANIFEST), JSON.stringify(manifest, null, 1));
    for (const key of [...stored.keys()]) if (!parts.replica.canisters.has(key)) stored.delete(key);
    // Only now that the new manifest is in place: drop what no saved state refers to any more
    // (including a format-1 save's whole-file copies and an interrupted old-style staging folder).
    const liveChunks = new Set(canisters.flatMap((c) => [...(c.heap?.chunks ?? []), ...(c.stable?.chunks ?? [])]));
    let removedFiles = store.collect(liveChunks);
    for (const name of readdirSync(join(dir, MODULES))) {
        if (liveModules.has(name)) continue;
        rmSync(join(dir, MODULES, name), { force: true });
        removedFiles++;
    }
    for (const leftover of [join(dir, 'canisters'), `${dir}.saving`]) {
        if (existsSync(leftover)) {
            rmSync(leftover, { recursive: true, force: true });
            removedFiles++;
        }
    }
    return { ...store.stats, removedFiles, ms: performance.now() - started };
}

/** True when `dir` holds a saved network. */
export function hasSavedInstance(dir: string): boolean {
    return existsSync(join(dir, MANIFEST));
}

/** Recreates a saved instance; its canisters resume exactly where they were. */
export function loadInstance(dir: string, options: InstanceOptions = {}): { instance: Instance; config: InstanceConfig } {
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Manifest;
    if (!READABLE_FORMATS.includes(manifest.format)) throw new Error(`${dir} was saved in format ${manifest.format}; this server reads formats ${READABLE_FORMATS.join(', ')}`);
    const store = new ChunkStore(join(dir, CHUNKS));
    // Format 2 keeps memories in the chunk store; format 1 kept one file per canister and memory.
    const stableOf = (saved: SavedCanister): Uint8Array =>
        saved.stable !== undefined ? store.get(saved.stable) : new Uint8Array(readFileSync(join(dir, 'canisters', `${saved.id}.stable`)));
    const heapOf = (saved: SavedCanister): Uint8Array =>
        saved.heap !== undefined && saved.heap !== null ? store.get(saved.heap) : new Uint8Array(readFileSync(join(dir, 'canisters', `${saved.id}.heap`)));
    const instance = new Instance(manifest.config, options);
    const parts = instance.persistentParts;
    manifest.nextCanisterIndex.forEach((next, i) => {
        const subnet = parts.subnets[i];
        if (subnet !== undefined) subnet.next = BigInt(next);
    });
    instance.restoreClock(BigInt(manifest.time), BigInt(manifest.lastRoundTime));
    for (const saved of manifest.canisters) {
        const canister = new Canister(unhex(saved.id), saved.subnetIndex, saved.controllers.map(unhex), BigInt(saved.cycles));
        canister.status = saved.status;
        canister.version = BigInt(saved.version);
        canister.timer = BigInt(saved.timer);
        canister.certifiedData = unhex(saved.certifiedData);
        const n = saved.settings.numbers;
        canister.settings = {
            computeAllocation: BigInt(n['computeAllocation'] ?? 0),
            memoryAllocation: BigInt(n['memoryAllocation'] ?? 0),
            freezingThreshold: BigInt(n['freezingThreshold'] ?? 0),
            reservedCyclesLimit: BigInt(n['reservedCyclesLimit'] ?? 0),
            wasmMemoryLimit: BigInt(n['wasmMemoryLimit'] ?? 0),
            wasmMemoryThreshold: BigInt(n['wasmMemoryThreshold'] ?? 0),
            logVisibility: loadVisibility(saved.settings.logVisibility, DEFAULT_SETTINGS.logVisibility),
            logMemoryLimit: BigInt(n['logMemoryLimit'] ?? DEFAULT_SETTINGS.logMemoryLimit),
            snapshotVisibility: loadVisibility(saved.settings.snapshotVisibility, DEFAULT_SETTINGS.snapshotVisibility),
            statusVisibility: loadVisibility(saved.settings.statusVisibility, DEFAULT_SETTINGS.statusVisibility),
            minimumIncomingCanisterCallCycles: BigInt(n['minimumIncomingCanisterCallCycles'] ?? DEFAULT_SETTINGS.minimumIncomingCanisterCallCycles),
            environmentVariables: saved.settings.environmentVariables
        };
        canister.lastResourceCharge = BigInt(saved.lastResourceCharge ?? manifest.lastRoundTime);
        canister.totalChanges = BigInt(saved.totalChanges ?? 0);
        canister.history = (saved.history ?? []).map(loadChange) as CanisterChange[];
        canister.stable.replace(stableOf(saved));
        if (saved.moduleHash !== null) {
            const module = parts.modules.load(new Uint8Array(readFileSync(join(dir, MODULES, `${saved.moduleHash}.wasm`))));
            const runtime = parts.replica.instantiate(canister, module);
            runtime.importState({
                heap: heapOf(saved),
                globals: saved.globals.map((g) => (g.type === 'bigint' ? BigInt(g.value) : Number(g.value)))
            });
            canister.runtime = runtime;
            canister.generation = 1;
        }
        parts.replica.canisters.set(canister.key, canister);
    }
    return { instance, config: manifest.config };
}
