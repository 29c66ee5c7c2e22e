/**
 * localnet benchmarks: what the PocketIC-compatible server costs on top of running the same
 * canister Wasm directly in this process.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { PocketIc, PocketIcServer } from '@dfinity/pic';

import { Execution } from '../localnet/src/engine/execution';
import { InstallCodeArgs, type InstallModeValue } from '../localnet/src/engine/management-idl';
import { ModuleCache } from '../localnet/src/engine/wasm-module';
import { Instance } from '../localnet/src/instance';
import { StableMemory } from '../localnet/src/engine/stable-memory';
import { createSystemApi } from '../localnet/src/engine/system-api';
import { formatMs, median, printSection, ratioRow, sample, type Row } from './stats';

const FIXTURES = resolve(__dirname, '..', 'localnet', 'tests', 'fixtures', '.azle');
const wasmOf = (name: string): Uint8Array => new Uint8Array(readFileSync(resolve(FIXTURES, name, `${name}.wasm`)));

/** A module with the same code but a distinct hash: a custom section carrying `salt`. */
function salted(wasm: Uint8Array, salt: string): Uint8Array {
    const name = new TextEncoder().encode('bench-salt');
    const body = new Uint8Array([name.length, ...name, ...new TextEncoder().encode(salt)]);
    return new Uint8Array([...wasm, 0x00, body.length, ...body]);
}

const EMPTY_ARGS = new Uint8Array(IDL.encode([], []));
/** counter's init argument: `opt text`. */
const COUNTER_INIT = new Uint8Array(IDL.encode([IDL.Opt(IDL.Text)], [[]]));
const SENDER = Principal.anonymous().toUint8Array();

/** The baseline: the module's exports called on a bare instance, no transactions, no server. */
function direct(wasm: Uint8Array) {
    // The module exactly as built: no write tracking, no extra exports.
    const module = { module: new WebAssembly.Module(wasm) };
    const stable = new StableMemory();
    const canisterId = Principal.fromText('lxzze-o7777-77777-aaaaa-cai').toUint8Array();
    let current: Execution | null = null;
    const instantiate = (): WebAssembly.Instance => {
        let memory: WebAssembly.Memory | null = null;
        const imports = createSystemApi({ memory: () => memory!, execution: () => current!, stable, log: () => undefined, beforeHeapWrite: () => undefined, instructionsUsed: () => 0n });
        current = execution('start');
        const instance = new WebAssembly.Instance(module.module, { ic0: imports });
        memory = instance.exports['memory'] as WebAssembly.Memory;
        return instance;
    };
    const execution = (kind: Execution['kind'], arg = EMPTY_ARGS): Execution =>
        new Execution({ kind, canisterId, time: 1n, arg, caller: SENDER, canAnswer: true, balance: 10n ** 12n, timer: 0n, certifiedData: new Uint8Array(0), canisterVersion: 1n, controllers: [] });
    const call = (instance: WebAssembly.Instance, name: string, kind: Execution['kind'], arg = EMPTY_ARGS): void => {
        current = execution(kind, arg);
        (instance.exports[name] as () => void)();
        current = null;
    };
    return { instantiate, call };
}

/** What the engine alone costs, and the instructions it counted for the same calls. */
type EngineFigures = {
    query: number;
    update: number;
    installSeen: number;
    instructions: { install: bigint; upgrade: bigint; query: bigint; update: bigint };
};

/**
 * The engine without the REST layer: the same calls through `Instance` in this process,
 * compiling modules with `modules` (metered or not).
 */
async function inProcess(wasm: Uint8Array, modules: ModuleCache): Promise<EngineFigures> {
    const instance = new Instance({ subnets: [{ kind: 'Application', instructionConfig: 'Production' }] }, { log: () => undefined, modules });
    const call = (canisterId: Uint8Array, method: string, arg: Uint8Array): Uint8Array => {
        const submitted = instance.submitIngress({ sender: SENDER, canisterId, method, payload: arg, effectivePrincipal: { kind: 'none' } });
        if ('err' in submitted) throw new Error(submitted.err.rejectMessage);
        const result = instance.awaitIngress(submitted.ok);
        if (result.kind !== 'reply') throw new Error(result.reject.rejectMessage);
        return result.payload;
    };
    const create = (): Principal => {
        const reply = call(new Uint8Array(0), 'provisional_create_canister_with_cycles', new Uint8Array(IDL.encode([CREATE_ARGS], [{ amount: [], settings: [], specified_id: [] }])));
        return (IDL.decode([IDL.Record({ canister_id: IDL.Principal })], reply)[0] as unknown as { canister_id: Principal }).canister_id;
    };
    const install = (canisterId: Principal, mode: InstallModeValue = { install: null }): void => {
        call(new Uint8Array(0), 'install_code', new Uint8Array(IDL.encode([InstallCodeArgs], [{ mode, canister_id: canisterId, wasm_module: wasm, arg: COUNTER_INIT, sender_canister_version: [] }])));
    };
    install(create());
    const installSeen = median(await sample(5, () => install(create())));
    const counter = create();
    const id = counter.toUint8Array();
    const record = instance.canisterRecord(id)!;
    /** Instructions the canister's executions used while `body` ran. */
    const counted = (body: () => unknown): bigint => {
        const before = record.instructionsExecuted;
        body();
        return record.instructionsExecuted - before;
    };
    const queryArgs = { sender: SENDER, canisterId: id, method: 'getCount', payload: EMPTY_ARGS, effectivePrincipal: { kind: 'none' } } as const;
    const instructions = {
        install: counted(() => install(counter)),
        upgrade: counted(() => install(counter, { upgrade: [] })),
        query: counted(() => instance.query(queryArgs)),
        update: counted(() => call(id, 'increment', EMPTY_ARGS))
    };
    instance.tick();
    const query = median(await sample(200, () => instance.query(queryArgs), 20));
    const update = median(await sample(100, () => call(id, 'increment', EMPTY_ARGS), 10));
    instance.dispose();
    return { query, update, installSeen, instructions };
}

/** The engine's figures with and without instruction metering, side by side. */
function meteringRows(metered: EngineFigures, unmetered: EngineFigures): Row[] {
    const pair = (name: string, key: 'query' | 'update' | 'installSeen'): Row[] => [
        { name: `${name}, engine metered`, value: formatMs(metered[key]) },
        { name: `${name}, engine unmetered`, value: formatMs(unmetered[key]), note: `metering costs ${(((metered[key] - unmetered[key]) / unmetered[key]) * 100).toFixed(0)}%` }
    ];
    const count = (value: bigint): string => value.toLocaleString('en-US');
    return [
        ...pair('query call', 'query'),
        ...pair('update call', 'update'),
        ...pair('install, seen module', 'installSeen'),
        { name: 'instructions: install (start + canister_init)', value: count(metered.instructions.install) },
        { name: 'instructions: upgrade (pre + post_upgrade)', value: count(metered.instructions.upgrade) },
        { name: 'instructions: query getCount', value: count(metered.instructions.query) },
        { name: 'instructions: update increment', value: count(metered.instructions.update) }
    ];
}

const CREATE_ARGS = IDL.Record({ amount: IDL.Opt(IDL.Nat), settings: IDL.Opt(IDL.Null), specified_id: IDL.Opt(IDL.Principal) });

export async function localnetBench(): Promise<void> {
    const counterWasm = wasmOf('counter');
    const rows: Row[] = [];

    // Direct, in-process baselines.
    const baseline = direct(counterWasm);
    const initDirect = median(await sample(5, () => baseline.call(baseline.instantiate(), 'canister_init', 'init', COUNTER_INIT)));
    const warm = baseline.instantiate();
    baseline.call(warm, 'canister_init', 'init', COUNTER_INIT);
    const queryDirect = median(await sample(200, () => baseline.call(warm, 'canister_query getCount', 'query'), 20));
    const updateDirect = median(await sample(200, () => baseline.call(warm, 'canister_update increment', 'update'), 20));

    const engine = await inProcess(counterWasm, new ModuleCache({ trackWrites: true, meter: true }));
    const unmetered = await inProcess(counterWasm, new ModuleCache({ trackWrites: true, meter: false }));

    // Through the server, driven by the stock pic-js client.
    const server = await PocketIcServer.start({ binPath: process.env.POCKET_IC_BIN ?? resolve(__dirname, '..', 'localnet', 'bin', 'deflow-localnet.js') });
    try {
        const pic = await PocketIc.create(server.getUrl());
        let salt = 0;
        const installNew = median(await sample(5, async () => {
            const id = await pic.createCanister();
            await pic.installCode({ canisterId: id, wasm: salted(counterWasm, `new-${process.pid}-${salt++}`), arg: COUNTER_INIT });
        }, 0));
        const installSeen = median(await sample(5, async () => {
            const id = await pic.createCanister();
            await pic.installCode({ canisterId: id, wasm: counterWasm, arg: COUNTER_INIT });
        }));
        const counter = await pic.createCanister();
        await pic.installCode({ canisterId: counter, wasm: counterWasm, arg: COUNTER_INIT });
        const queryServer = median(await sample(200, () => pic.queryCall({ canisterId: counter, method: 'getCount', arg: EMPTY_ARGS }), 20));
        const updateServer = median(await sample(100, () => pic.updateCall({ canisterId: counter, method: 'increment', arg: EMPTY_ARGS }), 10));

        const caller = await pic.createCanister();
        await pic.installCode({ canisterId: caller, wasm: wasmOf('caller') });
        const callArg = new Uint8Array(IDL.encode([IDL.Principal, IDL.Text, IDL.Vec(IDL.Nat8), IDL.Nat], [counter, 'increment', EMPTY_ARGS, 0n]));
        const roundTrip = median(await sample(50, () => pic.updateCall({ canisterId: caller, method: 'callRaw', arg: callArg }), 5));

        const fillerWasm = wasmOf('filler');
        const upgradeWith = async (entries: number): Promise<number> => {
            const filler = await pic.createCanister();
            await pic.installCode({ canisterId: filler, wasm: fillerWasm });
            for (let start = 0; start < entries; start += 5_000) {
                const count = Math.min(5_000, entries - start);
                await pic.updateCall({ canisterId: filler, method: 'fill', arg: new Uint8Array(IDL.encode([IDL.Nat32, IDL.Nat32], [start, count])) });
            }
            return median(await sample(5, () => pic.upgradeCanister({ canisterId: filler, wasm: fillerWasm })));
        };
        const upgradeSmall = await upgradeWith(1_000);
        const upgradeLarge = await upgradeWith(100_000);
        await pic.tearDown();

        rows.push(
            { name: 'direct instantiate + canister_init', value: formatMs(initDirect) },
            { name: 'install, new module (compile + init)', value: formatMs(installNew) },
            { name: 'install, module seen before', value: formatMs(installSeen) },
            ratioRow('seen install / direct instantiate+init', installSeen, initDirect, 1.2),
            { name: 'install, seen module, engine in-process', value: formatMs(engine.installSeen) },
            ratioRow('  engine seen install / direct', engine.installSeen, initDirect, 1.2),
            { name: 'query call, direct export', value: formatMs(queryDirect) },
            { name: 'query call, server', value: formatMs(queryServer) },
            ratioRow('query overhead (server / direct)', queryServer, queryDirect, 1.5),
            { name: 'query call, engine in-process', value: formatMs(engine.query) },
            ratioRow('  engine query / direct', engine.query, queryDirect, 1.5),
            { name: 'update call, direct export', value: formatMs(updateDirect) },
            { name: 'update call, server (submit + await)', value: formatMs(updateServer) },
            ratioRow('update overhead (server / direct)', updateServer, updateDirect, 3),
            { name: 'update call, engine in-process', value: formatMs(engine.update) },
            ratioRow('  engine update / direct', engine.update, updateDirect, 3),
            { name: 'inter-canister round trip (update)', value: formatMs(roundTrip) },
            { name: 'upgrade, 1,000 entries', value: formatMs(upgradeSmall) },
            { name: 'upgrade, 100,000 entries', value: formatMs(upgradeLarge) },
            ratioRow('upgrade 100k / 1k entries', upgradeLarge, upgradeSmall, 1.3)
        );
    } finally {
        await server.stop();
    }
    printSection('localnet (medians)', rows);
    printSection('localnet engine: instruction metering (counter fixture, medians)', meteringRows(engine, unmetered));
}
