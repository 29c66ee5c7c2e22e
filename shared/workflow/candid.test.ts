import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { candidToJson, decodeReplyToJson, encodeArgsFromJson, jsonToCandid } from './candid-json';
import { parseCandidTypes } from './candid-text';
import { OrchestratorMethods, orchestratorIdlFactory } from './orchestrator-api';
import { ExecutorMethods, decodeNodeTask, encodeNodeTask, executorIdlFactory, type NodeTask } from './executor-api';

function types(text: string): IDL.Type[] {
    const r = parseCandidTypes(text);
    if (!r.ok) throw new Error(r.message);
    return r.types;
}

describe('Candid type text > parser', () => {
    it.each([
        ['nat64', '(nat64)'],
        ['(record { price_e8s: nat64; at: int })', '(record {at:int; price_e8s:nat64})'],
        ['(variant { Ok: nat; Err: text })', '(variant {Ok:nat; Err:text})'],
        ['(opt vec principal, blob)', '(opt vec principal, vec nat8)'],
        ['(record { nat; text })', '(record {nat; text})'],
        ['(variant { A; B })', '(variant {A; B})'],
        ['(record { "quoted name": bool })', '(record {quoted name:bool})'],
        ['()', '()']
    ])('%s', (text, display) => {
        const t = types(text);
        expect(`(${t.map((x) => x.display()).join(', ')})`).toBe(display);
    });

    it.each([
        ['(natt)', 1],
        ['(record { a: nat', 16],
        ['(nat) trailing', 6],
        ['(record { a: nat; a: text })', 18],
        ['variant { : nat }', 10]
    ])('rejects %s with an offset', (text, offset) => {
        const r = parseCandidTypes(text);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.offset).toBe(offset);
    });

    it('bounds nesting depth', () => {
        expect(parseCandidTypes('opt '.repeat(40) + 'nat').ok).toBe(false);
        expect(parseCandidTypes('opt '.repeat(10) + 'nat').ok).toBe(true);
    });
});

describe('Candid ↔ JSON', () => {
    it('decodes a reply to JSON: big nats as strings, principals as text, blobs as hex', () => {
        const t = types('(record { small: nat64; big: nat; who: principal; raw: blob; maybe: opt nat8; tag: variant { Ok: nat32; Err: text } })');
        const bytes = IDL.encode(t, [{ small: 5n, big: 2n ** 70n, who: Principal.fromText('aaaaa-aa'), raw: new Uint8Array([1, 255]), maybe: [], tag: { Ok: 7 } }]);
        const r = decodeReplyToJson(t, bytes);
        expect(r).toEqual({ ok: true, value: { small: 5, big: (2n ** 70n).toString(), who: 'aaaaa-aa', raw: '01ff', maybe: null, tag: { Ok: 7 } } });
    });

    it('reports undecodable bytes instead of throwing', () => {
        expect(decodeReplyToJson(types('(nat)'), new Uint8Array([1, 2, 3])).ok).toBe(false);
    });

    it('encodes template values into argument bytes that decode back', () => {
        const t = types('(record { amount: nat; to: principal; memo: opt blob; kind: variant { Repay; Topup: nat8 } }, vec int32)');
        const r = encodeArgsFromJson(t, [{ amount: '100000000000000000000', to: 'aaaaa-aa', kind: 'Repay' }, [1, -2]]);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const back = IDL.decode(t, r.value);
        expect(candidToJson(t[0], back[0])).toEqual({ amount: '100000000000000000000', to: 'aaaaa-aa', memo: null, kind: { Repay: null } });
        expect(candidToJson(t[1], back[1])).toEqual([1, -2]);
    });

    it.each([
        ['(nat)', ['x'], '0'],
        ['(record { a: text })', [{ a: 1 }], '0.a'],
        ['(vec bool)', [[true, 3]], '0.1'],
        ['(variant { A })', ['B'], '0'],
        ['(principal)', ['nope'], '0']
    ])('rejects %s %j at path %s', (text, values, path) => {
        const r = encodeArgsFromJson(types(text), values);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.path).toBe(path);
    });

    it('narrows 32-bit nats to numbers as @dfinity/candid expects', () => {
        expect(jsonToCandid(IDL.Nat32, 7)).toEqual({ ok: true, value: 7 });
        expect(jsonToCandid(IDL.Nat64, 7)).toEqual({ ok: true, value: 7n });
    });
});

describe('Service definitions', () => {
    it('build idlFactories with every method and the right annotations', () => {
        const orch = orchestratorIdlFactory({ IDL });
        const names = orch._fields.map(([n]) => n).sort();
        expect(names).toEqual(Object.keys(OrchestratorMethods).sort());
        const get = orch._fields.find(([n]) => n === 'get_execution');
        expect(get?.[1].annotations).toEqual(['query']);
        const exec = executorIdlFactory({ IDL });
        expect(exec._fields.map(([n]) => n).sort()).toEqual(Object.keys(ExecutorMethods).sort());
    });

    it('round-trips node tasks', () => {
        const tasks: NodeTask[] = [{ kind: 'Wait' }, { kind: 'Call', canister: 'aaaaa-aa', method: 'm', args: new Uint8Array([1]), cycles: 5n, reply: { kind: 'Candid', types: '(nat)' } }];
        for (const t of tasks) expect(decodeNodeTask(encodeNodeTask(t))).toEqual(t);
    });
});
