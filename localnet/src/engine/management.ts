/**
 * The management canister (`aaaaa-aa`): canister lifecycle, code installation (including the
 * chunk store), settings, status and randomness, with the interface specification's
 * permission rules.
 */
import { createHash } from 'node:crypto';

import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

import { RejectCode, type CallResult, type Reject, type SubnetKind } from '../api';
import { Canister, DEFAULT_SETTINGS, type CanisterSettings, type ChangeDetails, type ChangeOrigin, type Visibility } from './canister';
import { CanisterTrap, instructionLimitExceeded, InstructionLimitExceeded, reject as rejectOf, rejects, type ErrorCodeName } from './errors';
import { Execution, type ExecutionInput } from './execution';
import { canisterCreationFee, instructionsCost } from './fees';
import * as M from './management-idl';
import { EMPTY_CANDID, Replica, type Request } from './replica';
import { InvalidModuleError, ModuleCache, sha256 } from './wasm-module';
import type { Persistence } from './wasm-runtime';

/** What the management canister needs from the instance that hosts it. */
export type ManagementHost = {
    replica: Replica;
    modules: ModuleCache;
    /** Allocates a canister id on the subnet of `near` (a canister) or the default subnet. */
    allocateCanisterId(subnetIndex: number | null, specified: Uint8Array | null): { id: Uint8Array; subnetIndex: number } | Reject;
    randomBytes(count: number): Uint8Array;
    /** The kind of a subnet, by index (cross-subnet creation is for NNS canisters only). */
    subnetKind(subnetIndex: number): SubnetKind;
};

/** Methods a user may send as ingress messages (the rest only canisters may call). */
export const INGRESS_METHODS = new Set([
    'provisional_create_canister_with_cycles',
    'provisional_top_up_canister',
    'install_code',
    'install_chunked_code',
    'upload_chunk',
    'clear_chunk_store',
    'stored_chunks',
    'uninstall_code',
    'start_canister',
    'stop_canister',
    'delete_canister',
    'update_settings',
    'canister_status'
]);

const MAX_CHUNK = 1024 * 1024;
const MAX_CHUNKS = 10_000;
const DEFAULT_CREATE_CYCLES = 100_000_000_000_000n;

class ManagementReject extends Error {
    constructor(readonly reject: Reject) {
        super(reject.rejectMessage);
    }
}

const fail = (code: (typeof RejectCode)[keyof typeof RejectCode], errorCode: ErrorCodeName, message: string): never => {
    throw new ManagementReject(rejectOf(code, errorCode, message));
};

function encode(types: IDL.Type[], values: unknown[]): Uint8Array {
    return new Uint8Array(IDL.encode(types, values));
}

function decode<T>(type: IDL.Type, arg: Uint8Array, method: string): T {
    try {
        const [value] = IDL.decode([type], arg);
        return value as T;
    } catch (error) {
        return fail(
            RejectCode.CanisterReject,
            'InvalidManagementPayload',
            `Error decoding candid for ic00 method ${method}: ${error instanceof Error ? error.message : String(error)}`
        );
    }
}

const bytes = (value: Uint8Array | number[]): Uint8Array => (value instanceof Uint8Array ? value : Uint8Array.from(value));
const hex = (value: Uint8Array): string => Buffer.from(value).toString('hex');

export class ManagementCanister {
    constructor(private readonly host: ManagementHost) {}

    handle(request: Request, respond: (result: CallResult, refund?: bigint) => void): void {
        try {
            const caller = request.origin.kind === 'canister' ? this.host.replica.canisters.get(request.origin.caller) ?? null : null;
            if (request.method === 'stop_canister') {
                const target = this.controlled(request, decode<M.CanisterIdRecordValue>(M.CanisterIdRecord, request.arg, request.method).canister_id);
                if (target.status === 'stopped') return respond({ kind: 'reply', payload: EMPTY_CANDID }, request.cycles);
                this.host.replica.requestStop(target, request.origin, (result) => respond(result, request.cycles));
                return;
            }
            const { payload, refund } = this.dispatch(request, caller);
            respond({ kind: 'reply', payload }, refund);
        } catch (error) {
            if (error instanceof ManagementReject) {
                respond({ kind: 'reject', reject: error.reject }, request.cycles);
                return;
            }
            throw error;
        }
    }

    private dispatch(request: Request, caller: Canister | null): { payload: Uint8Array; refund: bigint } {
        const replica = this.host.replica;
        const reply = (payload: Uint8Array): { payload: Uint8Array; refund: bigint } => ({ payload, refund: request.cycles });
        const targetOf = (): Canister =>
            this.controlled(request, decode<M.CanisterIdRecordValue>(M.CanisterIdRecord, request.arg, request.method).canister_id);
        switch (request.method) {
            case 'provisional_create_canister_with_cycles': {
                const args = decode<M.ProvisionalCreateArgsValue>(M.ProvisionalCreateArgs, request.arg, request.method);
                const canister = this.create(request, caller, args.settings[0], args.amount[0] ?? DEFAULT_CREATE_CYCLES, args.specified_id[0]);
                return reply(encode([M.CanisterIdRecord], [{ canister_id: Principal.fromUint8Array(canister.id) }]));
            }
            case 'create_canister': {
                const args = decode<M.CreateCanisterArgsValue>(M.CreateCanisterArgs, request.arg, request.method);
                const subnetIndex = this.creationSubnet(request, caller);
                // The creation fee (the new canister's subnet's) comes out of the cycles sent with the request.
                const fee = caller === null ? 0n : canisterCreationFee(replica.cycles.subnetFees(subnetIndex ?? caller.subnetIndex));
                if (request.cycles < fee) {
                    fail(
                        RejectCode.CanisterReject,
                        'InsufficientCyclesForCreateCanister',
                        `Creating a canister requires a fee of ${fee} that is deducted from the canister's initial balance but only ${request.cycles} cycles were received with the create_canister request.`
                    );
                }
                const canister = this.create(request, caller, args.settings[0], request.cycles - fee, undefined, subnetIndex);
                return { payload: encode([M.CanisterIdRecord], [{ canister_id: Principal.fromUint8Array(canister.id) }]), refund: 0n };
            }
            case 'provisional_top_up_canister': {
                const args = decode<M.ProvisionalTopUpArgsValue>(M.ProvisionalTopUpArgs, request.arg, request.method);
                this.existing(args.canister_id).cycles += args.amount;
                return reply(EMPTY_CANDID);
            }
            case 'deposit_cycles': {
                const args = decode<M.CanisterIdRecordValue>(M.CanisterIdRecord, request.arg, request.method);
                this.existing(args.canister_id).cycles += request.cycles;
                return { payload: EMPTY_CANDID, refund: 0n };
            }
            case 'install_code': {
                const args = decode<M.InstallCodeArgsValue>(M.InstallCodeArgs, request.arg, request.method);
                const target = this.controlled(request, args.canister_id);
                this.install(target, args.mode, bytes(args.wasm_module), bytes(args.arg), request);
                return reply(EMPTY_CANDID);
            }
            case 'install_chunked_code': {
                const args = decode<M.InstallChunkedCodeArgsValue>(M.InstallChunkedCodeArgs, request.arg, request.method);
                const target = this.controlled(request, args.target_canister);
                const store = args.store_canister[0] === undefined ? target : this.controlled(request, args.store_canister[0]);
                const parts = args.chunk_hashes_list.map(({ hash }) => {
                    const chunk = store.chunkStore.get(hex(bytes(hash)));
                    if (chunk === undefined) {
                        return fail(RejectCode.CanisterError, 'CanisterContractViolation', `Error from Canister aaaaa-aa: chunk ${hex(bytes(hash))} is not in the chunk store of ${store.idText}`);
                    }
                    return chunk;
                });
                const wasm = Buffer.concat(parts);
                if (hex(sha256(wasm)) !== hex(bytes(args.wasm_module_hash))) {
                    fail(RejectCode.CanisterError, 'CanisterContractViolation', `Error from Canister aaaaa-aa: the assembled module's hash ${hex(sha256(wasm))} does not match wasm_module_hash ${hex(bytes(args.wasm_module_hash))}`);
                }
                this.install(target, args.mode, new Uint8Array(wasm), bytes(args.arg), request);
                return reply(EMPTY_CANDID);
            }
            case 'upload_chunk': {
                const args = decode<M.UploadChunkArgsValue>(M.UploadChunkArgs, request.arg, request.method);
                const target = this.controlled(request, args.canister_id);
                const chunk = bytes(args.chunk);
                if (chunk.length > MAX_CHUNK) fail(RejectCode.CanisterError, 'CanisterContractViolation', `Error from Canister aaaaa-aa: a chunk is at most ${MAX_CHUNK} bytes, got ${chunk.length}`);
                if (target.chunkStore.size >= MAX_CHUNKS) fail(RejectCode.CanisterError, 'CanisterOutOfMemory', `Error from Canister aaaaa-aa: the chunk store of ${target.idText} is full`);
                // The management canister's own work is charged to the target, without a base fee.
                const fees = replica.cycles.fees(target);
                const unpaid = replica.cycles.consume(target, instructionsCost(fees, fees.uploadChunkInstructions), true);
                if (unpaid !== null) throw new ManagementReject(unpaid);
                const hash = sha256(chunk);
                target.chunkStore.set(hex(hash), chunk);
                return reply(encode([M.UploadChunkResult], [{ hash }]));
            }
            case 'clear_chunk_store':
                targetOf().chunkStore.clear();
                return reply(EMPTY_CANDID);
            case 'stored_chunks':
                return reply(encode([M.StoredChunksResult], [[...targetOf().chunkStore.keys()].map((h) => ({ hash: Buffer.from(h, 'hex') }))]));
            case 'uninstall_code': {
                const target = targetOf();
                replica.uninstallCode(target);
                this.record(target, request, { kind: 'code_uninstall' });
                return reply(EMPTY_CANDID);
            }
            case 'start_canister': {
                const target = targetOf();
                if (target.status === 'stopping') {
                    replica.cancelStop(target, rejectOf(RejectCode.CanisterError, 'CanisterStoppingCancelled', `Canister ${target.idText}'s stop request was cancelled.`));
                }
                if (target.status !== 'running') {
                    target.status = 'running';
                    target.version += 1n;
                }
                return reply(EMPTY_CANDID);
            }
            case 'delete_canister': {
                const target = targetOf();
                if (target.status !== 'stopped') {
                    fail(RejectCode.CanisterError, 'CanisterNotStopped', `Canister ${target.idText} must be stopped before it is deleted.`);
                }
                replica.forget(target);
                return reply(EMPTY_CANDID);
            }
            case 'update_settings': {
                const args = decode<M.UpdateSettingsArgsValue>(M.UpdateSettingsArgs, request.arg, request.method);
                const target = this.controlled(request, args.canister_id);
                const { settings, controllers } = applySettings(target.settings, args.settings);
                target.settings = settings;
                target.version += 1n;
                if (controllers !== null) {
                    target.controllers = controllers;
                    this.record(target, request, { kind: 'controllers_change', controllers });
                }
                return reply(EMPTY_CANDID);
            }
            case 'canister_status':
                return reply(encode([M.CanisterStatusResult], [this.status(targetOf())]));
            case 'canister_info': {
                // Any canister may ask (no controller check); ingress cannot reach it (INGRESS_METHODS).
                const args = decode<M.CanisterInfoArgsValue>(M.CanisterInfoArgs, request.arg, request.method);
                return reply(encode([M.CanisterInfoResult], [canisterInfo(this.existing(args.canister_id), args.num_requested_changes[0] ?? 0n)]));
            }
            case 'raw_rand':
                return reply(encode([M.RawRandResult], [this.host.randomBytes(32)]));
            default:
                throw new ManagementReject(rejects.managementMethodNotFound(request.method));
        }
    }

    private existing(id: Principal): Canister {
        const canister = this.host.replica.canister(id.toUint8Array());
        if (canister === undefined) return fail(RejectCode.DestinationInvalid, 'CanisterNotFound', `Canister ${id.toText()} not found`);
        return canister;
    }

    /** The target canister, provided the request's sender controls it. */
    private controlled(request: Request, id: Principal): Canister {
        const canister = this.existing(id);
        if (!canister.isController(request.sender)) throw new ManagementReject(rejects.notController(canister.id, request.sender, request.method));
        return canister;
    }

    /**
     * The subnet a canister's `create_canister` creates on: its own, or the subnet it addressed
     * by id. As on the IC, only canisters of the NNS subnet (the cycles minting canister) may
     * create canisters on another subnet (dfinity/ic `rs/execution_environment/src/execution_environment.rs`,
     * test `create_canister_xnet_called_from_non_nns`).
     */
    private creationSubnet(request: Request, caller: Canister | null): number | null {
        if (caller === null || request.subnetIndex === undefined || request.subnetIndex === caller.subnetIndex) return caller?.subnetIndex ?? request.subnetIndex ?? null;
        if (this.host.subnetKind(caller.subnetIndex) !== 'NNS') {
            fail(RejectCode.CanisterError, 'CanisterContractViolation', 'Cannot create canister. Sender should be on the same subnet or on the NNS subnet.');
        }
        return request.subnetIndex;
    }

    private create(request: Request, caller: Canister | null, settings: M.CanisterSettingsValue | undefined, cycles: bigint, specified: Principal | undefined, subnetIndex?: number | null): Canister {
        const allocated = this.host.allocateCanisterId(subnetIndex ?? caller?.subnetIndex ?? request.subnetIndex ?? null, specified?.toUint8Array() ?? null);
        if ('rejectCode' in allocated) throw new ManagementReject(allocated);
        const applied = settings === undefined ? { settings: { ...DEFAULT_SETTINGS }, controllers: null } : applySettings(DEFAULT_SETTINGS, settings);
        const canister = new Canister(allocated.id, allocated.subnetIndex, applied.controllers ?? [request.sender], cycles);
        canister.settings = applied.settings;
        canister.lastResourceCharge = this.host.replica.roundTime;
        this.host.replica.canisters.set(canister.key, canister);
        this.record(canister, request, { kind: 'creation', controllers: canister.controllers });
        return canister;
    }

    /** Adds a change, made by the request's sender, to the canister's history. */
    private record(canister: Canister, request: Request, details: ChangeDetails): void {
        canister.recordChange({ timestampNanos: this.host.replica.roundTime, canisterVersion: canister.version, origin: changeOrigin(request), details });
    }

    /**
     * install / reinstall / upgrade. Prepays the install at the install_code instruction limit (the canister must stay above
     * its freezing limit), runs it, charges what it used and records the deployment. Every
     * step runs against the canister's state; if any step traps, the canister keeps its old
     * module, heap, stable memory, timer and certified data.
     */
    private install(canister: Canister, mode: M.InstallModeValue, wasm: Uint8Array, arg: Uint8Array, request: Request): void {
        const cycles = this.host.replica.cycles;
        const prepayment = cycles.prepayExecution(canister, cycles.fees(canister).maxInstructionsPerInstallCode, true);
        if ('rejectCode' in prepayment) {
            fail(RejectCode.SysTransient, 'CanisterOutOfCycles', `Canister installation failed with \`${prepayment.rejectMessage}\`.`);
            return;
        }
        const meter = { instructions: 0n };
        try {
            this.runInstall(canister, mode, wasm, arg, request.sender, meter);
        } finally {
            cycles.settleExecution(canister, prepayment, meter.instructions);
        }
        const deployed = 'upgrade' in mode ? 'upgrade' : 'install' in mode ? 'install' : 'reinstall';
        this.record(canister, request, { kind: 'code_deployment', mode: deployed, moduleHash: canister.runtime!.module.hash });
    }

    private runInstall(canister: Canister, mode: M.InstallModeValue, wasm: Uint8Array, arg: Uint8Array, sender: Uint8Array, meter: { instructions: bigint }): void {
        let module;
        try {
            module = this.host.modules.load(wasm);
        } catch (error) {
            if (error instanceof InvalidModuleError) {
                return fail(RejectCode.CanisterError, 'InvalidModule', `Error from Canister ${canister.idText}: Canister's Wasm module is not valid: ${error.message}`);
            }
            throw error;
        }
        const replica = this.host.replica;
        const failed = (step: string, trap: CanisterTrap): never => {
            if (trap instanceof InstructionLimitExceeded) throw new ManagementReject(instructionLimitExceeded(canister.id, trap.limit));
            return fail(
                RejectCode.CanisterError,
                trap.cause === 'explicit' ? 'CanisterCalledTrap' : 'CanisterTrapped',
                `Error from Canister ${canister.idText}: Canister called \`ic0.trap\` with message: '${trap.message}' during ${step}.`
            );
        };
        // One install_code has one budget: start + init, or pre_upgrade + start + post_upgrade.
        const installLimit = replica.limits(canister).install;
        const step = (runtime: NonNullable<Canister['runtime']>, execution: Execution, entry: string, persistence: Persistence, name: string): void => {
            const { trap, instructions } = runtime.run(execution, { export: entry }, persistence);
            meter.instructions += instructions;
            canister.instructionsExecuted += instructions;
            if (trap !== null) failed(name, trap);
        };
        const started = (runtime: NonNullable<Canister['runtime']>): void => {
            meter.instructions += runtime.startInstructions;
            if (meter.instructions > installLimit) failed('start', new InstructionLimitExceeded(installLimit));
        };
        const budget = (): Partial<ExecutionInput> => ({ instructionLimit: installLimit, instructionsBefore: meter.instructions });
        if ('upgrade' in mode) {
            const old = canister.runtime;
            if (old === null) return void fail(RejectCode.CanisterError, 'CanisterWasmModuleNotFound', `Error from Canister ${canister.idText}: Attempted to upgrade a canister that contains no Wasm module.`);
            const options = mode.upgrade[0];
            const persistence = options?.wasm_memory_persistence[0];
            if (persistence !== undefined && 'keep' in persistence) {
                fail(RejectCode.CanisterError, 'CanisterContractViolation', `Error from Canister ${canister.idText}: wasm_memory_persistence = keep requires a module with enhanced orthogonal persistence, and the new module has none.`);
            }
            canister.stable.begin();
            try {
                if (old.module.hasPreUpgrade && options?.skip_pre_upgrade[0] !== true) {
                    const pre = new Execution({ ...replica.executionInput(canister, 'pre_upgrade'), caller: sender, ...budget() });
                    step(old, pre, 'canister_pre_upgrade', 'stable', 'pre_upgrade');
                }
                const next = this.instantiate(canister, module);
                started(next);
                const post = new Execution({
                    ...replica.executionInput(canister, 'post_upgrade'),
                    caller: sender,
                    arg,
                    timer: 0n,
                    canisterVersion: canister.version + 1n,
                    ...budget()
                });
                if (module.hasPostUpgrade) step(next, post, 'canister_post_upgrade', 'all', 'post_upgrade');
                canister.stable.commit();
                this.replaceCode(canister, next, post);
            } catch (error) {
                canister.stable.rollback();
                throw error;
            }
            return;
        }
        if ('install' in mode && canister.runtime !== null) {
            fail(RejectCode.CanisterError, 'CanisterNonEmpty', `Error from Canister ${canister.idText}: Canister is not empty: use mode reinstall or upgrade.`);
        }
        // install and reinstall start from empty stable memory; keep the old one until init succeeds.
        const oldStable = canister.stable.snapshot();
        canister.stable.clear();
        try {
            const next = this.instantiate(canister, module);
            started(next);
            const init = new Execution({
                ...replica.executionInput(canister, 'init'),
                caller: sender,
                arg,
                timer: 0n,
                certifiedData: new Uint8Array(0),
                canisterVersion: canister.version + 1n,
                ...budget()
            });
            if (module.hasInit) step(next, init, 'canister_init', 'all', 'init');
            this.replaceCode(canister, next, init);
        } catch (error) {
            canister.stable.replace(oldStable);
            throw error;
        }
    }

    private instantiate(canister: Canister, module: ReturnType<ModuleCache['load']>) {
        try {
            return this.host.replica.instantiate(canister, module);
        } catch (error) {
            return fail(RejectCode.CanisterError, 'CanisterTrapped', `Error from Canister ${canister.idText}: instantiating the module failed: ${error instanceof Error ? error.message : String(error)}`);
        }
    }

    /** Commits a successful install: new code, the init/upgrade execution's effects, a new generation. */
    private replaceCode(canister: Canister, runtime: NonNullable<Canister['runtime']>, execution: Execution): void {
        canister.runtime = runtime;
        canister.generation++;
        canister.version += 1n;
        canister.timer = execution.timer;
        canister.certifiedData = execution.certifiedData;
        canister.cycles = execution.balance;
    }

    private status(canister: Canister): unknown {
        const s = canister.settings;
        const metrics = canister.memoryMetrics();
        return {
            status: { [canister.status]: null },
            ready_for_migration: false,
            version: canister.version,
            settings: {
                controllers: canister.controllers.map((c) => Principal.fromUint8Array(c)),
                compute_allocation: s.computeAllocation,
                memory_allocation: s.memoryAllocation,
                freezing_threshold: s.freezingThreshold,
                reserved_cycles_limit: s.reservedCyclesLimit,
                log_visibility: visibilityValue(s.logVisibility),
                log_memory_limit: s.logMemoryLimit,
                snapshot_visibility: visibilityValue(s.snapshotVisibility),
                status_visibility: visibilityValue(s.statusVisibility),
                wasm_memory_limit: s.wasmMemoryLimit,
                wasm_memory_threshold: s.wasmMemoryThreshold,
                minimum_incoming_canister_call_cycles: s.minimumIncomingCanisterCallCycles,
                environment_variables: s.environmentVariables
            },
            module_hash: canister.runtime === null ? [] : [canister.runtime.module.hash],
            memory_size: canister.memorySize(),
            memory_metrics: {
                wasm_memory_size: metrics.wasmMemorySize,
                stable_memory_size: metrics.stableMemorySize,
                global_memory_size: metrics.globalMemorySize,
                wasm_binary_size: metrics.wasmBinarySize,
                custom_sections_size: metrics.customSectionsSize,
                canister_history_size: metrics.canisterHistorySize,
                wasm_chunk_store_size: metrics.wasmChunkStoreSize,
                snapshots_size: metrics.snapshotsSize,
                log_memory_store_size: metrics.logMemoryStoreSize
            },
            cycles: canister.cycles,
            // Storage reservation starts above 750 GiB of subnet usage; a local subnet stays below.
            reserved_cycles: 0n,
            idle_cycles_burned_per_day: this.host.replica.idleCyclesBurnedPerDay(canister),
            query_stats: {
                num_calls_total: 0n,
                num_instructions_total: 0n,
                request_payload_bytes_total: 0n,
                response_payload_bytes_total: 0n
            }
        };
    }
}

/** Who made a change: a user (ingress) or a canister, with the version it said it had. */
function changeOrigin(request: Request): ChangeOrigin {
    if (request.origin.kind !== 'canister') return { kind: 'user', user: request.sender };
    return { kind: 'canister', canister: request.sender, canisterVersion: senderCanisterVersion(request.arg) };
}

const SENDER_VERSION_ARG = IDL.Record({ sender_canister_version: IDL.Opt(IDL.Nat64) });

/** `sender_canister_version` of a management argument that has one (null when absent or unreadable). */
function senderCanisterVersion(arg: Uint8Array): bigint | null {
    try {
        const [value] = IDL.decode([SENDER_VERSION_ARG], arg) as unknown as [{ sender_canister_version: [] | [bigint] }];
        return value.sender_canister_version[0] ?? null;
    } catch {
        // Arguments without the field (or not a record) carry no version.
        return null;
    }
}

/** `canister_info`: controllers, module hash and the `requested` most recent changes (at most 20 are kept). */
function canisterInfo(canister: Canister, requested: bigint): unknown {
    const count = Number(requested < BigInt(canister.history.length) ? requested : BigInt(canister.history.length));
    return {
        total_num_changes: canister.totalChanges,
        recent_changes: canister.history.slice(canister.history.length - count).map((change) => ({
            timestamp_nanos: change.timestampNanos,
            canister_version: change.canisterVersion,
            origin:
                change.origin.kind === 'user'
                    ? { from_user: { user_id: Principal.fromUint8Array(change.origin.user) } }
                    : {
                          from_canister: {
                              canister_id: Principal.fromUint8Array(change.origin.canister),
                              canister_version: change.origin.canisterVersion === null ? [] : [change.origin.canisterVersion]
                          }
                      },
            details: changeDetailsValue(change.details)
        })),
        module_hash: canister.runtime === null ? [] : [canister.runtime.module.hash],
        controllers: canister.controllers.map((c) => Principal.fromUint8Array(c))
    };
}

function changeDetailsValue(details: ChangeDetails): unknown {
    const principals = (list: Uint8Array[]): Principal[] => list.map((c) => Principal.fromUint8Array(c));
    switch (details.kind) {
        case 'creation':
            return { creation: { controllers: principals(details.controllers), environment_variables_hash: [] } };
        case 'code_uninstall':
            return { code_uninstall: null };
        case 'code_deployment':
            return { code_deployment: { mode: { [details.mode]: null }, module_hash: details.moduleHash } };
        case 'controllers_change':
            return { controllers_change: { controllers: principals(details.controllers) } };
    }
}

const visibilityValue = (v: Visibility): M.VisibilityValue =>
    'allowed_viewers' in v ? { allowed_viewers: v.allowed_viewers.map((p) => Principal.fromUint8Array(p)) } : v;

const visibilityOf = (v: M.VisibilityValue | undefined, current: Visibility): Visibility =>
    v === undefined ? current : 'allowed_viewers' in v ? { allowed_viewers: v.allowed_viewers.map((p) => p.toUint8Array()) } : v;

const MAX_CONTROLLERS = 10;

function applySettings(
    current: CanisterSettings,
    update: M.CanisterSettingsValue
): { settings: CanisterSettings; controllers: Uint8Array[] | null } {
    const controllers = update.controllers[0];
    if (controllers !== undefined && controllers.length > MAX_CONTROLLERS) {
        fail(RejectCode.CanisterReject, 'InvalidManagementPayload', `Invalid settings: at most ${MAX_CONTROLLERS} controllers are allowed, got ${controllers.length}`);
    }
    return {
        controllers: controllers === undefined ? null : controllers.map((p) => p.toUint8Array()),
        settings: {
            computeAllocation: update.compute_allocation[0] ?? current.computeAllocation,
            memoryAllocation: update.memory_allocation[0] ?? current.memoryAllocation,
            freezingThreshold: update.freezing_threshold[0] ?? current.freezingThreshold,
            reservedCyclesLimit: update.reserved_cycles_limit[0] ?? current.reservedCyclesLimit,
            logVisibility: visibilityOf(update.log_visibility[0], current.logVisibility),
            logMemoryLimit: update.log_memory_limit?.[0] ?? current.logMemoryLimit,
            snapshotVisibility: visibilityOf(update.snapshot_visibility?.[0], current.snapshotVisibility),
            statusVisibility: visibilityOf(update.status_visibility?.[0], current.statusVisibility),
            wasmMemoryLimit: update.wasm_memory_limit[0] ?? current.wasmMemoryLimit,
            wasmMemoryThreshold: update.wasm_memory_threshold[0] ?? current.wasmMemoryThreshold,
            minimumIncomingCanisterCallCycles: update.minimum_incoming_canister_call_cycles?.[0] ?? current.minimumIncomingCanisterCallCycles,
            environmentVariables: update.environment_variables[0] ?? current.environmentVariables
        }
    };
}

/** Deterministic randomness for `raw_rand`, seeded per instance. */
export function randomStream(seed: Uint8Array): (count: number) => Uint8Array {
    let counter = 0;
    return (count) => {
        const out = new Uint8Array(count);
        for (let offset = 0; offset < count; offset += 32) {
            const block = createHash('sha256').update(seed).update(String(counter++)).digest();
            out.set(block.subarray(0, Math.min(32, count - offset)), offset);
        }
        return out;
    };
}

