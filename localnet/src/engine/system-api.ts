/**
 * The `ic0` imports Azle canisters use, with the interface specification's semantics:
 * availability per execution context, bounds checks that trap, and 128-bit values as
 * little-endian (high, low) pairs.
 */
import { canisterKey } from './canister';
import { costOf, type CostAnswer } from './cost-api';
import { CanisterTrap } from './errors';
import { Execution, MAX_PAYLOAD, type ExecutionKind } from './execution';
import { callTotalFee, canWithdraw, liquidBalance, responseExecutionPrepayment, responseTransmissionPrepayment } from './fees';
import { StableMemory, WASM_PAGE } from './stable-memory';

type Kinds = ReadonlySet<ExecutionKind>;
const kinds = (...list: ExecutionKind[]): Kinds => new Set(list);
const ALL: Kinds = kinds(
    'init', 'pre_upgrade', 'post_upgrade', 'update', 'replicated_query', 'query', 'composite_query', 'reply',
    'reject', 'composite_reply', 'composite_reject', 'cleanup', 'inspect', 'heartbeat', 'timer'
);
const ALL_AND_START: Kinds = new Set([...ALL, 'start']);
const ARG_DATA = kinds('init', 'post_upgrade', 'update', 'replicated_query', 'query', 'composite_query', 'reply', 'composite_reply', 'inspect');
const REJECT_CODE = kinds('reply', 'reject', 'composite_reply', 'composite_reject', 'cleanup');
const REJECT_MSG = kinds('reject', 'composite_reject');
const ANSWER = kinds('update', 'replicated_query', 'query', 'composite_query', 'reply', 'reject', 'composite_reply', 'composite_reject');
const CYCLES_IN = kinds('update', 'replicated_query', 'reply', 'reject');
const REFUNDED = kinds('reply', 'reject');
const BURN = kinds('init', 'pre_upgrade', 'post_upgrade', 'update', 'replicated_query', 'reply', 'reject', 'cleanup', 'heartbeat', 'timer');
const INSPECT = kinds('inspect');
const CALLS = kinds('update', 'composite_query', 'reply', 'reject', 'composite_reply', 'composite_reject', 'heartbeat', 'timer');
const CALL_CYCLES = kinds('update', 'reply', 'reject', 'heartbeat', 'timer');
const CERTIFY = kinds('init', 'pre_upgrade', 'post_upgrade', 'update', 'reply', 'reject', 'heartbeat', 'timer');
const CERTIFICATE = kinds('query', 'composite_query');
const TIMER = kinds('init', 'pre_upgrade', 'post_upgrade', 'update', 'reply', 'reject', 'cleanup', 'heartbeat', 'timer');
const CALLER_INFO = kinds('update', 'replicated_query', 'query', 'composite_query', 'reply', 'reject', 'composite_reply', 'composite_reject', 'cleanup', 'inspect');
const DEADLINE = kinds('update', 'replicated_query', 'query', 'composite_query', 'reply', 'reject', 'composite_reply', 'composite_reject');
const ROOT_KEY = kinds('init', 'pre_upgrade', 'post_upgrade', 'update', 'replicated_query', 'reply', 'reject', 'cleanup', 'heartbeat', 'timer');
const MINT = kinds('update', 'reply', 'reject');
/** Only the cycles minting canister may mint (rkp4c-7iaaa-aaaaa-aaaca-cai). */
const CYCLES_MINTING_CANISTER = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 4, 1, 1);
/** The 32-bit stable memory API addresses at most 4 GiB. */
const MAX_STABLE32_PAGES = 65_536;

/**
 * Requests one canister may have towards one callee, queued or awaiting their response: the
 * replica's queue capacity (dfinity/ic rs/config/src/execution_environment.rs,
 * DEFAULT_QUEUE_CAPACITY).
 */
export const QUEUE_CAPACITY = 500;

const U64 = (1n << 64n) - 1n;
/** `call_perform`'s result when the call could not be made (reject code SYS_TRANSIENT). */
const SYS_TRANSIENT = 2;
const u64 = (value: bigint): bigint => BigInt.asUintN(64, value);
const u32 = (value: number): number => value >>> 0;

/** What the imports need from the canister that owns them. */
export type SystemApiHost = {
    memory(): WebAssembly.Memory;
    execution(): Execution;
    stable: StableMemory;
    log(text: string): void;
    /** Called before every heap write the host makes (argument copies etc.), so a rollback can undo it. */
    beforeHeapWrite(dst: number, size: number): void;
    /** Instructions the current execution has used so far (its own charge included). */
    instructionsUsed(): bigint;
};

export function createSystemApi(host: SystemApiHost): WebAssembly.ModuleImports {
    let view = new Uint8Array(0);
    const heap = (): Uint8Array => {
        const buffer = host.memory().buffer;
        if (view.buffer !== buffer) view = new Uint8Array(buffer);
        return view;
    };
    const exec = (name: string, allowed: Kinds): Execution => {
        const execution = host.execution();
        if (!allowed.has(execution.kind)) {
            throw new CanisterTrap(`"ic0.${name}" cannot be executed in ${execution.kind} mode`, 'system');
        }
        return execution;
    };
    const readHeap = (src: number, size: number): Uint8Array => {
        const memory = heap();
        src = u32(src);
        size = u32(size);
        if (src + size > memory.length) throw new CanisterTrap(`heap read out of bounds: ${src}+${size}`, 'system');
        return memory.slice(src, src + size);
    };
    const writeHeap = (dst: number, bytes: Uint8Array): void => {
        const memory = heap();
        dst = u32(dst);
        if (dst + bytes.length > memory.length) throw new CanisterTrap(`heap write out of bounds: ${dst}+${bytes.length}`, 'system');
        host.beforeHeapWrite(dst, bytes.length);
        memory.set(bytes, dst);
    };
    /** `*_copy(dst, offset, size)` over a source blob. */
    const copyOut = (name: string, source: Uint8Array, dst: number, offset: number, size: number): void => {
        offset = u32(offset);
        size = u32(size);
        if (offset + size > source.length) {
            throw new CanisterTrap(`${name}: src=${offset} + length=${size} exceeds the slice size=${source.length}`, 'system');
        }
        writeHeap(dst, source.subarray(offset, offset + size));
    };
    const write128 = (dst: number, value: bigint): void => {
        const bytes = new Uint8Array(16);
        new DataView(bytes.buffer).setBigUint64(0, value & U64, true);
        new DataView(bytes.buffer).setBigUint64(8, value >> 64n, true);
        writeHeap(dst, bytes);
    };
    const amount128 = (high: bigint, low: bigint): bigint => (u64(high) << 64n) | u64(low);
    const answer = (name: string): Execution => {
        const execution = exec(name, ANSWER);
        if (!execution.canAnswer || execution.answer !== null) {
            throw new CanisterTrap(`"ic0.${name}": the call is already replied to or cannot be replied to`, 'system');
        }
        return execution;
    };
    const building = (name: string): Execution => {
        const execution = exec(name, CALLS);
        if (execution.pendingCall === null) throw new CanisterTrap(`"ic0.${name}" called with no call under construction`, 'system');
        return execution;
    };
    const decodeText = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
    const accept = (name: string, wanted: bigint): bigint => {
        const execution = exec(name, CYCLES_IN);
        const taken = wanted < execution.cyclesAvailable ? wanted : execution.cyclesAvailable;
        execution.cyclesAvailable -= taken;
        execution.cyclesAccepted += taken;
        execution.balance += taken;
        return taken;
    };
    const addCallCycles = (name: string, amount: bigint): void => {
        const execution = exec(name, CALL_CYCLES);
        const call = building(name).pendingCall!;
        if (!canWithdraw(execution.balance, amount, execution.freezingLimit)) {
            throw new CanisterTrap(
                `ic0.${name}: cannot add ${amount} cycles, the balance is ${execution.balance} and the freezing limit ${execution.freezingLimit}`,
                'system'
            );
        }
        execution.balance -= amount;
        call.cycles += amount;
    };
    /** `cost_sign_*`-style answer: 0 and the cost at `dst`, or the specification's error code. */
    const costCode = (answer: CostAnswer, dst: number): number => {
        if ('cycles' in answer) {
            write128(dst, answer.cycles);
            return 0;
        }
        return answer.error === 'invalid_curve_or_algorithm' ? 1 : 2;
    };
    const costCycles = (answer: CostAnswer, dst: number): void => {
        if (!('cycles' in answer)) throw new Error('a cost query without a key always has a cost');
        write128(dst, answer.cycles);
    };
    const utf8 = (name: string, bytes: Uint8Array): string => {
        try {
            return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
            throw new CanisterTrap(`ic0.${name}: the name is not valid UTF-8`, 'system');
        }
    };
    const envVar = (name: string, index: number): { name: string; value: string } => {
        const variables = exec(name, ALL).environmentVariables;
        const variable = variables[u32(index)];
        if (variable === undefined) throw new CanisterTrap(`ic0.${name}: index ${u32(index)} is out of bounds (${variables.length} variables)`, 'system');
        return variable;
    };
    const envValue = (name: string, src: number, size: number): string => {
        const wanted = utf8(name, readHeap(src, size));
        const variable = exec(name, ALL).environmentVariables.find((v) => v.name === wanted);
        if (variable === undefined) throw new CanisterTrap(`ic0.${name}: no environment variable named "${wanted}"`, 'system');
        return variable.value;
    };
    /** The legacy 64-bit cycle imports trap when the amount does not fit. */
    const cycles64 = (name: string, amount: bigint): bigint => {
        if (amount > U64) throw new CanisterTrap(`ic0.${name}: the amount ${amount} does not fit in 64 bits`, 'system');
        return amount;
    };
    const stable32 = (name: string): void => {
        exec(name, ALL_AND_START);
        if (host.stable.sizePages > MAX_STABLE32_PAGES) throw new CanisterTrap(`ic0.${name}: stable memory is larger than 4 GiB; use the 64-bit API`, 'system');
    };
    const stableRange = (offset: bigint, size: bigint): [number, number] => {
        const o = u64(offset);
        const s = u64(size);
        if (!host.stable.inBounds(o, s)) {
            throw new CanisterTrap(`stable memory out of bounds: offset ${o}, size ${s}, memory ${host.stable.sizeBytes}`, 'system');
        }
        return [Number(o), Number(s)];
    };

    return {
        msg_arg_data_size: () => exec('msg_arg_data_size', ARG_DATA).arg.length,
        msg_arg_data_copy: (dst: number, offset: number, size: number) =>
            copyOut('msg_arg_data_copy', exec('msg_arg_data_copy', ARG_DATA).arg, dst, offset, size),
        msg_caller_size: () => exec('msg_caller_size', ALL).caller.length,
        msg_caller_copy: (dst: number, offset: number, size: number) =>
            copyOut('msg_caller_copy', exec('msg_caller_copy', ALL).caller, dst, offset, size),
        msg_reject_code: () => exec('msg_reject_code', REJECT_CODE).rejectCode,
        msg_reject_msg_size: () => new TextEncoder().encode(exec('msg_reject_msg_size', REJECT_MSG).rejectMessage).length,
        msg_reject_msg_copy: (dst: number, offset: number, size: number) =>
            copyOut('msg_reject_msg_copy', new TextEncoder().encode(exec('msg_reject_msg_copy', REJECT_MSG).rejectMessage), dst, offset, size),
        msg_reply_data_append: (src: number, size: number) => {
            const execution = answer('msg_reply_data_append');
            if (execution.replySize + u32(size) > MAX_PAYLOAD) {
                throw new CanisterTrap(`reply payload exceeds the ${MAX_PAYLOAD}-byte limit`, 'system');
            }
            execution.replyChunks.push(readHeap(src, size));
            execution.replySize += u32(size);
        },
        msg_reply: () => {
            const execution = answer('msg_reply');
            const payload = new Uint8Array(execution.replySize);
            let offset = 0;
            for (const chunk of execution.replyChunks) {
                payload.set(chunk, offset);
                offset += chunk.length;
            }
            execution.answer = { kind: 'reply', payload };
            execution.answerRefund = execution.cyclesAvailable;
            execution.cyclesAvailable = 0n;
        },
        msg_reject: (src: number, size: number) => {
            const execution = answer('msg_reject');
            const bytes = readHeap(src, size);
            let message: string;
            try {
                message = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
            } catch {
                throw new CanisterTrap('ic0.msg_reject: the reject message is not valid UTF-8', 'system');
            }
            execution.answer = { kind: 'reject', message };
            execution.answerRefund = execution.cyclesAvailable;
            execution.cyclesAvailable = 0n;
        },
        msg_cycles_available128: (dst: number) => write128(dst, exec('msg_cycles_available128', CYCLES_IN).cyclesAvailable),
        msg_cycles_refunded128: (dst: number) => write128(dst, exec('msg_cycles_refunded128', REFUNDED).cyclesRefunded),
        msg_cycles_accept128: (high: bigint, low: bigint, dst: number) => write128(dst, accept('msg_cycles_accept128', amount128(high, low))),
        cycles_burn128: (high: bigint, low: bigint, dst: number) => {
            const execution = exec('cycles_burn128', BURN);
            const wanted = amount128(high, low);
            const liquid = liquidBalance(execution.balance, execution.freezingLimit);
            const burned = wanted < liquid ? wanted : liquid;
            execution.balance -= burned;
            write128(dst, burned);
        },
        canister_self_size: () => exec('canister_self_size', ALL).canisterId.length,
        canister_self_copy: (dst: number, offset: number, size: number) =>
            copyOut('canister_self_copy', exec('canister_self_copy', ALL).canisterId, dst, offset, size),
        canister_cycle_balance128: (dst: number) => write128(dst, exec('canister_cycle_balance128', ALL).balance),
        canister_liquid_cycle_balance128: (dst: number) => {
            const execution = exec('canister_liquid_cycle_balance128', ALL);
            write128(dst, liquidBalance(execution.balance, execution.freezingLimit));
        },
        canister_version: () => exec('canister_version', ALL).canisterVersion,
        canister_status: () => exec('canister_status', ALL).status,
        subnet_self_size: () => exec('subnet_self_size', ALL).subnetId.length,
        subnet_self_copy: (dst: number, offset: number, size: number) =>
            copyOut('subnet_self_copy', exec('subnet_self_copy', ALL).subnetId, dst, offset, size),
        root_key_size: () => exec('root_key_size', ROOT_KEY).rootKey.length,
        root_key_copy: (dst: number, offset: number, size: number) =>
            copyOut('root_key_copy', exec('root_key_copy', ROOT_KEY).rootKey, dst, offset, size),
        // Callers are never authenticated by canister signatures here: the caller info is empty.
        msg_caller_info_data_size: () => (exec('msg_caller_info_data_size', CALLER_INFO), 0),
        msg_caller_info_data_copy: (dst: number, offset: number, size: number) =>
            copyOut('msg_caller_info_data_copy', (exec('msg_caller_info_data_copy', CALLER_INFO), new Uint8Array(0)), dst, offset, size),
        msg_caller_info_signer_size: () => (exec('msg_caller_info_signer_size', CALLER_INFO), 0),
        msg_caller_info_signer_copy: (dst: number, offset: number, size: number) =>
            copyOut('msg_caller_info_signer_copy', (exec('msg_caller_info_signer_copy', CALLER_INFO), new Uint8Array(0)), dst, offset, size),
        msg_deadline: () => exec('msg_deadline', DEADLINE).deadline,
        env_var_count: () => exec('env_var_count', ALL).environmentVariables.length,
        env_var_name_size: (index: number) => new TextEncoder().encode(envVar('env_var_name_size', index).name).length,
        env_var_name_copy: (index: number, dst: number, offset: number, size: number) =>
            copyOut('env_var_name_copy', new TextEncoder().encode(envVar('env_var_name_copy', index).name), dst, offset, size),
        env_var_name_exists: (src: number, size: number) => {
            const wanted = utf8('env_var_name_exists', readHeap(src, size));
            return exec('env_var_name_exists', ALL).environmentVariables.some((v) => v.name === wanted) ? 1 : 0;
        },
        env_var_value_size: (src: number, size: number) => new TextEncoder().encode(envValue('env_var_value_size', src, size)).length,
        env_var_value_copy: (src: number, size: number, dst: number, offset: number, length: number) =>
            copyOut('env_var_value_copy', new TextEncoder().encode(envValue('env_var_value_copy', src, size)), dst, offset, length),
        mint_cycles128: (high: bigint, low: bigint, dst: number) => {
            const execution = exec('mint_cycles128', MINT);
            if (!Buffer.from(execution.canisterId).equals(CYCLES_MINTING_CANISTER)) {
                throw new CanisterTrap('ic0.mint_cycles128 can only be executed on the Cycles Minting Canister', 'system');
            }
            const amount = amount128(high, low);
            execution.balance += amount;
            write128(dst, amount);
        },
        // The legacy 64-bit cycle and 32-bit stable memory imports, for modules built against them.
        msg_cycles_available: () => cycles64('msg_cycles_available', exec('msg_cycles_available', CYCLES_IN).cyclesAvailable),
        msg_cycles_refunded: () => cycles64('msg_cycles_refunded', exec('msg_cycles_refunded', REFUNDED).cyclesRefunded),
        msg_cycles_accept: (max: bigint) => accept('msg_cycles_accept', u64(max)),
        canister_cycle_balance: () => cycles64('canister_cycle_balance', exec('canister_cycle_balance', ALL).balance),
        call_cycles_add: (amount: bigint) => addCallCycles('call_cycles_add', u64(amount)),
        stable_size: () => {
            stable32('stable_size');
            return host.stable.sizePages;
        },
        stable_grow: (pages: number) => {
            stable32('stable_grow');
            const delta = u32(pages);
            if (host.stable.sizePages + delta > MAX_STABLE32_PAGES) return -1;
            return host.stable.grow(delta);
        },
        stable_write: (offset: number, src: number, size: number) => {
            stable32('stable_write');
            const [o, s] = stableRange(BigInt(u32(offset)), BigInt(u32(size)));
            host.stable.write(o, readHeap(src, s));
        },
        stable_read: (dst: number, offset: number, size: number) => {
            stable32('stable_read');
            const [o, s] = stableRange(BigInt(u32(offset)), BigInt(u32(size)));
            writeHeap(dst, host.stable.read(o, s));
        },
        msg_method_name_size: () => new TextEncoder().encode(exec('msg_method_name_size', INSPECT).methodName).length,
        msg_method_name_copy: (dst: number, offset: number, size: number) =>
            copyOut('msg_method_name_copy', new TextEncoder().encode(exec('msg_method_name_copy', INSPECT).methodName), dst, offset, size),
        accept_message: () => {
            const execution = exec('accept_message', INSPECT);
            if (execution.acceptedMessage) throw new CanisterTrap('ic0.accept_message called twice', 'system');
            execution.acceptedMessage = true;
        },
        call_new: (
            calleeSrc: number, calleeSize: number, nameSrc: number, nameSize: number,
            replyFun: number, replyEnv: number, rejectFun: number, rejectEnv: number
        ) => {
            const execution = exec('call_new', CALLS);
            if (execution.pendingCall !== null) execution.balance += execution.pendingCall.cycles;
            execution.pendingCall = {
                callee: readHeap(calleeSrc, calleeSize),
                method: decodeText(readHeap(nameSrc, nameSize)),
                chunks: [],
                size: 0,
                cycles: 0n,
                reply: { fun: u32(replyFun), env: u32(replyEnv) },
                reject: { fun: u32(rejectFun), env: u32(rejectEnv) },
                cleanup: null,
                timeoutSeconds: null,
                prepaidExecution: 0n,
                prepaidResponseTransmission: 0n
            };
        },
        call_on_cleanup: (fun: number, env: number) => {
            const call = building('call_on_cleanup').pendingCall!;
            if (call.cleanup !== null) throw new CanisterTrap('ic0.call_on_cleanup called twice for one call', 'system');
            call.cleanup = { fun: u32(fun), env: u32(env) };
        },
        call_data_append: (src: number, size: number) => {
            const call = building('call_data_append').pendingCall!;
            if (call.size + u32(size) > MAX_PAYLOAD) throw new CanisterTrap('call payload exceeds the 2 MiB limit', 'system');
            call.chunks.push(readHeap(src, size));
            call.size += u32(size);
        },
        call_cycles_add128: (high: bigint, low: bigint) => addCallCycles('call_cycles_add128', amount128(high, low)),
        call_with_best_effort_response: (timeoutSeconds: number) => {
            const call = building('call_with_best_effort_response').pendingCall!;
            if (call.timeoutSeconds !== null) throw new CanisterTrap('ic0.call_with_best_effort_response called twice', 'system');
            call.timeoutSeconds = Math.min(Math.max(u32(timeoutSeconds), 1), 300);
        },
        call_perform: () => {
            const execution = building('call_perform');
            const call = execution.pendingCall!;
            execution.pendingCall = null;
            const callee = canisterKey(call.callee);
            const queued = execution.calls.reduce((count, made) => (canisterKey(made.callee) === callee ? count + 1 : count), 0);
            if (execution.outstandingCalls(callee) + queued >= QUEUE_CAPACITY) {
                // Not performed: the cycles attached to it go back to the balance.
                execution.balance += call.cycles;
                return SYS_TRANSIENT;
            }
            // The request, the largest response and its execution are paid now, above the
            // freezing limit; short of that the call is not made and its cycles come back.
            // Calls from composite queries (non-replicated) are free, as queries are.
            const fee = execution.replicated ? callTotalFee(execution.fees, BigInt(new TextEncoder().encode(call.method).length + call.size)) : 0n;
            if (!canWithdraw(execution.balance, fee, execution.freezingLimit)) {
                execution.balance += call.cycles;
                return SYS_TRANSIENT;
            }
            execution.balance -= fee;
            if (fee > 0n) {
                call.prepaidExecution = responseExecutionPrepayment(execution.fees);
                call.prepaidResponseTransmission = responseTransmissionPrepayment(execution.fees);
            }
            execution.calls.push(call);
            return 0;
        },
        cost_call: (methodNameSize: bigint, payloadSize: bigint, dst: number) => {
            costCycles(costOf(exec('cost_call', ALL_AND_START).fees, { kind: 'call', methodNameSize: u64(methodNameSize), payloadSize: u64(payloadSize) }), dst);
        },
        cost_create_canister: (dst: number) => {
            const { fees } = exec('cost_create_canister', ALL_AND_START);
            costCycles(costOf(fees, { kind: 'create_canister' }), dst);
        },
        cost_http_request: (requestSize: bigint, maxResponseBytes: bigint, dst: number) => {
            const { fees } = exec('cost_http_request', ALL_AND_START);
            costCycles(costOf(fees, { kind: 'http_request', requestSize: u64(requestSize), maxResponseBytes: u64(maxResponseBytes) }), dst);
        },
        cost_sign_with_ecdsa: (src: number, size: number, curve: number, dst: number) => {
            const { fees } = exec('cost_sign_with_ecdsa', ALL_AND_START);
            return costCode(costOf(fees, { kind: 'sign_with_ecdsa', keyName: utf8('cost_sign_with_ecdsa', readHeap(src, size)), curve: u32(curve) }), dst);
        },
        cost_sign_with_schnorr: (src: number, size: number, algorithm: number, dst: number) => {
            const { fees } = exec('cost_sign_with_schnorr', ALL_AND_START);
            return costCode(costOf(fees, { kind: 'sign_with_schnorr', keyName: utf8('cost_sign_with_schnorr', readHeap(src, size)), algorithm: u32(algorithm) }), dst);
        },
        cost_vetkd_derive_key: (src: number, size: number, curve: number, dst: number) => {
            const { fees } = exec('cost_vetkd_derive_key', ALL_AND_START);
            return costCode(costOf(fees, { kind: 'vetkd_derive_key', keyName: utf8('cost_vetkd_derive_key', readHeap(src, size)), curve: u32(curve) }), dst);
        },
        stable64_size: () => {
            exec('stable64_size', ALL_AND_START);
            return BigInt(host.stable.sizePages);
        },
        stable64_grow: (pages: bigint) => {
            exec('stable64_grow', ALL_AND_START);
            const delta = u64(pages);
            if (delta > BigInt(Number.MAX_SAFE_INTEGER)) return -1n;
            return BigInt(host.stable.grow(Number(delta)));
        },
        stable64_write: (offset: bigint, src: bigint, size: bigint) => {
            exec('stable64_write', ALL_AND_START);
            const [o, s] = stableRange(offset, size);
            host.stable.write(o, readHeap(Number(u64(src)), s));
        },
        stable64_read: (dst: bigint, offset: bigint, size: bigint) => {
            exec('stable64_read', ALL_AND_START);
            const [o, s] = stableRange(offset, size);
            writeHeap(Number(u64(dst)), host.stable.read(o, s));
        },
        certified_data_set: (src: number, size: number) => {
            const execution = exec('certified_data_set', CERTIFY);
            if (u32(size) > 32) throw new CanisterTrap('ic0.certified_data_set: certified data is limited to 32 bytes', 'system');
            execution.certifiedData = readHeap(src, size);
        },
        data_certificate_present: () => {
            const execution = exec('data_certificate_present', ALL);
            return CERTIFICATE.has(execution.kind) && execution.dataCertificate !== null ? 1 : 0;
        },
        data_certificate_size: () => {
            const certificate = exec('data_certificate_size', CERTIFICATE).dataCertificate;
            if (certificate === null) throw new CanisterTrap('ic0.data_certificate_size: no certificate is available', 'system');
            return certificate.length;
        },
        data_certificate_copy: (dst: number, offset: number, size: number) => {
            const certificate = exec('data_certificate_copy', CERTIFICATE).dataCertificate;
            if (certificate === null) throw new CanisterTrap('ic0.data_certificate_copy: no certificate is available', 'system');
            copyOut('data_certificate_copy', certificate, dst, offset, size);
        },
        time: () => exec('time', ALL).time,
        global_timer_set: (timestamp: bigint) => {
            const execution = exec('global_timer_set', TIMER);
            const previous = execution.timer;
            execution.timer = u64(timestamp);
            return previous;
        },
        performance_counter: (counterType: number) => {
            const execution = exec('performance_counter', ALL_AND_START);
            const used = host.instructionsUsed();
            if (counterType === 0) return used;
            if (counterType === 1) return execution.callContextInstructionsBefore + used;
            throw new CanisterTrap(`Error getting performance counter type ${u32(counterType)}`, 'system');
        },
        is_controller: (src: number, size: number) => {
            exec('is_controller', ALL_AND_START);
            if (u32(size) > 29) throw new CanisterTrap('ic0.is_controller: the principal is longer than 29 bytes', 'system');
            const principal = readHeap(src, size);
            return host.execution().controllers.some((c) => Buffer.from(c).equals(principal)) ? 1 : 0;
        },
        in_replicated_execution: () => (exec('in_replicated_execution', ALL_AND_START).replicated ? 1 : 0),
        debug_print: (src: number, size: number) => {
            const memory = heap();
            const start = u32(src);
            const end = Math.min(start + u32(size), memory.length);
            host.log(decodeText(memory.subarray(Math.min(start, end), end)));
        },
        trap: (src: number, size: number) => {
            const memory = heap();
            const start = u32(src);
            const end = Math.min(start + u32(size), memory.length);
            throw new CanisterTrap(decodeText(memory.subarray(Math.min(start, end), end)), 'explicit');
        }
    };
}

/** Bytes per Wasm page, re-exported for heap accounting. */
export const HEAP_PAGE = WASM_PAGE;
