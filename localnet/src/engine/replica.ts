/**
 * The replicated state machine of one instance: canisters, the message queue, call contexts
 * and callbacks, and the execution of requests, responses, heartbeats and timers as atomic
 * transactions. Time and rounds are driven from outside (`Instance`).
 */
import type { CallResult, Reject } from '../api';
import { Canister, canisterKey, type CallContext, type Origin } from './canister';
import { rejects } from './errors';
import { Execution, type ExecutionInput, type ExecutionKind } from './execution';
import { APPLICATION_SUBNET_LIMITS, type InstructionLimits } from './instruction-limits';
import { RoundBudget } from './round-budget';
import { WasmRuntime, type EntryPoint, type ExecutionResult, type Persistence } from './wasm-runtime';
import { methodExportName } from './wasm-module';

export type Request = {
    kind: 'request';
    origin: Origin;
    sender: Uint8Array;
    target: Uint8Array;
    method: string;
    arg: Uint8Array;
    cycles: bigint;
    /** For canister creation by ingress: the subnet the message was routed to. */
    subnetIndex?: number;
};

export type Response = { kind: 'response'; caller: string; callbackId: number; result: CallResult; refund: bigint };

type SystemTask = { kind: 'heartbeat' | 'timer'; canister: string };

export type QueuedMessage = Request | Response | SystemTask;

export type IngressRecord = {
    caller: Uint8Array;
    status: 'received' | 'processing' | 'done';
    result: CallResult | null;
};

/** Handles requests addressed to the management canister (`aaaaa-aa`). */
export type ManagementHandler = (request: Request, respond: (result: CallResult, refund?: bigint) => void) => void;

const MANAGEMENT_ID = new Uint8Array(0);
/** LOCALNET_TRACE=1 logs every execution (kind, entry point, calls made, answer, trap) with the canister logs. */
const TRACE = process.env.LOCALNET_TRACE === '1';
/** Most messages one round executes; a canister calling itself forever cannot stall a tick. */
const MESSAGES_PER_ROUND = 50_000;

export class Replica {
    readonly canisters = new Map<string, Canister>();
    readonly ingress = new Map<string, IngressRecord>();
    private queue: QueuedMessage[] = [];
    private readonly stopping = new Set<Canister>();
    private nextContextId = 1;
    private nextCallbackId = 1;
    /** The time every execution of the current round sees. */
    roundTime = 0n;
    management: ManagementHandler = (_request, respond) =>
        respond({ kind: 'reject', reject: rejects.explicitReject('the management canister is not available') });

    /** Instructions each canister executed in the current round (the scheduler's round limit). */
    private readonly roundBudget: RoundBudget;

    constructor(
        private readonly log: (canister: Canister, text: string) => void,
        /** The instruction limits of each subnet, by subnet index. */
        private readonly subnetLimits: (subnetIndex: number) => InstructionLimits = () => APPLICATION_SUBNET_LIMITS
    ) {
        this.roundBudget = new RoundBudget((key) => {
            const canister = this.canisters.get(key);
            return this.subnetLimits(canister?.subnetIndex ?? 0);
        });
    }

    /** The instruction limits that apply to a canister's executions. */
    limits(canister: Canister): InstructionLimits {
        return this.subnetLimits(canister.subnetIndex);
    }

    canister(id: Uint8Array): Canister | undefined {
        return this.canisters.get(canisterKey(id));
    }

    enqueue(message: QueuedMessage): void {
        this.queue.push(message);
    }

    /** Creates the live Wasm instance of a module for a canister (not yet initialised). */
    instantiate(canister: Canister, module: WasmRuntime['module']): WasmRuntime {
        return new WasmRuntime(module, canister.stable, (text) => this.log(canister, text), canister.id);
    }

    /**
     * One round: heartbeats and due timers first, then every queued message, including those
     * the round itself produces (all canisters share one subnet's message routing).
     */
    runRound(time: bigint, inducted: Request[]): void {
        this.roundTime = time;
        this.roundBudget.startRound();
        const system: SystemTask[] = [];
        for (const canister of this.canisters.values()) {
            if (canister.status !== 'running' || canister.runtime === null) continue;
            // A canister still busy with a long message (deterministic time slicing) runs no
            // heartbeat and takes no timer this round.
            if (this.roundBudget.busy(canister.key)) continue;
            if (canister.runtime.module.hasHeartbeat) system.push({ kind: 'heartbeat', canister: canister.key });
            if (canister.timer !== 0n && canister.timer <= time) {
                // Deactivated when scheduled: a trapping timer handler does not run again.
                canister.timer = 0n;
                if (canister.runtime.module.hasGlobalTimer) system.push({ kind: 'timer', canister: canister.key });
            }
        }
        this.queue = [...system, ...inducted, ...this.queue];
        this.drain(MESSAGES_PER_ROUND);
    }

    /**
     * Executes queued messages in order. A message whose canister has spent its round budget
     * waits, in order, for the next round (as the scheduler leaves it in the canister's queue).
     */
    private drain(limit: number): void {
        const waiting: QueuedMessage[] = [];
        for (let executed = 0; executed < limit; executed++) {
            const message = this.queue.shift();
            if (message === undefined) break;
            const key = this.executingCanister(message);
            if (key !== null && !this.roundBudget.canStart(key)) {
                waiting.push(message);
                executed--;
                continue;
            }
            this.execute(message);
            this.settleStopping();
        }
        this.queue = [...waiting, ...this.queue];
    }

    /** The canister whose execution a message starts (null: the management canister's). */
    private executingCanister(message: QueuedMessage): string | null {
        switch (message.kind) {
            case 'request':
                return message.target.length === 0 ? null : canisterKey(message.target);
            case 'response':
                return message.caller;
            case 'heartbeat':
            case 'timer':
                return message.canister;
        }
    }

    private execute(message: QueuedMessage): void {
        switch (message.kind) {
            case 'request':
                return this.executeRequest(message);
            case 'response':
                return this.executeResponse(message);
            case 'heartbeat':
            case 'timer':
                return this.executeSystemTask(message);
        }
    }

    /** Sends an answer to whoever waits for it. */
    deliver(origin: Origin, result: CallResult, refund = 0n): void {
        switch (origin.kind) {
            case 'ingress': {
                const record = this.ingress.get(origin.messageId);
                if (record !== undefined) {
                    record.status = 'done';
                    record.result = result;
                }
                return;
            }
            case 'canister':
                this.queue.push({ kind: 'response', caller: origin.caller, callbackId: origin.callbackId, result, refund });
                return;
            case 'system':
                return;
        }
    }

    private executeRequest(request: Request): void {
        if (request.target.length === 0) {
            if (request.origin.kind === 'ingress') this.markProcessing(request.origin.messageId);
            this.management(request, (result, refund = 0n) => this.deliver(request.origin, result, refund));
            return;
        }
        const canister = this.canister(request.target);
        const refuse = (result: CallResult): void => this.deliver(request.origin, result, request.cycles);
        if (canister === undefined) return refuse(reject(rejects.canisterNotFound(request.target)));
        if (canister.status === 'stopped') return refuse(reject(rejects.canisterStopped(canister.id)));
        if (canister.status === 'stopping') return refuse(reject(rejects.canisterStopping(canister.id)));
        const runtime = canister.runtime;
        if (runtime === null) return refuse(reject(rejects.noModule(canister.id)));
        const methodKind = runtime.module.methods.get(request.method);
        if (methodKind === undefined || methodKind === 'composite_query') {
            return refuse(reject(rejects.methodNotFound(canister.id, 'update', request.method)));
        }
        if (request.origin.kind === 'ingress') this.markProcessing(request.origin.messageId);
        const context = this.openContext(canister, request.origin, request.sender, request.cycles);
        const { trap } = this.runInContext(canister, context, methodKind === 'update' ? 'update' : 'replicated_query', {
            export: methodExportName(methodKind, request.method)
        }, { arg: request.arg, methodName: request.method });
        this.settleContext(canister, context, trap);
    }

    private executeResponse(response: Response): void {
        const canister = this.canisters.get(response.caller);
        if (canister === undefined) return;
        const callback = canister.callbacks.get(response.callbackId);
        if (callback === undefined) return;
        canister.callbacks.delete(callback.id);
        const context = canister.callContexts.get(callback.contextId);
        canister.cycles += response.refund;
        if (context === undefined) return;
        context.outstanding--;
        if (canister.runtime === null || callback.generation !== canister.generation) {
            this.settleContext(canister, context, null, rejects.callbackInvalidated(canister.id));
            return;
        }
        const isReply = response.result.kind === 'reply';
        const { trap } = this.runInContext(
            canister,
            context,
            isReply ? 'reply' : 'reject',
            { table: isReply ? callback.reply : callback.reject },
            response.result.kind === 'reply'
                ? { arg: response.result.payload, cyclesRefunded: response.refund }
                : {
                      rejectCode: response.result.reject.rejectCode,
                      rejectMessage: response.result.reject.rejectMessage,
                      cyclesRefunded: response.refund
                  }
        );
        if (trap !== null && callback.cleanup !== null) {
            // The cleanup runs as its own transaction; a trap in it is ignored.
            this.runInContext(canister, context, 'cleanup', { table: callback.cleanup }, {
                rejectCode: isReply ? 0 : response.result.kind === 'reject' ? response.result.reject.rejectCode : 0
            });
        }
        this.settleContext(canister, context, trap);
    }

    private executeSystemTask(task: SystemTask): void {
        const canister = this.canisters.get(task.canister);
        if (canister === undefined || canister.status !== 'running' || canister.runtime === null) return;
        const context = this.openContext(canister, { kind: 'system' }, MANAGEMENT_ID, 0n);
        const { trap } = this.runInContext(canister, context, task.kind, {
            export: task.kind === 'timer' ? 'canister_global_timer' : 'canister_heartbeat'
        }, {});
        this.settleContext(canister, context, trap);
    }

    private markProcessing(messageId: string): void {
        const record = this.ingress.get(messageId);
        if (record !== undefined && record.status === 'received') record.status = 'processing';
    }

    private openContext(canister: Canister, origin: Origin, caller: Uint8Array, cycles: bigint): CallContext {
        const context: CallContext = {
            id: this.nextContextId++,
            origin,
            caller,
            answered: false,
            outstanding: 0,
            cyclesAvailable: cycles,
            instructions: 0n
        };
        canister.callContexts.set(context.id, context);
        return context;
    }

    /** The fields of an execution's input that come from the canister's current state. */
    executionInput(canister: Canister, kind: ExecutionKind): ExecutionInput {
        return {
            kind,
            canisterId: canister.id,
            time: this.roundTime,
            balance: canister.cycles,
            timer: canister.timer,
            certifiedData: canister.certifiedData,
            canisterVersion: canister.version,
            controllers: canister.controllers
        };
    }

    /**
     * Runs one entry point inside a call context, within the per-message instruction limit,
     * and applies its effects if it did not trap: state, cycles, timer, certified data,
     * outgoing calls and the answer. Its instructions count towards the call context and the
     * canister's round budget, trapped or not.
     */
    private runInContext(
        canister: Canister,
        context: CallContext,
        kind: ExecutionKind,
        entry: EntryPoint,
        extra: Partial<ExecutionInput>
    ): ExecutionResult {
        const runtime = canister.runtime!;
        const execution = new Execution({
            ...this.executionInput(canister, kind),
            caller: context.caller,
            canAnswer: !context.answered,
            cyclesAvailable: context.cyclesAvailable,
            callContextInstructions: context.instructions,
            instructionLimit: this.limits(canister).message,
            ...extra
        });
        const persistence: Persistence = kind === 'replicated_query' ? 'none' : 'all';
        const result = runtime.run(execution, entry, persistence);
        const { trap } = result;
        if (TRACE) {
            const what = 'export' in entry ? entry.export : `table[${entry.table.fun}]`;
            this.log(canister, `[trace] ${kind} ${what} instructions=${result.instructions} calls=${execution.calls.length} answer=${execution.answer?.kind ?? '-'} trap=${trap?.message.slice(0, 120) ?? '-'}`);
        }
        context.instructions += result.instructions;
        canister.instructionsExecuted += result.instructions;
        this.roundBudget.spend(canister.key, result.instructions);
        if (trap !== null) return result;
        canister.version += 1n;
        if (persistence === 'all') {
            canister.cycles = execution.balance;
            canister.timer = execution.timer;
            canister.certifiedData = execution.certifiedData;
            context.cyclesAvailable = execution.cyclesAvailable;
            for (const call of execution.calls) {
                const callbackId = this.nextCallbackId++;
                canister.callbacks.set(callbackId, {
                    id: callbackId,
                    contextId: context.id,
                    reply: call.reply,
                    reject: call.reject,
                    cleanup: call.cleanup,
                    generation: canister.generation,
                    cyclesSent: call.cycles
                });
                context.outstanding++;
                const payload = new Uint8Array(call.size);
                let offset = 0;
                for (const chunk of call.chunks) {
                    payload.set(chunk, offset);
                    offset += chunk.length;
                }
                this.queue.push({
                    kind: 'request',
                    origin: { kind: 'canister', caller: canister.key, callbackId },
                    sender: canister.id,
                    target: call.callee,
                    method: call.method,
                    arg: payload,
                    cycles: call.cycles
                });
            }
        }
        if (execution.answer !== null) {
            context.answered = true;
            const answer: CallResult =
                execution.answer.kind === 'reply'
                    ? { kind: 'reply', payload: execution.answer.payload }
                    : { kind: 'reject', reject: rejects.explicitReject(execution.answer.message) };
            // Cycles not accepted when the answer was made go back (all of them after a
            // discarded replicated query, which can accept nothing).
            this.deliver(context.origin, answer, persistence === 'all' ? execution.answerRefund : context.cyclesAvailable);
            context.cyclesAvailable = 0n;
        }
        return result;
    }

    /** Closes a call context that awaits nothing more, answering it if nobody did. */
    private settleContext(canister: Canister, context: CallContext, trap: ExecutionResult['trap'], fallback?: Reject): void {
        if (context.outstanding > 0) return;
        if (!context.answered) {
            context.answered = true;
            const failure = fallback ?? (trap !== null ? rejects.trapped(canister.id, trap) : rejects.didNotReply(canister.id));
            this.deliver(context.origin, reject(failure), context.cyclesAvailable);
            context.cyclesAvailable = 0n;
        }
        canister.callContexts.delete(context.id);
    }

    /** Rejects every open call context of a canister whose code is removed (uninstall). */
    rejectOpenContexts(canister: Canister, failure: Reject): void {
        for (const context of canister.callContexts.values()) {
            if (!context.answered) this.deliver(context.origin, reject(failure), context.cyclesAvailable);
        }
        canister.callContexts.clear();
        canister.callbacks.clear();
    }

    /** Puts a canister into Stopping; `answer` runs once it has no open call contexts. */
    requestStop(canister: Canister, origin: Origin, answer: (result: CallResult) => void): void {
        canister.pendingStops.push({ origin, reply: answer });
        if (canister.status === 'running') {
            canister.status = 'stopping';
            canister.version += 1n;
        }
        this.stopping.add(canister);
        this.settleStopping();
    }

    /** Cancels a pending stop (start_canister while Stopping). */
    cancelStop(canister: Canister, failure: Reject): void {
        for (const pending of canister.pendingStops) pending.reply(reject(failure));
        canister.pendingStops = [];
        this.stopping.delete(canister);
    }

    private settleStopping(): void {
        for (const canister of this.stopping) {
            if (canister.status !== 'stopping' || canister.openCallContexts > 0) continue;
            canister.status = 'stopped';
            canister.version += 1n;
            this.stopping.delete(canister);
            const pending = canister.pendingStops;
            canister.pendingStops = [];
            for (const stop of pending) stop.reply({ kind: 'reply', payload: EMPTY_CANDID });
        }
    }

    forget(canister: Canister): void {
        this.stopping.delete(canister);
        this.canisters.delete(canister.key);
    }

    /**
     * Runs a query method non-replicated on the current state and discards every change.
     */
    query(canister: Canister, method: string, arg: Uint8Array, caller: Uint8Array, dataCertificate: Uint8Array | null = null): CallResult {
        if (canister.status === 'stopped') return reject(rejects.canisterStopped(canister.id));
        if (canister.status === 'stopping') return reject(rejects.canisterStopping(canister.id));
        const runtime = canister.runtime;
        if (runtime === null) return reject(rejects.noModule(canister.id));
        const methodKind = runtime.module.methods.get(method);
        if (methodKind !== 'query' && methodKind !== 'composite_query') {
            return reject(rejects.methodNotFound(canister.id, 'query', method));
        }
        const execution = new Execution({
            ...this.executionInput(canister, methodKind),
            arg,
            caller,
            methodName: method,
            canAnswer: true,
            dataCertificate,
            instructionLimit: this.limits(canister).query
        });
        const { trap, instructions } = runtime.run(execution, { export: methodExportName(methodKind, method) }, 'none');
        canister.instructionsExecuted += instructions;
        if (trap !== null) return reject(rejects.trapped(canister.id, trap));
        if (execution.calls.length > 0) {
            return reject(rejects.compositeCallsUnsupported(canister.id));
        }
        if (execution.answer === null) return reject(rejects.didNotReply(canister.id));
        return execution.answer.kind === 'reply'
            ? { kind: 'reply', payload: execution.answer.payload }
            : reject(rejects.explicitReject(execution.answer.message));
    }

    /**
     * Runs `canister_inspect_message` for an ingress update; returns a reject when the
     * canister traps or does not accept the message.
     */
    inspect(canister: Canister, method: string, arg: Uint8Array, caller: Uint8Array): CallResult | null {
        const runtime = canister.runtime;
        if (runtime === null || !runtime.module.hasInspectMessage) return null;
        const execution = new Execution({
            ...this.executionInput(canister, 'inspect'),
            arg,
            caller,
            methodName: method,
            instructionLimit: this.limits(canister).inspect
        });
        const { trap, instructions } = runtime.run(execution, { export: 'canister_inspect_message' }, 'none');
        canister.instructionsExecuted += instructions;
        if (trap !== null) return reject(rejects.trapped(canister.id, trap));
        if (!execution.acceptedMessage) return reject(rejects.notAccepted(canister.id));
        return null;
    }

    get isIdle(): boolean {
        return this.queue.length === 0;
    }
}

/** `DIDL` with no values: the Candid encoding of `()`. */
export const EMPTY_CANDID = Uint8Array.from([0x44, 0x49, 0x44, 0x4c, 0x00, 0x00]);

export function reject(failure: Reject): CallResult {
    return { kind: 'reject', reject: failure };
}
