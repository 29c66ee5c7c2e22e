/**
 * The management canister (`aaaaa-aa`): canister lifecycle, code installation (including the
 * chunk store), settings, status and randomness, with the interface specification's
 * permission rules.
 */
import { createHash } from 'node:crypto';

import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

import { RejectCode, type CallResult, type Reject } from '../api';
import { Canister, DEFAULT_SETTINGS, type CanisterSettings } from './canister';
import { CanisterTrap, instructionLimitExceeded, InstructionLimitExceeded, reject as rejectOf, rejects, type ErrorCodeName } from './errors';
import { Execution, type ExecutionInput } from './execution';
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
                const canister = this.create(request, caller, args.settings[0], request.cycles, undefined);
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
                this.install(target, args.mode, bytes(args.wasm_module), bytes(args.arg), request.sender);
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
                this.install(target, args.mode, new Uint8Array(wasm), bytes(args.arg), request.sender);
                return reply(EMPTY_CANDID);
            }
            case 'upload_chunk': {
                const args = decode<M.UploadChunkArgsValue>(M.UploadChunkArgs, request.arg, request.method);
                const target = this.controlled(request, args.canister_id);
                const chunk = bytes(args.chunk);
                if (chunk.length > MAX_CHUNK) fail(RejectCode.CanisterError, 'CanisterContractViolation', `Error from Canister aaaaa-aa: a chunk is at most ${MAX_CHUNK} bytes, got ${chunk.length}`);
                if (target.chunkStore.size >= MAX_CHUNKS) fail(RejectCode.CanisterError, 'CanisterOutOfMemory', `Error from Canister aaaaa-aa: the chunk store of ${target.idText} is full`);
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
                this.uninstall(target);
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
                if (controllers !== null) target.controllers = controllers;
                target.version += 1n;
                return reply(EMPTY_CANDID);
            }
            case 'canister_status':
                return reply(encode([M.CanisterStatusResult], [this.status(targetOf())]));
            case 'raw_rand':
                return reply(encode([M.RawRandResult], [this.host.randomBytes(32)]));
            default:
                return fail(RejectCode.DestinationInvalid, 'UnknownManagementMessage', `Management canister has no method '${request.method}'`);
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

    private create(request: Request, caller: Canister | null, settings: M.CanisterSettingsValue | undefined, cycles: bigint, specified: Principal | undefined): Canister {
        const allocated = this.host.allocateCanisterId(caller?.subnetIndex ?? request.subnetIndex ?? null, specified?.toUint8Array() ?? null);
        if ('rejectCode' in allocated) throw new ManagementReject(allocated);
        const applied = settings === undefined ? { settings: { ...DEFAULT_SETTINGS }, controllers: null } : applySettings(DEFAULT_SETTINGS, settings);
        const canister = new Canister(allocated.id, allocated.subnetIndex, applied.controllers ?? [request.sender], cycles);
        canister.settings = applied.settings;
        this.host.replica.canisters.set(canister.key, canister);
        return canister;
    }

    /**
     * install / reinstall / upgrade. Every step runs against the canister's state; if any step
     * traps, the canister keeps its old module, heap, stable memory, timer and certified data.
     */
    private install(canister: Canister, mode: M.InstallModeValue, wasm: Uint8Array, arg: Uint8Array, sender: Uint8Array): void {
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
        let installInstructions = 0n;
        const step = (runtime: NonNullable<Canister['runtime']>, execution: Execution, entry: string, persistence: Persistence, name: string): void => {
            const { trap, instructions } = runtime.run(execution, { export: entry }, persistence);
            installInstructions += instructions;
            canister.instructionsExecuted += instructions;
            if (trap !== null) failed(name, trap);
        };
        const started = (runtime: NonNullable<Canister['runtime']>): void => {
            installInstructions += runtime.startInstructions;
            if (installInstructions > installLimit) failed('start', new InstructionLimitExceeded(installLimit));
        };
        const budget = (): Partial<ExecutionInput> => ({ instructionLimit: installLimit, instructionsBefore: installInstructions });
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

    private uninstall(canister: Canister): void {
        this.host.replica.rejectOpenContexts(
            canister,
            rejectOf(RejectCode.CanisterReject, 'CanisterWasmModuleNotFound', `Canister ${canister.idText} has been uninstalled.`)
        );
        canister.runtime = null;
        canister.generation++;
        canister.stable.clear();
        canister.certifiedData = new Uint8Array(0);
        canister.timer = 0n;
        canister.version += 1n;
    }

    private status(canister: Canister): unknown {
        const s = canister.settings;
        return {
            status: { [canister.status]: null },
            settings: {
                controllers: canister.controllers.map((c) => Principal.fromUint8Array(c)),
                compute_allocation: s.computeAllocation,
                memory_allocation: s.memoryAllocation,
                freezing_threshold: s.freezingThreshold,
                reserved_cycles_limit: s.reservedCyclesLimit,
                log_visibility:
                    'allowed_viewers' in s.logVisibility
                        ? { allowed_viewers: s.logVisibility.allowed_viewers.map((p) => Principal.fromUint8Array(p)) }
                        : s.logVisibility,
                wasm_memory_limit: s.wasmMemoryLimit,
                wasm_memory_threshold: s.wasmMemoryThreshold,
                environment_variables: s.environmentVariables
            },
            module_hash: canister.runtime === null ? [] : [canister.runtime.module.hash],
            memory_size: canister.memorySize(),
            cycles: canister.cycles,
            reserved_cycles: 0n,
            idle_cycles_burned_per_day: 0n,
            query_stats: {
                num_calls_total: 0n,
                num_instructions_total: 0n,
                request_payload_bytes_total: 0n,
                response_payload_bytes_total: 0n
            }
        };
    }
}

const MAX_CONTROLLERS = 10;

function applySettings(
    current: CanisterSettings,
    update: M.CanisterSettingsValue
): { settings: CanisterSettings; controllers: Uint8Array[] | null } {
    const controllers = update.controllers[0];
    if (controllers !== undefined && controllers.length > MAX_CONTROLLERS) {
        fail(RejectCode.CanisterReject, 'InvalidManagementPayload', `Invalid settings: at most ${MAX_CONTROLLERS} controllers are allowed, got ${controllers.length}`);
    }
    const visibility = update.log_visibility[0];
    return {
        controllers: controllers === undefined ? null : controllers.map((p) => p.toUint8Array()),
        settings: {
            computeAllocation: update.compute_allocation[0] ?? current.computeAllocation,
            memoryAllocation: update.memory_allocation[0] ?? current.memoryAllocation,
            freezingThreshold: update.freezing_threshold[0] ?? current.freezingThreshold,
            reservedCyclesLimit: update.reserved_cycles_limit[0] ?? current.reservedCyclesLimit,
            logVisibility:
                visibility === undefined
                    ? current.logVisibility
                    : 'allowed_viewers' in visibility
                      ? { allowed_viewers: visibility.allowed_viewers.map((p) => p.toUint8Array()) }
                      : visibility,
            wasmMemoryLimit: update.wasm_memory_limit[0] ?? current.wasmMemoryLimit,
            wasmMemoryThreshold: update.wasm_memory_threshold[0] ?? current.wasmMemoryThreshold,
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

