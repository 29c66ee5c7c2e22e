/**
 * One emulated IC instance as PocketIC exposes it: subnets, time, ingress messages, queries
 * and rounds, over the replicated state machine in `engine/`.
 */
import { createHash, randomBytes } from 'node:crypto';

import { IDL } from '@dfinity/candid';

import {
    OperationError,
    type CallResult,
    type CanisterCall,
    type InstanceApi,
    type InstanceConfig,
    type Reject,
    type SubmittedMessage,
    type Topology
} from './api';
import { Canister } from './engine/canister';
import { CyclesAccount } from './engine/cycles-account';
import { canWithdraw, ingressInductionCost, outOfCyclesMessage } from './engine/fees';
import { encodeCbor } from './http-interface/cbor';
import { principalText, reject as rejectOf, rejects } from './engine/errors';
import type { DataCertificateSource } from './engine/execution';
import { INGRESS_METHODS, ManagementCanister, randomStream } from './engine/management';
import { Replica, type IngressRecord, type Request } from './engine/replica';
import { buildSubnets, canisterIdFromIndex, rootSubnetOf, subnetOfCanister, type Subnet } from './engine/topology';
import { subnetLimits, type InstructionLimits } from './engine/instruction-limits';
import { ModuleCache } from './engine/wasm-module';
import { RejectCode } from './api';
import type { CanisterCertifiedState } from './http-interface/host';

/** PocketIC's genesis time: 2021-05-06 19:17:10 UTC. */
export const GENESIS_TIME_NANOS = 1_620_328_630_000_000_000n;
/** `await_ingress_message` gives up after this many rounds, as PocketIC does. */
const MAX_AWAIT_ROUNDS = 100;

/** Compiled modules are shared by every instance of the server: a module seen once installs fast. */
const sharedModules = new ModuleCache();

export type InstanceOptions = {
    /** Receives every canister `debug_print` line. Defaults to stderr. */
    log?: (line: string) => void;
    seed?: Uint8Array;
    /**
     * Instruction limits that replace the subnets' own (each subnet's are those of its kind
     * and `instruction_config`, as in PocketIC): the server's `--instruction-limits` flag.
     */
    instructionLimits?: Partial<InstructionLimits>;
    /** Where modules are compiled (default: the server's shared cache); benchmarks compare caches. */
    modules?: ModuleCache;
};

export class Instance implements InstanceApi {
    readonly topology: Topology;
    private readonly subnets: Subnet[];
    private readonly replica: Replica;
    private readonly modules: ModuleCache;
    private time = GENESIS_TIME_NANOS;
    private lastRoundTime = 0n;
    private pendingIngress: Request[] = [];
    private nextMessage = 0;
    private autoProgress: NodeJS.Timeout | null = null;

    constructor(config: InstanceConfig, options: InstanceOptions = {}) {
        if (config.subnets.length === 0) throw new OperationError('an instance needs at least one subnet');
        const seed = options.seed ?? randomBytes(32);
        this.subnets = buildSubnets(config.subnets);
        const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
        const limits = this.subnets.map((subnet) => ({ ...subnetLimits(subnet.kind, subnet.instructionConfig), ...options.instructionLimits }));
        this.replica = new Replica(
            (canister, text) => log(`${this.formatTime()}: [Canister ${canister.idText}] ${text}`),
            (subnetIndex) => limits[subnetIndex] ?? limits[0]!
        );
        this.modules = options.modules ?? sharedModules;
        const management = new ManagementCanister({
            replica: this.replica,
            modules: this.modules,
            allocateCanisterId: (subnetIndex, specified) => this.allocateCanisterId(subnetIndex, specified),
            randomBytes: randomStream(seed),
            subnetKind: (index) => this.subnets[index]!.kind
        });
        this.replica.management = (request, respond) => management.handle(request, respond);
        this.replica.routes = (id) => subnetOfCanister(this.subnets, id) >= 0;
        this.replica.subnetId = (index) => this.subnets[index]!.subnetId;
        this.replica.subnetIndexOf = (id) => {
            const index = this.subnets.findIndex((s) => Buffer.from(s.subnetId).equals(id));
            return index < 0 ? null : index;
        };
        this.replica.rootKey = rootSubnetOf(this.subnets).publicKeyDer;
        this.replica.cycles = new CyclesAccount((subnetIndex) => this.subnets[subnetIndex]!.fees);
        const defaultSubnet = this.defaultSubnet();
        this.topology = {
            subnets: this.subnets,
            defaultEffectiveCanisterId: canisterIdFromIndex(defaultSubnet.first)
        };
    }

    private formatTime(): string {
        const millis = Number(this.replica.roundTime / 1_000_000n);
        return new Date(millis).toISOString().replace('T', ' ').replace('Z', ' UTC');
    }

    private defaultSubnet(): Subnet {
        return this.subnets.find((s) => s.kind === 'Application') ?? this.subnets.find((s) => s.kind === 'VerifiedApplication') ?? this.subnets[0]!;
    }

    private allocateCanisterId(requestedSubnet: number | null, specified: Uint8Array | null): { id: Uint8Array; subnetIndex: number } | Reject {
        if (specified !== null) {
            const subnetIndex = subnetOfCanister(this.subnets, specified);
            if (subnetIndex < 0) {
                return rejectOf(RejectCode.CanisterReject, 'CanisterNotFound', `The specified canister id ${principalText(specified)} is not in any subnet's range`);
            }
            if (this.replica.canister(specified) !== undefined) {
                return rejectOf(RejectCode.CanisterReject, 'CanisterNonEmpty', `Canister ${principalText(specified)} already exists`);
            }
            return { id: specified, subnetIndex };
        }
        const subnetIndex = requestedSubnet ?? this.subnets.indexOf(this.defaultSubnet());
        const subnet = this.subnets[subnetIndex]!;
        while (subnet.next <= subnet.last) {
            const id = canisterIdFromIndex(subnet.next++);
            if (this.replica.canister(id) === undefined) return { id, subnetIndex };
        }
        return rejectOf(RejectCode.SysTransient, 'CanisterOutOfMemory', `subnet ${principalText(subnet.subnetId)} has no canister ids left`);
    }

    private existing(id: Uint8Array): Canister {
        const canister = this.replica.canister(id);
        if (canister === undefined) throw new OperationError(`CanisterNotFound(CanisterId(${principalText(id)}))`);
        return canister;
    }

    getTime(): bigint {
        return this.time;
    }

    setTime(nanos: bigint): void {
        if (nanos < this.time) {
            throw new OperationError(`SettingTimeIntoPast((${this.time}, ${nanos}))`);
        }
        this.time = nanos;
    }

    setCertifiedTime(nanos: bigint): void {
        this.setTime(nanos);
        // Queries read the time of the last certified state: make the new time visible now.
        this.replica.roundTime = nanos;
        this.lastRoundTime = nanos;
    }

    tick(): void {
        if (this.time <= this.lastRoundTime) this.time = this.lastRoundTime + 1n;
        const inducted = this.pendingIngress;
        this.pendingIngress = [];
        this.replica.runRound(this.time, inducted);
        this.lastRoundTime = this.time;
    }

    getCycles(canisterId: Uint8Array): bigint {
        return this.existing(canisterId).cycles;
    }

    addCycles(canisterId: Uint8Array, amount: bigint): bigint {
        const canister = this.existing(canisterId);
        canister.cycles += amount;
        return canister.cycles;
    }

    setStableMemory(canisterId: Uint8Array, bytes: Uint8Array): void {
        this.existing(canisterId).stable.replace(bytes);
    }

    getStableMemory(canisterId: Uint8Array): Uint8Array {
        return this.existing(canisterId).stable.snapshot();
    }

    getControllers(canisterId: Uint8Array): Uint8Array[] {
        return this.existing(canisterId).controllers;
    }

    getSubnet(canisterId: Uint8Array): Uint8Array | null {
        // A canister that does not exist is on no subnet, even if its id is in a subnet's range.
        if (this.replica.canister(canisterId) === undefined) return null;
        const index = subnetOfCanister(this.subnets, canisterId);
        return index < 0 ? null : this.subnets[index]!.subnetId;
    }

    subnetPublicKey(subnetId: Uint8Array): Uint8Array {
        const subnet = this.subnets.find((s) => Buffer.from(s.subnetId).equals(subnetId));
        if (subnet === undefined) throw new OperationError(`SubnetNotFound(${principalText(subnetId)})`);
        return subnet.publicKeyDer;
    }

    /** The subnet a call executes on, by the PocketIC routing rules. */
    private routeSubnet(call: CanisterCall): Subnet {
        if (call.canisterId.length > 0) {
            const index = subnetOfCanister(this.subnets, call.canisterId);
            return this.subnets[index] ?? this.defaultSubnet();
        }
        if (call.effectivePrincipal.kind === 'subnet') {
            const id = call.effectivePrincipal.id;
            const subnet = this.subnets.find((s) => Buffer.from(s.subnetId).equals(id));
            if (subnet === undefined) throw new OperationError(`SubnetNotFound(${principalText(id)})`);
            return subnet;
        }
        if (call.method === 'provisional_create_canister_with_cycles') {
            if (call.effectivePrincipal.kind === 'canister') {
                return this.subnets[subnetOfCanister(this.subnets, call.effectivePrincipal.id)] ?? this.defaultSubnet();
            }
            return this.defaultSubnet();
        }
        const target = managementTarget(call);
        if (target === null) {
            throw new OperationError(`the argument of management method ${call.method} does not start with a canister_id`);
        }
        const index = subnetOfCanister(this.subnets, target);
        if (index < 0) throw new OperationError(`CanisterNotFound(CanisterId(${principalText(target)}))`);
        return this.subnets[index]!;
    }

    /**
     * @param knownId the HTTP interface passes the request id, so `request_status/<id>` finds
     *   the message; a message already known by that id is not queued again (replay).
     */
    submitIngress(call: CanisterCall, knownId?: Uint8Array): { ok: SubmittedMessage } | { err: Reject } {
        // A management method users may not call is refused before routing: its argument
        // (e.g. raw_rand's `()`) names no canister to route by.
        if (call.canisterId.length === 0 && !INGRESS_METHODS.has(call.method)) return { err: notForIngress(call.method) };
        const subnet = this.routeSubnet(call);
        if (knownId !== undefined && this.replica.ingress.has(Buffer.from(knownId).toString('hex'))) {
            return { ok: { subnetId: subnet.subnetId, messageId: knownId } };
        }
        const refusal = this.validateIngress(call);
        // Refused before it enters a block: PocketIC reports such a reject as not certified.
        if (refusal !== null) return { err: { ...refusal, certified: false } };
        const induction = this.inductionCharge(call);
        if (induction !== undefined) {
            const unpaid = this.refuseUnpaidIngress(call, induction);
            if (unpaid !== null) return { err: { ...unpaid, certified: false } };
        }
        const messageId =
            knownId ??
            new Uint8Array(
                createHash('sha256').update(String(this.nextMessage++)).update(call.sender).update(call.canisterId).update(call.method).update(call.payload).digest()
            );
        const key = Buffer.from(messageId).toString('hex');
        this.replica.ingress.set(key, { caller: call.sender, status: 'received', result: null });
        this.pendingIngress.push({
            kind: 'request',
            origin: { kind: 'ingress', messageId: key },
            sender: call.sender,
            target: call.canisterId,
            method: call.method,
            arg: call.payload,
            cycles: 0n,
            subnetIndex: this.subnets.indexOf(subnet),
            ...(induction === undefined ? {} : { induction })
        });
        return { ok: { subnetId: subnet.subnetId, messageId } };
    }

    /**
     * A management call about a canister from someone who does not control it is refused
     * before induction, as the replica's ingress filter does, so strangers cannot make a
     * canister pay for their messages.
     */
    private refuseNonController(call: CanisterCall): Reject | null {
        if (ANYONE_MAY_SEND.has(call.method)) return null;
        const target = managementTarget(call);
        const canister = target === null ? undefined : this.replica.canister(target);
        if (canister === undefined || canister.isController(call.sender)) return null;
        return rejects.notController(canister.id, call.sender, call.method);
    }

    /**
     * What inducting an ingress message costs and who pays: the receiving canister, or for a
     * management call the canister it is about. Creating canisters, and small update_settings
     * calls (so a canister frozen by its own settings can be unfrozen), are free.
     */
    private inductionCharge(call: CanisterCall): { payer: Uint8Array; cost: bigint } | undefined {
        let payer: Uint8Array | null = call.canisterId;
        if (call.canisterId.length === 0) {
            const free = FREE_INGRESS_METHODS.has(call.method) || (call.method === 'update_settings' && call.payload.length <= MAX_DELAYED_INGRESS_COST_PAYLOAD);
            payer = free ? null : managementTarget(call);
        }
        if (payer === null) return undefined;
        const canister = this.replica.canister(payer);
        if (canister === undefined) return undefined;
        const fees = this.replica.cycles.fees(canister);
        return { payer, cost: ingressInductionCost(fees, BigInt(ingressMessageBytes(call, this.time))) };
    }

    /** Refuses at submission a message whose payer cannot pay its induction above the freezing limit. */
    private refuseUnpaidIngress(call: CanisterCall, induction: { payer: Uint8Array; cost: bigint }): Reject | null {
        const canister = this.replica.canister(induction.payer);
        if (canister === undefined) return null;
        const limit = this.replica.cycles.freezingLimit(canister);
        if (canWithdraw(canister.cycles, induction.cost, limit)) return null;
        const message = outOfCyclesMessage(canister.idText, canister.cycles, induction.cost, limit, canister.isController(call.sender));
        return rejectOf(RejectCode.SysTransient, 'CanisterOutOfCycles', message);
    }

    /** The checks an ingress message passes before it is accepted into a block. */
    private validateIngress(call: CanisterCall): Reject | null {
        if (call.canisterId.length === 0) {
            if (!INGRESS_METHODS.has(call.method)) return notForIngress(call.method);
            return this.refuseNonController(call);
        }
        const canister = this.replica.canister(call.canisterId);
        if (canister === undefined) return rejects.canisterNotFound(call.canisterId);
        if (canister.status === 'stopped') return rejects.canisterStopped(canister.id);
        if (canister.status === 'stopping') return rejects.canisterStopping(canister.id);
        if (canister.runtime === null) return rejects.noModule(canister.id);
        const inspected = this.replica.inspect(canister, call.method, call.payload, call.sender);
        return inspected !== null && inspected.kind === 'reject' ? inspected.reject : null;
    }

    awaitIngress(message: SubmittedMessage): CallResult {
        const key = Buffer.from(message.messageId).toString('hex');
        const record = this.replica.ingress.get(key);
        if (record === undefined) throw new OperationError(`unknown ingress message ${key}`);
        for (let round = 0; round < MAX_AWAIT_ROUNDS; round++) {
            if (record.status === 'done' && record.result !== null) return record.result;
            this.tick();
        }
        if (record.status === 'done' && record.result !== null) return record.result;
        throw new OperationError(`Failed to answer to ingress ${key} after ${MAX_AWAIT_ROUNDS} rounds.`);
    }

    ingressStatus(messageId: Uint8Array, caller: Uint8Array | null): CallResult | null {
        const record = this.replica.ingress.get(Buffer.from(messageId).toString('hex'));
        if (record === undefined) return null;
        if (caller !== null && !Buffer.from(record.caller).equals(caller)) {
            throw new OperationError(`The user tries to access the ingress message status of another user`, 403);
        }
        return record.status === 'done' ? record.result : null;
    }

    /** @param dataCertificate what `ic0.data_certificate_copy` returns (HTTP interface queries). */
    query(call: CanisterCall, dataCertificate: DataCertificateSource = null): CallResult {
        if (call.canisterId.length === 0) {
            return { kind: 'reject', reject: rejects.methodNotFound(call.canisterId, 'query', call.method) };
        }
        const canister = this.replica.canister(call.canisterId);
        if (canister === undefined) return { kind: 'reject', reject: rejects.canisterNotFound(call.canisterId) };
        return this.replica.query(canister, call.method, call.payload, call.sender, dataCertificate);
    }

    // --- Read access for the IC HTTP interface (`http-interface/host.ts`). ---

    /** Time of the last executed round: the state certificates describe. */
    certifiedTime(): bigint {
        return this.lastRoundTime > 0n ? this.lastRoundTime : this.time;
    }

    subnetSecretKey(subnetId: Uint8Array): Uint8Array {
        const subnet = this.subnets.find((s) => Buffer.from(s.subnetId).equals(subnetId));
        if (subnet === undefined) throw new OperationError(`SubnetNotFound(${principalText(subnetId)})`);
        return subnet.secretKey;
    }

    subnetOfRange(id: Uint8Array): Uint8Array | null {
        const index = subnetOfCanister(this.subnets, id);
        return index < 0 ? null : this.subnets[index]!.subnetId;
    }

    canisterState(id: Uint8Array): CanisterCertifiedState | null {
        const canister = this.replica.canister(id);
        if (canister === undefined) return null;
        return {
            moduleHash: canister.runtime?.module.hash ?? null,
            controllers: canister.controllers,
            certifiedData: canister.certifiedData,
            metadata: canister.runtime?.module.metadata ?? new Map()
        };
    }

    ingressRecord(messageId: Uint8Array): Readonly<IngressRecord> | undefined {
        return this.replica.ingress.get(Buffer.from(messageId).toString('hex'));
    }

    startAutoProgress(artificialDelayMs: number): void {
        if (this.autoProgress !== null) throw new OperationError('auto progress mode has already been enabled');
        const step = (): void => {
            const now = BigInt(Date.now()) * 1_000_000n;
            if (now > this.time) this.time = now;
            this.tick();
        };
        step();
        this.autoProgress = setInterval(step, Math.max(artificialDelayMs, 10));
        this.autoProgress.unref();
    }

    stopAutoProgress(): void {
        if (this.autoProgress !== null) clearInterval(this.autoProgress);
        this.autoProgress = null;
    }

    isAutoProgress(): boolean {
        return this.autoProgress !== null;
    }

    dispose(): void {
        this.stopAutoProgress();
        this.replica.canisters.clear();
    }

    /** The parts of the instance a saved network must keep (see `persistence.ts`). */
    get persistentParts(): { replica: Replica; subnets: Subnet[]; modules: ModuleCache; time: bigint; lastRoundTime: bigint } {
        return { replica: this.replica, subnets: this.subnets, modules: this.modules, time: this.time, lastRoundTime: this.lastRoundTime };
    }

    /** Sets the clock of a restored network (time never moves backwards from here). */
    restoreClock(time: bigint, lastRoundTime: bigint): void {
        this.time = time;
        this.lastRoundTime = lastRoundTime;
        this.replica.roundTime = lastRoundTime;
    }

    /** Runs rounds until no message is queued (at most `maxRounds`); true when idle. */
    settle(maxRounds: number): boolean {
        for (let round = 0; round < maxRounds && !(this.replica.isIdle && this.pendingIngress.length === 0); round++) this.tick();
        return this.replica.isIdle && this.pendingIngress.length === 0;
    }

    /** For tools and benchmarks in this process: the canister record behind an id. */
    canisterRecord(id: Uint8Array): Canister | undefined {
        return this.replica.canister(id);
    }
}

/** Management methods any user may send about any canister (the provisional API). */
const ANYONE_MAY_SEND = new Set(['provisional_create_canister_with_cycles', 'provisional_top_up_canister']);
/** Management methods whose ingress nobody pays for (no canister exists to pay yet). */
const FREE_INGRESS_METHODS = new Set(['provisional_create_canister_with_cycles', 'create_canister']);
/** update_settings payloads up to this size are inducted free (the replica's MAX_DELAYED_INGRESS_COST_PAYLOAD_SIZE). */
const MAX_DELAYED_INGRESS_COST_PAYLOAD = 366;
/** Ingress expiry PocketIC gives the messages it submits (5 minutes ahead). */
const INGRESS_EXPIRY_NANOS = 5n * 60n * 1_000_000_000n;

/**
 * Size of an ingress message as the replica charges it: the CBOR envelope of an unsigned call,
 * as PocketIC builds it for a submitted message.
 */
export function ingressMessageBytes(call: CanisterCall, time: bigint): number {
    return encodeCbor({
        content: {
            request_type: 'call',
            canister_id: call.canisterId,
            method_name: call.method,
            arg: call.payload,
            sender: call.sender,
            ingress_expiry: time + INGRESS_EXPIRY_NANOS
        }
    }).length;
}

const CANISTER_ID_ARG = IDL.Record({ canister_id: IDL.Principal });
const CHUNKED_TARGET_ARG = IDL.Record({ target_canister: IDL.Principal });

/** The canister a management call is about, read from its argument as PocketIC routes it. */
function managementTarget(call: CanisterCall): Uint8Array | null {
    for (const type of [CANISTER_ID_ARG, CHUNKED_TARGET_ARG]) {
        try {
            const [value] = IDL.decode([type], call.payload) as unknown as [Record<string, { toUint8Array(): Uint8Array }>];
            const principal = value['canister_id'] ?? value['target_canister'];
            if (principal !== undefined) return principal.toUint8Array();
        } catch {
            // Not this shape; try the next one.
        }
    }
    return null;
}

export function createInstance(config: InstanceConfig, options?: InstanceOptions): Instance {
    return new Instance(config, options);
}

/** The replica's refusal of a management method only canisters may call. */
function notForIngress(method: string): Reject {
    return rejectOf(RejectCode.CanisterReject, 'CanisterRejectedMessage', `ic00 method ${method} can not be called via ingress messages`);
}
