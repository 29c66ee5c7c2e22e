/**
 * `npm run bench -- cycles`: what an Azle canister's install, upgrade, one update, one query
 * and one inter-canister call cost on deflow-localnet (a 13-node application subnet):
 * instructions executed and cycles spent, read from the engine's canister records.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

import type { Canister } from '../localnet/src/engine/canister';
import { Instance } from '../localnet/src/instance';
import { printSection, type Row } from './stats';

const FIXTURES = resolve(__dirname, '..', 'localnet', 'tests', 'fixtures', '.azle');
const wasmOf = (name: string): Uint8Array => new Uint8Array(readFileSync(resolve(FIXTURES, name, `${name}.wasm`)));

const EMPTY_ARGS = new Uint8Array(IDL.encode([], []));
const SENDER = Principal.anonymous().toUint8Array();
const MANAGEMENT = new Uint8Array(0);
const CREATE_ARGS = IDL.Record({ amount: IDL.Opt(IDL.Nat), settings: IDL.Opt(IDL.Null), specified_id: IDL.Opt(IDL.Principal) });
const INSTALL_ARGS = IDL.Record({
    mode: IDL.Variant({ install: IDL.Null, upgrade: IDL.Opt(IDL.Null) }),
    canister_id: IDL.Principal,
    wasm_module: IDL.Vec(IDL.Nat8),
    arg: IDL.Vec(IDL.Nat8)
});
/** Rounds after an install for Azle's zero-delay raw_rand timer to settle. */
const SETTLE_ROUNDS = 5;

const digits = (value: bigint): string => value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export async function cyclesBench(): Promise<void> {
    const instance = new Instance({ subnets: [{ kind: 'Application', instructionConfig: 'Production' }] }, { log: () => undefined });
    const call = (canisterId: Uint8Array, method: string, arg: Uint8Array): Uint8Array => {
        const submitted = instance.submitIngress({ sender: SENDER, canisterId, method, payload: arg, effectivePrincipal: { kind: 'none' } });
        if ('err' in submitted) throw new Error(submitted.err.rejectMessage);
        const result = instance.awaitIngress(submitted.ok);
        if (result.kind !== 'reply') throw new Error(result.reject.rejectMessage);
        return result.payload;
    };
    const create = (): Principal => {
        const reply = call(MANAGEMENT, 'provisional_create_canister_with_cycles', new Uint8Array(IDL.encode([CREATE_ARGS], [{ amount: [], settings: [], specified_id: [] }])));
        return (IDL.decode([IDL.Record({ canister_id: IDL.Principal })], reply)[0] as unknown as { canister_id: Principal }).canister_id;
    };
    const install = (canisterId: Principal, wasm: Uint8Array, mode: 'install' | 'upgrade', arg = EMPTY_ARGS): void => {
        const installMode = mode === 'install' ? { install: null } : { upgrade: [] };
        call(MANAGEMENT, 'install_code', new Uint8Array(IDL.encode([INSTALL_ARGS], [{ mode: installMode, canister_id: canisterId, wasm_module: wasm, arg }])));
    };
    const record = (id: Principal): Canister => instance.canisterRecord(id.toUint8Array())!;
    /** Instructions executed and cycles spent by `id` while `action` runs. */
    const measure = (name: string, id: Principal, action: () => void): Row => {
        const canister = record(id);
        const [instructions, cycles] = [canister.instructionsExecuted, canister.cycles];
        action();
        return { name, value: `${digits(record(id).instructionsExecuted - instructions)} instr, ${digits(cycles - record(id).cycles)} cycles` };
    };

    const counterWasm = wasmOf('counter');
    const counterInit = new Uint8Array(IDL.encode([IDL.Opt(IDL.Text)], [[]]));
    const counter = create();
    const rows: Row[] = [measure('install counter (ingress + init)', counter, () => install(counter, counterWasm, 'install', counterInit))];
    for (let round = 0; round < SETTLE_ROUNDS; round++) instance.tick();
    rows.push(measure('upgrade counter (ingress + pre/post_upgrade)', counter, () => install(counter, counterWasm, 'upgrade', counterInit)));
    for (let round = 0; round < SETTLE_ROUNDS; round++) instance.tick();
    rows.push(measure('update increment (ingress + execution)', counter, () => call(counter.toUint8Array(), 'increment', EMPTY_ARGS)));
    rows.push(
        measure('query getCount (non-replicated: free)', counter, () =>
            instance.query({ sender: SENDER, canisterId: counter.toUint8Array(), method: 'getCount', payload: EMPTY_ARGS, effectivePrincipal: { kind: 'none' } })
        )
    );
    const caller = create();
    install(caller, wasmOf('caller'), 'install');
    for (let round = 0; round < SETTLE_ROUNDS; round++) instance.tick();
    const callArg = new Uint8Array(IDL.encode([IDL.Principal, IDL.Text, IDL.Vec(IDL.Nat8), IDL.Nat], [counter, 'increment', EMPTY_ARGS, 0n]));
    rows.push(measure('inter-canister call, caller side (ingress, call, callback)', caller, () => call(caller.toUint8Array(), 'callRaw', callArg)));
    const metrics = record(counter).memoryMetrics();
    rows.push({
        name: 'counter storage per day',
        value: `${digits(instance.persistentParts.replica.idleCyclesBurnedPerDay(record(counter)))} cycles for ${digits(record(counter).memorySize())} bytes (heap ${digits(metrics.wasmMemorySize)}, stable ${digits(metrics.stableMemorySize)})`
    });
    instance.dispose();
    printSection('cycles on a 13-node application subnet (one run)', rows);
}
