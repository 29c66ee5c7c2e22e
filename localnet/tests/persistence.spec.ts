/**
 * Saving a network to disk and loading it back (what `npm start` does across restarts): the
 * canister resumes with its heap, stable memory, version and clock, and keeps working.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

import type { CallResult, InstanceConfig } from '../src/api';
import { Instance } from '../src/instance';
import { IncrementalSaver, loadInstance, saveInstance } from '../src/persistence';
import { fixtureWasm } from '../../tests/integration/support/fixtures';

const CONFIG: InstanceConfig = { subnets: [{ kind: 'Application', instructionConfig: 'Production' }] };
const USER = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai').toUint8Array();
const MANAGEMENT = new Uint8Array(0);

function call(instance: Instance, canisterId: Uint8Array, method: string, arg: Uint8Array): CallResult {
    const submitted = instance.submitIngress({ sender: USER, canisterId, method, payload: arg, effectivePrincipal: { kind: 'none' } });
    if ('err' in submitted) throw new Error(submitted.err.rejectMessage);
    return instance.awaitIngress(submitted.ok);
}

function reply(result: CallResult): Uint8Array {
    if (result.kind !== 'reply') throw new Error(`rejected: ${result.reject.rejectMessage}`);
    return result.payload;
}

function query<T>(instance: Instance, canisterId: Uint8Array, method: string, type: IDL.Type): T {
    const result = instance.query({ sender: USER, canisterId, method, payload: new Uint8Array(IDL.encode([], [])), effectivePrincipal: { kind: 'none' } });
    return IDL.decode([type], reply(result))[0] as T;
}

describe('Localnet > persistence', () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'deflow-localnet-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('restores heap, stable memory, version and time, and the canister keeps working', () => {
        const instance = new Instance(CONFIG, { log: () => undefined });
        const created = reply(call(instance, MANAGEMENT, 'provisional_create_canister_with_cycles',
            new Uint8Array(IDL.encode([IDL.Record({ amount: IDL.Opt(IDL.Nat), settings: IDL.Opt(IDL.Null), specified_id: IDL.Opt(IDL.Principal) })], [{ amount: [], settings: [], specified_id: [] }]))));
        const [{ canister_id: canisterId }] = IDL.decode([IDL.Record({ canister_id: IDL.Principal })], created) as unknown as [{ canister_id: Principal }];
        const id = canisterId.toUint8Array();
        reply(call(instance, MANAGEMENT, 'install_code', new Uint8Array(IDL.encode(
            [IDL.Record({ mode: IDL.Variant({ install: IDL.Null }), canister_id: IDL.Principal, wasm_module: IDL.Vec(IDL.Nat8), arg: IDL.Vec(IDL.Nat8) })],
            [{ mode: { install: null }, canister_id: canisterId, wasm_module: fixtureWasm('counter'), arg: IDL.encode([IDL.Opt(IDL.Text)], [['saved']]) }]
        ))));
        instance.tick();
        reply(call(instance, id, 'increment', new Uint8Array(IDL.encode([], []))));
        reply(call(instance, id, 'put', new Uint8Array(IDL.encode([IDL.Text, IDL.Text], ['k', 'v']))));
        const saver = new IncrementalSaver(dir);
        const first = saver.save(instance, CONFIG);
        expect(first.bytesWritten).toBeGreaterThan(0);
        // Saving again with nothing changed neither writes nor reads the memories again.
        const unchanged = saver.save(instance, CONFIG);
        expect(unchanged).toMatchObject({ bytesWritten: 0, chunksSeen: 0 });
        // A new saver on the folder hashes again but writes nothing: the chunks are there.
        expect(saveInstance(instance, CONFIG, dir).bytesWritten).toBe(0);
        // After one update, a few chunks only.
        reply(call(instance, id, 'put', new Uint8Array(IDL.encode([IDL.Text, IDL.Text], ['k2', 'v2']))));
        const afterUpdate = saver.save(instance, CONFIG);
        expect(afterUpdate.bytesWritten).toBeGreaterThan(0);
        expect(afterUpdate.bytesWritten).toBeLessThan(first.bytesWritten / 4);
        expect(afterUpdate.removedFiles).toBeGreaterThan(0); // the chunks the update replaced
        instance.setTime(instance.getTime() + 5_000_000_000n);
        instance.tick();
        const versionBefore = query<bigint>(instance, id, 'version', IDL.Nat64);
        const timeBefore = instance.getTime();
        const record = instance.canisterRecord(id)!;
        const accountBefore = { cycles: record.cycles, lastResourceCharge: record.lastResourceCharge, totalChanges: record.totalChanges, history: record.history };

        saveInstance(instance, CONFIG, dir);
        instance.dispose();
        const { instance: restored } = loadInstance(dir, { log: () => undefined });

        expect(restored.getTime()).toBe(timeBefore);
        expect(query<bigint>(restored, id, 'getCount', IDL.Nat)).toBe(1n); // heap state
        expect(query<[] | [string]>(restored, id, 'initArg', IDL.Opt(IDL.Text))).toEqual(['saved']);
        expect(IDL.decode([IDL.Opt(IDL.Text)], reply(restored.query({ sender: USER, canisterId: id, method: 'get', payload: new Uint8Array(IDL.encode([IDL.Text], ['k'])), effectivePrincipal: { kind: 'none' } })))[0]).toEqual(['v']); // stable state
        expect(query<bigint>(restored, id, 'version', IDL.Nat64)).toBe(versionBefore);
        // Cycles, when storage was last charged and the canister history (canister_info) survive.
        const restoredRecord = restored.canisterRecord(id)!;
        expect({
            cycles: restoredRecord.cycles,
            lastResourceCharge: restoredRecord.lastResourceCharge,
            totalChanges: restoredRecord.totalChanges,
            history: restoredRecord.history
        }).toEqual(accountBefore);
        expect(accountBefore.history.map((change) => change.details.kind)).toEqual(['creation', 'code_deployment']);
        reply(call(restored, id, 'increment', new Uint8Array(IDL.encode([], []))));
        expect(query<bigint>(restored, id, 'getCount', IDL.Nat)).toBe(2n);
        restored.dispose();
    });
});
