/**
 * Conformance: what the management canister reports about a canister: `canister_status` in
 * the current interface (memory_metrics, version, ready_for_migration, settings) with
 * truthful memory, cycles and idle burn, and `canister_info` (controllers, module hash, the
 * recent changes with their origins and details, total number of changes), which only
 * canisters may call.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { createIdentity } from '@dfinity/pic';
import type { Actor, PocketIc } from '@dfinity/pic';

import { expectOk } from '../../tests/integration/support/calls';
import { AZLE_SETTLE_TICKS, counterArg, deployCaller, deployCounter, fixtureWasm } from '../../tests/integration/support/fixtures';
import type { CallerService } from '../../tests/integration/support/fixtures';
import { createPic, expectCallFailure, sha256 } from '../../tests/integration/support/pic';

jest.setTimeout(180_000);

const alice = createIdentity('alice');

/** The parts of `canister_status_result` pic-js does not expose, read by field name. */
const StatusExtras = IDL.Record({
    version: IDL.Nat64,
    ready_for_migration: IDL.Bool,
    memory_size: IDL.Nat,
    cycles: IDL.Nat,
    memory_metrics: IDL.Record({
        wasm_memory_size: IDL.Nat,
        stable_memory_size: IDL.Nat,
        global_memory_size: IDL.Nat,
        wasm_binary_size: IDL.Nat,
        custom_sections_size: IDL.Nat,
        canister_history_size: IDL.Nat,
        wasm_chunk_store_size: IDL.Nat,
        snapshots_size: IDL.Nat,
        log_memory_store_size: IDL.Nat
    }),
    settings: IDL.Record({
        log_memory_limit: IDL.Nat,
        snapshot_visibility: IDL.Variant({ controllers: IDL.Null, public: IDL.Null, allowed_viewers: IDL.Vec(IDL.Principal) }),
        status_visibility: IDL.Variant({ controllers: IDL.Null, public: IDL.Null, allowed_viewers: IDL.Vec(IDL.Principal) }),
        minimum_incoming_canister_call_cycles: IDL.Nat
    })
});
type StatusExtrasValue = {
    version: bigint;
    ready_for_migration: boolean;
    memory_size: bigint;
    cycles: bigint;
    memory_metrics: Record<string, bigint>;
    settings: { log_memory_limit: bigint; snapshot_visibility: object; status_visibility: object; minimum_incoming_canister_call_cycles: bigint };
};

const Change = IDL.Record({
    timestamp_nanos: IDL.Nat64,
    canister_version: IDL.Nat64,
    origin: IDL.Variant({
        from_user: IDL.Record({ user_id: IDL.Principal }),
        from_canister: IDL.Record({ canister_id: IDL.Principal, canister_version: IDL.Opt(IDL.Nat64) })
    }),
    details: IDL.Opt(
        IDL.Variant({
            creation: IDL.Record({ controllers: IDL.Vec(IDL.Principal) }),
            code_uninstall: IDL.Null,
            code_deployment: IDL.Record({ mode: IDL.Variant({ install: IDL.Null, reinstall: IDL.Null, upgrade: IDL.Null }), module_hash: IDL.Vec(IDL.Nat8) }),
            controllers_change: IDL.Record({ controllers: IDL.Vec(IDL.Principal) })
        })
    )
});
const InfoResult = IDL.Record({
    total_num_changes: IDL.Nat64,
    recent_changes: IDL.Vec(Change),
    module_hash: IDL.Opt(IDL.Vec(IDL.Nat8)),
    controllers: IDL.Vec(IDL.Principal)
});
type ChangeValue = {
    timestamp_nanos: bigint;
    canister_version: bigint;
    origin: { from_user: { user_id: Principal } } | { from_canister: { canister_id: Principal; canister_version: [] | [bigint] } };
    details: [] | [Record<string, { controllers?: Principal[]; mode?: Record<string, null>; module_hash?: Uint8Array }>];
};
type InfoValue = { total_num_changes: bigint; recent_changes: ChangeValue[]; module_hash: [] | [Uint8Array]; controllers: Principal[] };

const infoArg = (canisterId: Principal, changes: bigint | null): Uint8Array =>
    new Uint8Array(
        IDL.encode([IDL.Record({ canister_id: IDL.Principal, num_requested_changes: IDL.Opt(IDL.Nat64) })], [{ canister_id: canisterId, num_requested_changes: changes === null ? [] : [changes] }])
    );

const kindOf = (change: ChangeValue): string => Object.keys(change.details[0] ?? {})[0] ?? 'none';

describe('Localnet > canister_status and canister_info', () => {
    let pic: PocketIc;
    let caller: Actor<CallerService>;
    let callerId: Principal;

    beforeAll(async () => {
        pic = await createPic();
        ({ actor: caller, canisterId: callerId } = await deployCaller(pic));
        await pic.tick(AZLE_SETTLE_TICKS);
    });
    afterAll(async () => {
        await pic.tearDown();
    });

    async function info(canisterId: Principal, changes: bigint | null): Promise<InfoValue> {
        const { reply } = expectOk(await caller.callRaw(Principal.managementCanister(), 'canister_info', infoArg(canisterId, changes), 0n));
        return IDL.decode([InfoResult], reply)[0] as unknown as InfoValue;
    }

    describe('canister_status', () => {
        it('itemises memory_size in memory_metrics and reports the version, cycles and idle burn truthfully', async () => {
            const { actor, canisterId } = await deployCounter(pic);
            await pic.tick(AZLE_SETTLE_TICKS);
            const raw = await pic.updateCall({
                canisterId: Principal.managementCanister(),
                method: 'canister_status',
                arg: new Uint8Array(IDL.encode([IDL.Record({ canister_id: IDL.Principal })], [{ canister_id: canisterId }]))
            });
            const status = IDL.decode([StatusExtras], raw)[0] as unknown as StatusExtrasValue;
            const parts = Object.values(status.memory_metrics);
            expect(parts.reduce((sum, part) => sum + part, 0n)).toBe(status.memory_size);
            expect(status.memory_metrics['wasm_memory_size']).toBeGreaterThan(0n);
            expect(status.memory_metrics['wasm_binary_size']).toBeGreaterThan(0n);
            expect(status.memory_metrics['stable_memory_size']! % 65_536n).toBe(0n);
            // Creation and installation are in the history.
            expect(status.memory_metrics['canister_history_size']).toBeGreaterThan(0n);
            expect(status.ready_for_migration).toBe(false);
            expect(status.version).toBe(await actor.version());
            expect(status.cycles).toBe(BigInt(await pic.getCyclesBalance(canisterId)));
            expect(status.settings.log_memory_limit).toBe(4_096n);
            expect(status.settings.snapshot_visibility).toEqual({ controllers: null });
            expect(status.settings.status_visibility).toEqual({ controllers: null });
            expect(status.settings.minimum_incoming_canister_call_cycles).toBe(0n);

            const decoded = await pic.canisterStatus({ canisterId });
            expect(decoded.idleCyclesBurnedPerDay).toBe((decoded.memorySize * 127_000n * 86_400n) / 1024n ** 3n);
        });

        it('counts the chunk store in memory_size', async () => {
            const canisterId = await pic.createCanister();
            const before = (await pic.canisterStatus({ canisterId })).memorySize;
            await pic.updateCall({
                canisterId: Principal.managementCanister(),
                method: 'upload_chunk',
                arg: new Uint8Array(IDL.encode([IDL.Record({ canister_id: IDL.Principal, chunk: IDL.Vec(IDL.Nat8) })], [{ canister_id: canisterId, chunk: new Uint8Array(10) }]))
            });
            expect((await pic.canisterStatus({ canisterId })).memorySize - before).toBe(1024n * 1024n);
        });
    });

    describe('canister_info', () => {
        it('lists the changes with their origins and details, newest last, and counts them all', async () => {
            const { canisterId } = await deployCounter(pic, { sender: alice.getPrincipal() });
            await pic.upgradeCanister({ canisterId, wasm: fixtureWasm('counter'), arg: counterArg(), sender: alice.getPrincipal() });
            await pic.updateCanisterSettings({ canisterId, controllers: [alice.getPrincipal(), callerId], sender: alice.getPrincipal() });

            const all = await info(canisterId, 20n);
            expect(all.total_num_changes).toBe(4n);
            expect(all.recent_changes.map(kindOf)).toEqual(['creation', 'code_deployment', 'code_deployment', 'controllers_change']);
            for (const change of all.recent_changes) {
                expect(change.origin).toEqual({ from_user: { user_id: alice.getPrincipal() } });
            }
            const [creation, install, upgrade, controllers] = all.recent_changes.map((c) => c.details[0]!);
            expect(creation!['creation']!.controllers).toEqual([alice.getPrincipal()]);
            expect(install!['code_deployment']!.mode).toEqual({ install: null });
            expect(upgrade!['code_deployment']!.mode).toEqual({ upgrade: null });
            expect(new Uint8Array(upgrade!['code_deployment']!.module_hash!)).toEqual(sha256(fixtureWasm('counter')));
            expect(controllers!['controllers_change']!.controllers).toEqual([alice.getPrincipal(), callerId]);
            // Versions only grow along the history.
            const versions = all.recent_changes.map((c) => c.canister_version);
            expect([...versions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(versions);
            expect(new Uint8Array(all.module_hash[0]!)).toEqual(sha256(fixtureWasm('counter')));
            expect(all.controllers).toEqual([alice.getPrincipal(), callerId]);

            const lastTwo = await info(canisterId, 2n);
            expect(lastTwo.total_num_changes).toBe(4n);
            expect(lastTwo.recent_changes.map(kindOf)).toEqual(['code_deployment', 'controllers_change']);
            expect((await info(canisterId, null)).recent_changes).toEqual([]);
        });

        it('records a canister as the origin of what it did', async () => {
            const createArg = new Uint8Array(
                IDL.encode([IDL.Record({ settings: IDL.Opt(IDL.Reserved), sender_canister_version: IDL.Opt(IDL.Nat64) })], [{ settings: [], sender_canister_version: [7n] }])
            );
            const { reply } = expectOk(await caller.callRaw(Principal.managementCanister(), 'create_canister', createArg, 1_000_000_000_000n));
            const created = (IDL.decode([IDL.Record({ canister_id: IDL.Principal })], reply)[0] as unknown as { canister_id: Principal }).canister_id;
            const [creation] = (await info(created, 1n)).recent_changes;
            expect(creation!.origin).toEqual({ from_canister: { canister_id: callerId, canister_version: [7n] } });
            expect(creation!.details[0]!['creation']!.controllers).toEqual([callerId]);
        });

        it('cannot be called with an ingress message', async () => {
            const failure = await expectCallFailure(
                pic.updateCall({ canisterId: Principal.managementCanister(), method: 'canister_info', arg: infoArg(callerId, 1n) })
            );
            expect(failure.errorCode).toBe('CanisterRejectedMessage');
            expect(failure.message).toBe('ic00 method canister_info can not be called via ingress messages');
        });
    });
});
