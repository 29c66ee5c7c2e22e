/**
 * Conformance: a canister that is not Azle. A hand-built module importing every `ic0` function
 * of the interface specification (32-bit memory) installs and runs; the imports Azle does not
 * use answer with their context rules; a REST query has a data certificate; `call_perform` fails synchronously once the queue to
 * one callee holds the replica's capacity (500).
 */
import { Principal } from '@dfinity/principal';
import type { PocketIc } from '@dfinity/pic';

import { ErrorCode, RejectCode, createPic, expectReject } from '../../tests/integration/support/pic';
import { I32, I64, buildModule, op, type FunctionSpec } from '../src/engine/wasm-builder';

type Signature = { params: number[]; results: number[] };

jest.setTimeout(180_000);

const sig = (params: string, results = ''): Signature => ({
    params: [...params].map((c) => (c === 'l' ? I64 : I32)),
    results: [...results].map((c) => (c === 'l' ? I64 : I32))
});
const I32_ADD = 0x6a;

/** Every `ic0` import of the interface specification with its signature (`i` i32, `l` i64). */
const IC0_IMPORTS: Record<string, Signature> = {
    msg_arg_data_size: sig('', 'i'), msg_arg_data_copy: sig('iii'), msg_caller_size: sig('', 'i'), msg_caller_copy: sig('iii'),
    msg_caller_info_data_size: sig('', 'i'), msg_caller_info_data_copy: sig('iii'), msg_caller_info_signer_size: sig('', 'i'), msg_caller_info_signer_copy: sig('iii'),
    msg_reject_code: sig('', 'i'), msg_reject_msg_size: sig('', 'i'), msg_reject_msg_copy: sig('iii'), msg_deadline: sig('', 'l'),
    msg_reply_data_append: sig('ii'), msg_reply: sig(''), msg_reject: sig('ii'),
    msg_cycles_available128: sig('i'), msg_cycles_refunded128: sig('i'), msg_cycles_accept128: sig('lli'), cycles_burn128: sig('lli'),
    canister_self_size: sig('', 'i'), canister_self_copy: sig('iii'), canister_cycle_balance128: sig('i'), canister_liquid_cycle_balance128: sig('i'),
    canister_status: sig('', 'i'), canister_version: sig('', 'l'), subnet_self_size: sig('', 'i'), subnet_self_copy: sig('iii'),
    msg_method_name_size: sig('', 'i'), msg_method_name_copy: sig('iii'), accept_message: sig(''),
    call_new: sig('iiiiiiii'), call_on_cleanup: sig('ii'), call_data_append: sig('ii'), call_with_best_effort_response: sig('i'), call_cycles_add128: sig('ll'), call_perform: sig('', 'i'),
    stable64_size: sig('', 'l'), stable64_grow: sig('l', 'l'), stable64_write: sig('lll'), stable64_read: sig('lll'),
    root_key_size: sig('', 'i'), root_key_copy: sig('iii'), certified_data_set: sig('ii'),
    data_certificate_present: sig('', 'i'), data_certificate_size: sig('', 'i'), data_certificate_copy: sig('iii'),
    time: sig('', 'l'), global_timer_set: sig('l', 'l'), performance_counter: sig('i', 'l'), is_controller: sig('ii', 'i'), in_replicated_execution: sig('', 'i'),
    cost_call: sig('lli'), cost_create_canister: sig('i'), cost_http_request: sig('lli'), cost_sign_with_ecdsa: sig('iiii', 'i'), cost_sign_with_schnorr: sig('iiii', 'i'), cost_vetkd_derive_key: sig('iiii', 'i'),
    env_var_count: sig('', 'i'), env_var_name_size: sig('i', 'i'), env_var_name_copy: sig('iiii'), env_var_name_exists: sig('ii', 'i'), env_var_value_size: sig('ii', 'i'), env_var_value_copy: sig('iiiii'),
    debug_print: sig('ii'), trap: sig('ii'), mint_cycles128: sig('lli'),
    msg_cycles_available: sig('', 'l'), msg_cycles_refunded: sig('', 'l'), msg_cycles_accept: sig('l', 'l'), canister_cycle_balance: sig('', 'l'), call_cycles_add: sig('l'),
    stable_size: sig('', 'i'), stable_grow: sig('i', 'i'), stable_write: sig('iii'), stable_read: sig('iii')
};

const SELF_AT = 100;
const METHOD_AT = 200;
const REPLY_AT = 0;
const DEADLINE_METHOD_AT = 300;
const DEADLINE_METHOD = 'deadline';
const BOUNDED_WAIT_SECONDS = 60;
/** Calls `flood` makes to itself in one execution: one more than the queue holds. */
const FLOOD_CALLS = 501;

/** The probe module: `probe` (query and update) reports environment imports, `flood` fills the queue to itself. */
function probeModule(): Uint8Array {
    const names = Object.keys(IC0_IMPORTS);
    const fn = Object.fromEntries(names.map((name, index) => [name, index])) as Record<keyof typeof IC0_IMPORTS, number>;
    const functions: FunctionSpec[] = [];
    /** Adds a function; returns its index (imports count first). */
    const define = (spec: Omit<FunctionSpec, 'body'> & { body: number[] }): number => {
        functions.push({ ...spec, body: [...spec.body, ...op.end] });
        return names.length + functions.length - 1;
    };

    const reply = (size: number): number[] => [...op.i32(REPLY_AT), ...op.i32(size), ...op.call(fn.msg_reply_data_append), ...op.call(fn.msg_reply)];
    const storeI32At = (address: number, value: number[]): number[] => [...op.i32(address), ...value, ...op.i32Store()];
    // status@0 replicated@4 deadline@8 subnet_size@16 env_count@20 cost_create@24 (u128) subnet id@40
    const probe = [
        ...storeI32At(0, op.call(fn.canister_status)),
        ...storeI32At(4, op.call(fn.in_replicated_execution)),
        ...op.i32(8), ...op.call(fn.msg_deadline), ...op.i64Store(),
        ...storeI32At(16, op.call(fn.subnet_self_size)),
        ...storeI32At(20, op.call(fn.env_var_count)),
        ...op.i32(24), ...op.call(fn.cost_create_canister),
        ...op.i32(40), ...op.i32(0), ...op.call(fn.subnet_self_size), ...op.call(fn.subnet_self_copy),
        ...op.i32(REPLY_AT), ...op.i32(40), ...op.call(fn.subnet_self_size), I32_ADD, ...op.call(fn.msg_reply_data_append), ...op.call(fn.msg_reply)
    ];
    define({ export: 'canister_query probe', body: probe });
    define({ export: 'canister_update probe_update', body: probe });
    define({ export: 'canister_query root_key', body: [...storeI32At(0, op.call(fn.root_key_size)), ...reply(4)] });
    define({ export: 'canister_update root_key_update', body: [...storeI32At(0, op.call(fn.root_key_size)), ...reply(4)] });
    const certificate = [...storeI32At(0, op.call(fn.data_certificate_present)), ...reply(4)];
    define({ export: 'canister_query certificate', body: certificate });
    define({ export: 'canister_update certificate_update', body: certificate });

    const callback = define({ params: [I32], body: [] });
    const CALLBACK_SLOT = 0;
    // `deadline` answers msg_deadline; `call_deadline` calls it bounded-wait and relays the answer.
    define({ export: 'canister_update deadline', body: [...op.i32(0), ...op.call(fn.msg_deadline), ...op.i64Store(), ...reply(8)] });
    const relay = define({
        params: [I32],
        body: [...op.i32(REPLY_AT), ...op.i32(0), ...op.i32(8), ...op.call(fn.msg_arg_data_copy), ...reply(8)]
    });
    const RELAY_SLOT = 1;
    define({
        export: 'canister_update call_deadline',
        body: [
            ...op.i32(SELF_AT), ...op.i32(0), ...op.call(fn.canister_self_size), ...op.call(fn.canister_self_copy),
            ...op.i32(SELF_AT), ...op.call(fn.canister_self_size), ...op.i32(DEADLINE_METHOD_AT), ...op.i32(DEADLINE_METHOD.length),
            ...op.i32(RELAY_SLOT), ...op.i32(0), ...op.i32(CALLBACK_SLOT), ...op.i32(0), ...op.call(fn.call_new),
            ...op.i32(BOUNDED_WAIT_SECONDS), ...op.call(fn.call_with_best_effort_response),
            ...op.call(fn.call_perform), ...op.drop
        ]
    });
    const SUM = 0;
    const oneCall = [
        ...op.i32(SELF_AT), ...op.call(fn.canister_self_size), ...op.i32(METHOD_AT), ...op.i32(1),
        ...op.i32(CALLBACK_SLOT), ...op.i32(0), ...op.i32(CALLBACK_SLOT), ...op.i32(0), ...op.call(fn.call_new),
        ...op.localGet(SUM), ...op.call(fn.call_perform), I32_ADD, ...op.localSet(SUM)
    ];
    const flood = [
        ...op.i32(SELF_AT), ...op.i32(0), ...op.call(fn.canister_self_size), ...op.call(fn.canister_self_copy),
        ...Array.from({ length: FLOOD_CALLS }, () => oneCall).flat(),
        ...storeI32At(REPLY_AT, op.localGet(SUM)),
        ...reply(4)
    ];
    define({ export: 'canister_update flood', locals: [[1, I32]], body: flood });
    return buildModule({
        imports: names.map((name) => ({ module: 'ic0', name, ...IC0_IMPORTS[name]! })),
        functions,
        memoryPages: 1,
        table: [callback, relay],
        data: [
            { offset: METHOD_AT, bytes: new TextEncoder().encode('m') },
            { offset: DEADLINE_METHOD_AT, bytes: new TextEncoder().encode(DEADLINE_METHOD) }
        ]
    });
}

/** A module whose `canister_inspect_message` never accepts: every ingress update is refused at submission. */
function refusingModule(): Uint8Array {
    return buildModule({
        imports: [{ module: 'ic0', name: 'msg_reply' }],
        functions: [
            { export: 'canister_inspect_message', body: [...op.end] },
            { export: 'canister_update go', body: [...op.call(0), ...op.end] }
        ],
        memoryPages: 1
    });
}

const u32At = (bytes: Uint8Array, offset: number): number => new DataView(bytes.buffer, bytes.byteOffset).getUint32(offset, true);

describe('Localnet > system API of a non-Azle module', () => {
    let pic: PocketIc;
    let canisterId: Principal;
    const call = (method: string): Promise<Uint8Array> => pic.updateCall({ canisterId, method, arg: new Uint8Array(0) });

    beforeAll(async () => {
        pic = await createPic();
        canisterId = await pic.createCanister();
        await pic.installCode({ canisterId, wasm: probeModule() });
    });
    afterAll(async () => {
        await pic.tearDown();
    });

    it('links every ic0 import and answers the environment imports in a query', async () => {
        const reply = await pic.queryCall({ canisterId, method: 'probe', arg: new Uint8Array(0) });
        const subnetSize = u32At(reply, 16);
        expect({
            status: u32At(reply, 0),
            replicated: u32At(reply, 4),
            deadline: new DataView(reply.buffer, reply.byteOffset).getBigUint64(8, true),
            environmentVariables: u32At(reply, 20),
            createCanisterCost: new DataView(reply.buffer, reply.byteOffset).getBigUint64(24, true)
        }).toEqual({ status: 1, replicated: 0, deadline: 0n, environmentVariables: 0, createCanisterCost: 500_000_000_000n });
        const subnet = Principal.fromUint8Array(reply.subarray(40, 40 + subnetSize));
        expect(subnet.toText()).toBe((await pic.getCanisterSubnetId(canisterId))!.toText());
    });

    it('runs the same imports replicated in an update', async () => {
        const reply = await call('probe_update');
        expect([u32At(reply, 0), u32At(reply, 4)]).toEqual([1, 1]);
    });

    it('gives the root key to an update and traps root_key_size in a non-replicated query', async () => {
        expect(u32At(await call('root_key_update'), 0)).toBe(133);
        const failure = await expectReject(pic.queryCall({ canisterId, method: 'root_key', arg: new Uint8Array(0) }), {
            rejectCode: RejectCode.CanisterError,
            errorCode: ErrorCode.CanisterTrapped
        });
        expect(failure.message).toContain('"ic0.root_key_size" cannot be executed in query mode');
    });

    it('has a data certificate in a query sent through the PocketIC REST API, none in an update', async () => {
        expect(u32At(await pic.queryCall({ canisterId, method: 'certificate', arg: new Uint8Array(0) }), 0)).toBe(1);
        expect(u32At(await call('certificate_update'), 0)).toBe(0);
    });

    it('reports an inspect-message refusal at submission as an uncertified IC0406 reject', async () => {
        const refusing = await pic.createCanister();
        await pic.installCode({ canisterId: refusing, wasm: refusingModule() });
        const submitted = pic.updateCall({ canisterId: refusing, method: 'go', arg: new Uint8Array(0) });
        const failure = await expectReject(submitted, { rejectCode: RejectCode.CanisterReject, errorCode: ErrorCode.CanisterRejectedMessage });
        expect(failure.message).toBe(`Error from Canister ${refusing.toText()}: Canister rejected the message`);
        await expect(pic.updateCall({ canisterId: refusing, method: 'go', arg: new Uint8Array(0) })).rejects.toThrow(/Certified: false$/);
    });

    it('gives msg_deadline 0 to an ingress update and the call time plus the timeout to a bounded-wait callee', async () => {
        const u64At = (bytes: Uint8Array): bigint => new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true);
        expect(u64At(await call('deadline'))).toBe(0n);
        const before = BigInt(Math.floor(await pic.getTime())) * 1_000_000n;
        const deadline = u64At(await call('call_deadline'));
        const after = BigInt(Math.ceil(await pic.getTime())) * 1_000_000n;
        const second = 1_000_000_000n;
        const timeout = BigInt(BOUNDED_WAIT_SECONDS) * second;
        // Whole seconds: the call's round time rounded down, plus the timeout.
        expect(deadline % second).toBe(0n);
        expect(deadline).toBeGreaterThanOrEqual((before / second) * second + timeout);
        expect(deadline).toBeLessThanOrEqual(after + timeout);
    });

    it('fails call_perform synchronously with 2 (SYS_TRANSIENT) once 500 calls to one callee are queued', async () => {
        // 500 calls return 0, the 501st returns 2: the sum of the codes is 2.
        expect(u32At(await call('flood'), 0)).toBe(2);
        // The 500 answered calls freed their slots: the next flood again queues 500.
        expect(u32At(await call('flood'), 0)).toBe(2);
    });
});
