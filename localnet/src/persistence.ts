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
import { Canister, type CanisterRunStatus, type CanisterSettings } from './engine/canister';
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
        logVisibility: 'controllers' | 'public' | string[];
        environmentVariables: CanisterSettings['environmentVariables'];
    };
    moduleHash: string | null;
    globals: Array<{ type: 'number' | 'bigint'; value: string }>;
};

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
                logVisibility: 'allowed_viewers' in s.logVisibility ? s.logVisibility.allowed_viewers.map(hex) : 'public' in s.logVisibility ? 'public' : 'controllers',
                numbers: {
                    computeAllocation: String(s.computeAllocation),
                    memoryAllocation: String(s.memoryAllocation),
                    freezingThreshold: String(s.freezingThreshold),
                    reservedCyclesLimit: String(s.reservedCyclesLimit),
                    wasmMemoryLimit: String(s.wasmMemoryLimit),
                    wasmMemoryThreshold: String(s.wasmMemoryThreshold)
                }
            },
            moduleHash: runtime === null ? null : hex(runtime.module.hash),
            globals
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
        const visibility = saved.settings.logVisibility;
        canister.settings = {
            computeAllocation: BigInt(n['computeAllocation'] ?? 0),
            memoryAllocation: BigInt(n['memoryAllocation'] ?? 0),
            freezingThreshold: BigInt(n['freezingThreshold'] ?? 0),
            reservedCyclesLimit: BigInt(n['reservedCyclesLimit'] ?? 0),
            wasmMemoryLimit: BigInt(n['wasmMemoryLimit'] ?? 0),
            wasmMemoryThreshold: BigInt(n['wasmMemoryThreshold'] ?? 0),
            logVisibility: Array.isArray(visibility) ? { allowed_viewers: visibility.map(unhex) } : visibility === 'public' ? { public: null } : { controllers: null },
            environmentVariables: saved.settings.environmentVariables
        };
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
