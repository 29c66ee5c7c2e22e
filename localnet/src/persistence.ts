/**
 * Saving an instance to a folder and loading it back, so a local network survives a restart
 * with every canister exactly as it was: module, Wasm heap and globals, stable memory,
 * settings, cycles, timer, certified data and the clock.
 *
 * Messages still in flight are not saved: `save` first runs rounds until the instance is
 * idle, and refuses if it cannot get there.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { InstanceConfig } from './api';
import { Canister, DEFAULT_SETTINGS, type CanisterChange, type CanisterRunStatus, type CanisterSettings, type Visibility } from './engine/canister';
import { Instance, type InstanceOptions } from './instance';

const FORMAT_VERSION = 1;
const MANIFEST = 'network.json';

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

/** Writes the instance to `dir` (replacing what was there). */
export function saveInstance(instance: Instance, config: InstanceConfig, dir: string): void {
    if (!instance.settle(100)) throw new Error('the network did not become idle within 100 rounds; not saved');
    const parts = instance.persistentParts;
    const staging = `${dir}.saving`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(join(staging, 'modules'), { recursive: true });
    mkdirSync(join(staging, 'canisters'), { recursive: true });
    const canisters: SavedCanister[] = [];
    for (const canister of parts.replica.canisters.values()) {
        const runtime = canister.runtime;
        let globals: SavedCanister['globals'] = [];
        if (runtime !== null) {
            const modulePath = join(staging, 'modules', `${hex(runtime.module.hash)}.wasm`);
            if (!existsSync(modulePath)) writeFileSync(modulePath, runtime.module.installed);
            const state = runtime.exportState();
            writeFileSync(join(staging, 'canisters', `${canister.key}.heap`), state.heap);
            globals = state.globals.map((value) => ({ type: typeof value === 'bigint' ? 'bigint' : 'number', value: String(value) }));
        }
        writeFileSync(join(staging, 'canisters', `${canister.key}.stable`), canister.stable.snapshot());
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
            history: canister.history.map(saveChange)
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
    writeFileSync(join(staging, MANIFEST), JSON.stringify(manifest, null, 1));
    // Replace the old save only once the new one is complete.
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
}

/** True when `dir` holds a saved network. */
export function hasSavedInstance(dir: string): boolean {
    return existsSync(join(dir, MANIFEST));
}

/** Recreates a saved instance; its canisters resume exactly where they were. */
export function loadInstance(dir: string, options: InstanceOptions = {}): { instance: Instance; config: InstanceConfig } {
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Manifest;
    if (manifest.format !== FORMAT_VERSION) throw new Error(`${dir} was saved in format ${manifest.format}; this server reads format ${FORMAT_VERSION}`);
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
        canister.stable.replace(new Uint8Array(readFileSync(join(dir, 'canisters', `${saved.id}.stable`))));
        if (saved.moduleHash !== null) {
            const module = parts.modules.load(new Uint8Array(readFileSync(join(dir, 'modules', `${saved.moduleHash}.wasm`))));
            const runtime = parts.replica.instantiate(canister, module);
            runtime.importState({
                heap: new Uint8Array(readFileSync(join(dir, 'canisters', `${saved.id}.heap`))),
                globals: saved.globals.map((g) => (g.type === 'bigint' ? BigInt(g.value) : Number(g.value)))
            });
            canister.runtime = runtime;
            canister.generation = 1;
        }
        parts.replica.canisters.set(canister.key, canister);
    }
    return { instance, config: manifest.config };
}
