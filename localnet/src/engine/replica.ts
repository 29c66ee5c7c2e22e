/**
 * The replicated state machine of one instance: canisters, the message queue, call contexts
 * and callbacks, and the execution of requests, responses, heartbeats and timers as atomic
 * transactions. Time and rounds are driven from outside (`Instance`).
 */
import { RejectCode, type CallResult, type Reject } from '../api';
import { Canister, canisterKey, type CallContext, type Origin } from './canister';
import { chargedInstructions, CyclesAccount, outOfCycles, type Prepayment } from './cycles-account';
import { messageForCanister, reject as rejectWith, rejects } from './errors';
import { Execution, callPayload, type DataCertificateSource, type ExecutionInput, type ExecutionKind } from './execution';
import { APPLICATION_SUBNET_FEES, responseTransmissionRefund } from './fees';
import { APPLICATION_SUBNET_LIMITS, type InstructionLimits } from './instruction-limits';
import { QueryExecutor } from './query-call-graph';
import { RoundBudget } from './round-budget';
import { expiredStops } from './stop-timeout';
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
    /**
     * For a management call: the subnet whose management canister it addresses (ingress
     * routed by effective id, or a canister calling a subnet id as the callee, as the cycles
     * minting canister does to create canisters on other subnets).
     */
    subnetIndex?: number;
    /** Bounded-wait calls: when the caller stops waiting (ns); absent for guaranteed responses. */
    deadline?: bigint;
    /** An ingress message's induction fee and the canister that pays it (none: free). */
    induction?: { payer: Uint8Array; cost: bigint };
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
const NANOS_PER_SECOND = 1_000_000_000n;
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
    /** Whether an id is inside some subnet's canister ranges (set by the instance from its topology). */
    routes: (id: Uint8Array) => boolean = () => true;
    /** The id of a subnet by its index (set by the instance). */
    subnetId: (subnetIndex: number) => Uint8Array = () => new Uint8Array(0);
    /** The index of the subnet with this id, or null when the id names no subnet (set by the instance). */
    subnetIndexOf: (id: Uint8Array) => number | null = () => null;
    /** The DER root key canisters read with `ic0.root_key_copy` (set by the instance). */
    rootKey: Uint8Array = new Uint8Array(0);
    private readonly queries = new QueryExecutor({
        canister: (id) => this.canister(id),
        routes: (id) => this.routes(id),
        executionInput: (canister, kind) => this.executionInput(canister, kind),
        queryInstructionLimit: (canister) => this.limits(canister).query,
        executed: (canister, instructions) => {
            canister.instructionsExecuted += instructions;
        },
        frozen: (canister) =>
            this.cycles.isFrozen(canister)
                ? outOfCycles(`Canister ${canister.idText} is unable to process query calls because it's frozen. Please top up the canister with cycles and try again.`)
                : null
    });
    /** Balances, fees and the freezing limit; the instance gives it each subnet's fee schedule. */
    cycles = new CyclesAccount(() => APPLICATION_SUBNET_FEES);

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
        this.expireStops(time);
        for (const canister of [...this.canisters.values()]) {
            if (!this.cycles.chargeResources(canister, time)) this.runDry(canister);
        }
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
        this.queue = [...system, ...inducted.filter((request) => this.induct(request)), ...this.queue];
        this.drain(MESSAGES_PER_ROUND);
    }

    /** Charges an ingress message's induction fee to its payer; a payer that cannot pay fails the message. */
    private induct(request: Request): boolean {
        if (request.induction === undefined) return true;
        const payer = this.canister(request.induction.payer);
        if (payer === undefined) return true;
        const refused = this.cycles.consume(payer, request.induction.cost, payer.isController(request.sender));
        if (refused === null) return true;
        this.deliver(request.origin, reject(refused));
        return false;
    }

    /**
     * A canister that cannot pay for its storage is uninstalled, as the replica does: its code
     * and memory are dropped, open calls rejected, and what is left of its balance burned.
     */
    private runDry(canister: Canister): void {
        this.uninstallCode(canister);
        canister.cycles = 0n;
        this.log(canister, `Uninstalling canister ${canister.idText} because it ran out of cycles`);
    }

    /** Removes a canister's code and memory, rejecting every call context still open. */
    uninstallCode(canister: Canister): void {
        this.rejectOpenContexts(
            canister,
            rejectWith(RejectCode.CanisterReject, 'CanisterWasmModuleNotFound', `Canister ${canister.idText} has been uninstalled.`)
        );
        canister.runtime = null;
        canister.generation++;
        canister.stable.clear();
        canister.certifiedData = new Uint8Array(0);
        canister.timer = 0n;
        canister.version += 1n;
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
        if (canister === undefined) {
            return refuse(reject(this.routes(request.target) ? rejects.canisterNotFound(request.target) : rejects.noRoute(request.target)));
        }
        if (canister.status === 'stopped') return refuse(reject(rejects.canisterStopped(canister.id)));
        if (canister.status === 'stopping') return refuse(reject(rejects.canisterStopping(canister.id)));
        const runtime = canister.runtime;
        if (runtime === null) return refuse(reject(rejects.noModule(canister.id)));
        const methodKind = runtime.module.methods.get(request.method);
        if (methodKind === undefined) return refuse(reject(rejects.methodNotFound(canister.id, 'update', request.method)));
        const prepayment = this.prepay(canister, request.sender);
        if ('rejectCode' in prepayment) return refuse(reject(prepayment));
        if (methodKind === 'composite_query') {
            // Refused once prepaid, as the replica does: the message's base fee is spent.
            this.cycles.settleExecution(canister, prepayment, 0n);
            return refuse(reject(rejects.compositeQueryReplicated()));
        }
        if (request.origin.kind === 'ingress') this.markProcessing(request.origin.messageId);
        const context = this.openContext(canister, request.origin, request.sender, request.cycles);
        const executed = this.runInContext(canister, context, methodKind === 'update' ? 'update' : 'replicated_query', {
            export: methodExportName(methodKind, request.method)
        }, { arg: request.arg, methodName: request.method, deadline: request.deadline ?? 0n });
        this.cycles.settleExecution(canister, prepayment, chargedInstructions(executed));
        this.settleContext(canister, context, executed.trap);
    }

    /** Prepays an update-like execution at the message instruction limit (IC0207 if frozen). */
    private prepay(canister: Canister, sender: Uint8Array): Prepayment | Reject {
        const prepayment = this.cycles.prepayExecution(canister, this.cycles.fees(canister).maxInstructionsPerMessage, canister.isController(sender));
        if ('rejectCode' in prepayment) return outOfCycles(prepayment.rejectMessage);
        return prepayment;
    }

    private executeResponse(response: Response): void {
        const canister = this.canisters.get(response.caller);
        if (canister === undefined) return;
        const callback = canister.callbacks.get(response.callbackId);
        if (callback === undefined) return;
        canister.callbacks.delete(callback.id);
        canister.callReturned(callback.callee);
        const context = canister.callContexts.get(callback.contextId);
        const fees = this.cycles.fees(canister);
        // The attached cycles not accepted, and the unused part of the response reservation
        // (never more than call_perform reserved: nothing for a free call).
        const unusedReservation = responseTransmissionRefund(fees, BigInt(responseBytes(response.result)));
        const reserved = callback.prepaidResponseTransmission;
        canister.cycles += response.refund + (unusedReservation < reserved ? unusedReservation : reserved);
        // The callback's execution was prepaid at the limit by call_perform.
        const prepayment: Prepayment = { instructions: fees.maxInstructionsPerMessage, cycles: callback.prepaidExecution };
        if (context === undefined) return this.cycles.settleExecution(canister, prepayment, 0n);
        context.outstanding--;
        if (canister.runtime === null || callback.generation !== canister.generation) {
            this.cycles.settleExecution(canister, prepayment, 0n);
            this.settleContext(canister, context, null, rejects.callbackInvalidated(canister.id));
            return;
        }
        const isReply = response.result.kind === 'reply';
        const executed = this.runInContext(
            canister,
            context,
            isReply ? 'reply' : 'reject',
            { table: isReply ? callback.reply : callback.reject },
            response.result.kind === 'reply'
                ? { arg: response.result.payload, cyclesRefunded: response.refund, deadline: callback.deadline }
                : {
                      rejectCode: response.result.reject.rejectCode,
                      rejectMessage: messageForCanister(response.result.reject),
                      cyclesRefunded: response.refund,
                      deadline: callback.deadline
                  }
        );
        const trap = executed.trap;
        let used = chargedInstructions(executed);
        if (trap !== null && callback.cleanup !== null) {
            // The cleanup runs as its own transaction; a trap in it is ignored.
            used += chargedInstructions(
                this.runInContext(canister, context, 'cleanup', { table: callback.cleanup }, {
                    rejectCode: isReply ? 0 : response.result.kind === 'reject' ? response.result.reject.rejectCode : 0
                })
            );
        }
        this.cycles.settleExecution(canister, prepayment, used);
        this.settleContext(canister, context, trap);
    }

    private executeSystemTask(task: SystemTask): void {
        const canister = this.canisters.get(task.canister);
        if (canister === undefined || canister.status !== 'running' || canister.runtime === null) return;
        // A canister that cannot prepay its heartbeat or timer simply does not run it.
        const prepayment = this.prepay(canister, MANAGEMENT_ID);
        if ('rejectCode' in prepayment) return;
        const context = this.openContext(canister, { kind: 'system' }, MANAGEMENT_ID, 0n);
        const executed = this.runInContext(canister, context, task.kind, {
            export: task.kind === 'timer' ? 'canister_global_timer' : 'canister_heartbeat'
        }, {});
        this.cycles.settleExecution(canister, prepayment, chargedInstructions(executed));
        this.settleContext(canister, context, executed.trap);
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
            controllers: canister.controllers,
            status: canister.status === 'running' ? 1 : canister.status === 'stopping' ? 2 : 3,
            subnetId: this.subnetId(canister.subnetIndex),
            rootKey: this.rootKey,
            environmentVariables: [...canister.settings.environmentVariables].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
            fees: this.cycles.fees(canister),
            freezingLimit: this.cycles.freezingLimit(canister)
        };
    }

    idleCyclesBurnedPerDay(canister: Canister): bigint {
        return this.cycles.idleCyclesBurnedPerDay(canister);
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
            outstandingCalls: (callee) => canister.outstandingCallsTo(callee),
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
                // Deadlines are whole seconds (a `CoarseTime` in dfinity/ic rs/types/types/src/messages/inter_canister.rs).
                const deadline = call.timeoutSeconds === null ? 0n : (this.roundTime / NANOS_PER_SECOND + BigInt(call.timeoutSeconds)) * NANOS_PER_SECOND;
                canister.callbacks.set(callbackId, {
                    id: callbackId,
                    contextId: context.id,
                    reply: call.reply,
                    reject: call.reject,
                    cleanup: call.cleanup,
                    generation: canister.generation,
                    cyclesSent: call.cycles,
                    callee: canisterKey(call.callee),
                    deadline,
                    prepaidExecution: call.prepaidExecution,
                    prepaidResponseTransmission: call.prepaidResponseTransmission
                });
                canister.callMade(canisterKey(call.callee));
                context.outstanding++;
                const payload = callPayload(call);
                // A call addressed to a subnet id is a call to that subnet's management
                // canister (the interface specification's "effective" management calls).
                const addressedSubnet = this.subnetIndexOf(call.callee);
                this.queue.push({
                    kind: 'request',
                    origin: { kind: 'canister', caller: canister.key, callbackId },
                    sender: canister.id,
                    target: addressedSubnet === null ? call.callee : MANAGEMENT_ID,
                    ...(addressedSubnet === null ? {} : { subnetIndex: addressedSubnet }),
                    method: call.method,
                    arg: payload,
                    cycles: call.cycles,
                    ...(deadline === 0n ? {} : { deadline })
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
        canister.forgetCalls();
    }

    /** Puts a canister into Stopping; `answer` runs once it has no open call contexts. */
    requestStop(canister: Canister, origin: Origin, answer: (result: CallResult) => void): void {
        canister.pendingStops.push({ origin, reply: answer, requestedAt: this.roundTime });
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

    /** Rejects the stop requests that waited out the stop timeout; their canisters stay Stopping (stop-timeout.ts). */
    private expireStops(now: bigint): void {
        for (const canister of this.stopping) {
            const { expired, waiting } = expiredStops(canister.pendingStops, now);
            canister.pendingStops = waiting;
            for (const stop of expired) stop.reply(reject(rejects.stopTimedOut()));
        }
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
     * Runs a query or composite query method non-replicated on the current state and
     * discards every change (see `query-call-graph.ts`).
     */
    query(canister: Canister, method: string, arg: Uint8Array, caller: Uint8Array, dataCertificate: DataCertificateSource = null): CallResult {
        return this.queries.run(canister, method, arg, caller, dataCertificate);
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

/** Bytes a response transmits: the reply payload or the reject message. */
function responseBytes(result: CallResult): number {
    return result.kind === 'reply' ? result.payload.length : new TextEncoder().encode(result.reject.rejectMessage).length;
}
