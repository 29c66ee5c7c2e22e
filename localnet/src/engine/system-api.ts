/**
 * The `ic0` imports Azle canisters use, with the interface specification's semantics:
 * availability per execution context, bounds checks that trap, and 128-bit values as
 * little-endian (high, low) pairs.
 */
import { CanisterTrap } from './errors';
import { Execution, MAX_PAYLOAD, type ExecutionKind } from './execution';
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

const U64 = (1n << 64n) - 1n;
const u64 = (value: bigint): bigint => BigInt.asUintN(64, value);
const u32 = (value: number): number => value >>> 0;

/** What the imports need from the canister that owns them. */
export type SystemApiHost = {
    memory(): WebAssembly.Memory;
    execution(): Execution;
    stable: StableMemory;
    log(text: string): void;
    /** Told about every heap write the host makes (argument copies etc.), for dirty tracking. */
    heapWritten(dst: number, size: number): void;
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
        memory.set(bytes, dst);
        host.heapWritten(dst, bytes.length);
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
        msg_cycles_accept128: (high: bigint, low: bigint, dst: number) => {
            const execution = exec('msg_cycles_accept128', CYCLES_IN);
            const wanted = amount128(high, low);
            const taken = wanted < execution.cyclesAvailable ? wanted : execution.cyclesAvailable;
            execution.cyclesAvailable -= taken;
            execution.cyclesAccepted += taken;
            execution.balance += taken;
            write128(dst, taken);
        },
        cycles_burn128: (high: bigint, low: bigint, dst: number) => {
            const execution = exec('cycles_burn128', BURN);
            const wanted = amount128(high, low);
            const burned = wanted < execution.balance ? wanted : execution.balance;
            execution.balance -= burned;
            write128(dst, burned);
        },
        canister_self_size: () => exec('canister_self_size', ALL).canisterId.length,
        canister_self_copy: (dst: number, offset: number, size: number) =>
            copyOut('canister_self_copy', exec('canister_self_copy', ALL).canisterId, dst, offset, size),
        canister_cycle_balance128: (dst: number) => write128(dst, exec('canister_cycle_balance128', ALL).balance),
        canister_liquid_cycle_balance128: (dst: number) => write128(dst, exec('canister_liquid_cycle_balance128', ALL).balance),
        canister_version: () => exec('canister_version', ALL).canisterVersion,
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
                timeoutSeconds: null
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
        call_cycles_add128: (high: bigint, low: bigint) => {
            const execution = exec('call_cycles_add128', CALL_CYCLES);
            const call = building('call_cycles_add128').pendingCall!;
            const amount = amount128(high, low);
            if (amount > execution.balance) {
                throw new CanisterTrap(`ic0.call_cycles_add128: cannot add ${amount} cycles, the balance is ${execution.balance}`, 'system');
            }
            execution.balance -= amount;
            call.cycles += amount;
        },
        call_with_best_effort_response: (timeoutSeconds: number) => {
            const call = building('call_with_best_effort_response').pendingCall!;
            if (call.timeoutSeconds !== null) throw new CanisterTrap('ic0.call_with_best_effort_response called twice', 'system');
            call.timeoutSeconds = Math.min(Math.max(u32(timeoutSeconds), 1), 300);
        },
        call_perform: () => {
            const execution = building('call_perform');
            execution.calls.push(execution.pendingCall!);
            execution.pendingCall = null;
            return 0;
        },
        cost_call: (methodNameSize: bigint, payloadSize: bigint, dst: number) => {
            exec('cost_call', ALL_AND_START);
            write128(dst, 260_000n + 1_000n * (u64(methodNameSize) + u64(payloadSize)) + 5_000_000_000n);
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
