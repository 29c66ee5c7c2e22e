/**
 * Agents as the executor runs them: it keeps the agent module (bytes too, in its stable
 * memory), creates each owner's agent
 * (controlled by the executor alone) and makes every call of an owner's attempts through that
 * owner's agent. Why the executor and why it alone controls agents: docs/security.md, "Agents".
 */
import { call, canisterSelf, IDL, Principal } from 'azle';

import { AgentMethods, encodeAgentInitArg, type AgentCallOutcome } from '../../../shared/agent/api';
import { AGENT_CREATION_CYCLES } from '../../../shared/agent/funding';
import type { AgentModule, AgentModuleChunk, AgentRecordWire, AgentUpgradeArgs, AgentUpgradeReportWire } from '../../../shared/agent/executor-agent-api';
import { CanisterIdRecordIdl, ChunkHashIdl, CmcCreateCanisterArgsIdl, CmcCreateCanisterResultIdl, CreateCanisterArgsIdl, CYCLES_MINTING_CANISTER_ID, InstallChunkedCodeArgsIdl, UploadChunkArgsIdl, type CanisterIdRecord, type CmcCreateCanisterArgs, type CmcCreateCanisterResult, type CreateCanisterArgs, type InstallChunkedCodeArgs } from '../../../shared/agent/management';
import { PEER_ROLES } from '../../../shared/common/deployment';
import { apiError, type ApiError } from '../../../shared/common/errors';
import { ExecutorMethods, WORKFLOW_LIMITS } from '../../../shared/workflow';
import { callFailureOf, callTyped, type CallFailure, type CallOutcome } from '../../common/outbox/calls';
import { method } from '../../common/method';
import { agentModule, agentOf, agentsAfter, agentSubnets, createdAgentCount, hasModuleChunk, moduleChunk, putAgentSubnets, moduleChunkCount, pruneModuleChunks, putAgent, putAgentModule, putModuleChunk, type StoredAgent, type StoredAgentModule } from './agent-state';
import { requirePeer } from './guards';
import { agentSubnetFor, agentSubnetsRefusal, agentUpgradeBatch, chunkHashMismatch, chunkRefusal, hexOf, isRefusedUnrun, moduleHashMismatch, moduleRefusal, upgradeInSteps, type AgentUpgradeResult, type CallResult } from './logic';
import { deployment } from './state';
import * as runtime from './runtime';
import { err, type Result } from '../../../shared/common/result';

/** Agents being created by a call in flight (heap: an upgrade cannot happen while one awaits). */
const creating = new Set<string>();

/**
 * Agents (canister ids) being upgraded by `upgrade_agents`, from before their stop until after
 * their start (heap, like `creating`: the executor cannot be upgraded while that message awaits).
 * No call is handed to one of them meanwhile: the attempt waits unsent (see {@link ensureAgent}).
 */
const upgrading = new Set<string>();
let upgradeRunning = false;

const MANAGEMENT = Principal.fromText('aaaaa-aa');

/** What {@link ensureAgent} answers while no agent module is installed (the runner fails the call on it). */
export const NO_AGENT_MODULE = 'agent_module';

function toWire(a: StoredAgent): AgentRecordWire {
    return { owner: Principal.fromText(a.owner), agent: a.canisterId === undefined ? [] : [Principal.fromText(a.canisterId)], status: a.status === 'Ready' ? { Ready: null } : { Creating: null } };
}

async function managementCall<T>(method: string, argType: IDL.Type, arg: unknown, retType: IDL.Type | undefined, cycles = 0n): Promise<CallOutcome<T>> {
    try {
        const value = await call<unknown[], T>(MANAGEMENT, method, { paramIdlTypes: [argType], args: [arg], ...(retType === undefined ? {} : { returnIdlType: retType }), cycles });
        return { kind: 'Replied', value };
    } catch (error) {
        return { kind: 'Rejected', ...callFailureOf(error) };
    }
}

function unavailableOf(method: string, f: CallFailure): ApiError {
    return apiError.unavailable(`${method} failed (reject ${f.reject_code}): ${f.message.slice(0, WORKFLOW_LIMITS.maxDescriptionChars)}`);
}

/** A management call whose reject may pass (Unavailable: the caller waits and tries again). */
async function management<T>(method: string, argType: IDL.Type, arg: unknown, retType: IDL.Type | undefined, cycles = 0n): Promise<Result<T, ApiError>> {
    const r = await managementCall<T>(method, argType, arg, retType, cycles);
    return r.kind === 'Replied' ? { Ok: r.value } : err(unavailableOf(method, r));
}

/**
 * Why the current agent module cannot be installed, once an install found out (a chunk not
 * what its hash says, or chunks that do not assemble into the declared module): no agent is
 * installed from it again, so owners' calls fail at once instead of re-uploading every chunk
 * per attempt. Cleared by `set_agent_module`. Heap: after an upgrade of the executor the next
 * install finds out again.
 */
let moduleRefused: string | undefined;

/** The module cannot be installed (see {@link moduleRefused}): NotFound, which fails the owner's call at once (CallRefused). */
function refuseModule(why: string): ApiError {
    moduleRefused = why;
    return apiError.notFound(NO_AGENT_MODULE, why);
}

/**
 * The owner's agent, created and installed if it does not exist yet. Resumable: a canister
 * created by an earlier try that could not install is installed, never created twice.
 * Call context: update or timer (awaits the management canister).
 */
export async function ensureAgent(owner: Principal): Promise<Result<StoredAgent, ApiError>> {
    const known = agentOf(owner);
    if (known?.canisterId !== undefined && upgrading.has(known.canisterId)) return { Err: apiError.unavailable(`the agent of ${owner.toText()} is being upgraded`) };
    if (known?.status === 'Ready') return { Ok: known };
    if (creating.has(owner.toText())) return err(apiError.unavailable(`the agent of ${owner.toText()} is being created`));
    const module = agentModule();
    if (module === undefined) return err(apiError.notFound(NO_AGENT_MODULE, 'no agent module is installed on the executor: the deploy step uploads it (upload_agent_module_chunk, set_agent_module)'));
    if (moduleRefused !== undefined) return err(apiError.notFound(NO_AGENT_MODULE, moduleRefused));
    creating.add(owner.toText());
    try {
        let record: StoredAgent = known ?? { schema_version: 1, owner: owner.toText(), status: 'Creating', createdAt: runtime.now() };
        putAgent(record);
        if (record.canisterId === undefined) {
            const created = await createAgentCanister();
            if ('Err' in created) return created;
            record = { ...record, canisterId: created.Ok.toText() };
            putAgent(record);
        }
        const canisterId = Principal.fromText(record.canisterId ?? '');
        const installed = await installAgentModule({ install: null }, canisterId, owner, module);
        if ('Err' in installed) return installed;
        record = { ...record, status: 'Ready' };
        putAgent(record);
        return { Ok: record };
    } finally {
        creating.delete(owner.toText());
    }
}

/**
 * A new canister for an agent, controlled by the executor alone, with {@link AGENT_CREATION_CYCLES}:
 * on the next of the configured agent subnets in turn (`set_agent_subnets`) through the cycles
 * minting canister, the one way to create on another subnet, or, with none configured, on the
 * executor's own subnet through the management canister.
 */
async function createAgentCanister(): Promise<Result<Principal, ApiError>> {
    const settings: CreateCanisterArgs['settings'] = [{ controllers: [[canisterSelf()]] }];
    const subnet = agentSubnetFor(agentSubnets(), createdAgentCount());
    if (subnet === undefined) {
        const created = await management<CanisterIdRecord>('create_canister', CreateCanisterArgsIdl, { settings }, CanisterIdRecordIdl, AGENT_CREATION_CYCLES);
        return 'Err' in created ? created : { Ok: created.Ok.canister_id };
    }
    const args: CmcCreateCanisterArgs = { settings, subnet_selection: [{ Subnet: { subnet: Principal.fromText(subnet) } }], subnet_type: [] };
    try {
        const r = await call<unknown[], CmcCreateCanisterResult>(Principal.fromText(CYCLES_MINTING_CANISTER_ID), 'create_canister', { paramIdlTypes: [CmcCreateCanisterArgsIdl], args: [args], returnIdlType: CmcCreateCanisterResultIdl, cycles: AGENT_CREATION_CYCLES });
        if ('Ok' in r) return r;
        const why = 'Refunded' in r.Err ? r.Err.Refunded.create_error : `${r.Err.RefundFailed.create_error}; refund failed: ${r.Err.RefundFailed.refund_error}`;
        return err(apiError.unavailable(`the cycles minting canister did not create the agent on ${subnet}: ${why.slice(0, WORKFLOW_LIMITS.maxDescriptionChars)}`));
    } catch (error) {
        const f = callFailureOf(error);
        return err(apiError.unavailable(`the cycles minting canister's create_canister failed (reject ${f.reject_code}): ${f.message.slice(0, WORKFLOW_LIMITS.maxDescriptionChars)}`));
    }
}

/**
 * Installs `module` into the agent `canisterId` of `owner` (a new agent, or an upgrade), with
 * its configuration as the argument. The chunks go into the agent's own chunk store (the
 * executor controls it), which `install_chunked_code` requires on the target's subnet: so an
 * agent may live on any subnet. The store is cleared before (chunks left by a try that failed
 * half-way) and after (they would cost the agent storage).
 */
async function installAgentModule(mode: InstallChunkedCodeArgs['mode'], canisterId: Principal, owner: Principal, module: StoredAgentModule): Promise<Result<null, ApiError>> {
    const target = { canister_id: canisterId };
    const cleared = await management<null>('clear_chunk_store', CanisterIdRecordIdl, target, undefined);
    if ('Err' in cleared) return cleared;
    for (const hash of module.chunkHashes) {
        const chunk = moduleChunk(hexOf(hash));
        if (chunk === undefined) return err(apiError.notFound(NO_AGENT_MODULE, `chunk ${hexOf(hash)} of the agent module is missing`));
        const uploaded = await management<{ hash: Uint8Array }>('upload_chunk', UploadChunkArgsIdl, { canister_id: canisterId, chunk }, ChunkHashIdl);
        if ('Err' in uploaded) return uploaded;
        // The executor kept the chunk under the hash its uploader gave; here it is checked.
        const mismatch = chunkHashMismatch(hash, uploaded.Ok.hash);
        if (mismatch !== undefined) return err(refuseModule(mismatch));
    }
    const install: InstallChunkedCodeArgs = {
        mode,
        target_canister: canisterId,
        store_canister: [canisterId],
        chunk_hashes_list: module.chunkHashes.map((hash) => ({ hash })),
        wasm_module_hash: module.wasmModuleHash,
        arg: encodeAgentInitArg({ owner, executor: canisterSelf(), protected_canisters: PEER_ROLES.map((role) => deployment.peer(role)) })
    };
    const installed = await managementCall<null>('install_chunked_code', InstallChunkedCodeArgsIdl, install, undefined);
    if (installed.kind === 'Rejected') {
        // Every chunk is what its hash says (checked above), so a wrong whole-module hash is the module's, for good.
        const mismatch = moduleHashMismatch(module.wasmModuleHash, installed.reject_code, installed.message.slice(0, WORKFLOW_LIMITS.maxDescriptionChars));
        return err(mismatch === undefined ? unavailableOf('install_chunked_code', installed) : refuseModule(mismatch));
    }
    // Installed: a failed clear only leaves the chunks until the agent's next install clears them first.
    await management<null>('clear_chunk_store', CanisterIdRecordIdl, target, undefined);
    return { Ok: null };
}

/** The error message of a management call's result, or undefined when it succeeded. */
function failureOf(r: Result<null, ApiError>): string | undefined {
    if ('Ok' in r) return undefined;
    return 'Unavailable' in r.Err ? r.Err.Unavailable.message : JSON.stringify(r.Err, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/**
 * Upgrades one agent to `module` the way the drill upgrades every DeFlow canister: stop (the
 * management canister answers once the calls the agent has in flight are finished, so each
 * of them reports as usual), install in upgrade mode, start. It is started again after a
 * failed stop or install ({@link upgradeInSteps}), so it keeps serving its old module. While
 * it is in `upgrading`, no call is handed to it.
 */
async function upgradeAgent(agent: StoredAgent & { canisterId: string }, module: StoredAgentModule): Promise<AgentUpgradeResult> {
    const canisterId = Principal.fromText(agent.canisterId);
    const target = { canister_id: canisterId };
    upgrading.add(agent.canisterId);
    try {
        return await upgradeInSteps({
            stop: async () => failureOf(await management<null>('stop_canister', CanisterIdRecordIdl, target, undefined)),
            install: async () => failureOf(await installAgentModule({ upgrade: [] }, canisterId, Principal.fromText(agent.owner), module)),
            start: async () => failureOf(await management<null>('start_canister', CanisterIdRecordIdl, target, undefined))
        });
    } finally {
        upgrading.delete(agent.canisterId);
    }
}

/** Upgrades the next `limit` agents after `cursor` in owner order, one at a time (see {@link upgradeAgent}). */
async function upgradeAgentBatch(module: StoredAgentModule, cursor: string | undefined, limit: number): Promise<AgentUpgradeReportWire> {
    const batch = agentsAfter(cursor, limit);
    const report: AgentUpgradeReportWire = { upgraded: 0, failed: [], next_cursor: batch.more && batch.agents.length > 0 ? [batch.agents[batch.agents.length - 1].owner] : [] };
    for (const agent of batch.agents) {
        if (agent.status !== 'Ready' || agent.canisterId === undefined) continue;
        const r = await upgradeAgent({ ...agent, canisterId: agent.canisterId }, module);
        if (r.upgraded) report.upgraded += 1;
        else report.failed.push({ owner: Principal.fromText(agent.owner), agent: Principal.fromText(agent.canisterId), step: r.step, running: r.running, message: r.message.slice(0, WORKFLOW_LIMITS.maxDescriptionChars) });
    }
    return report;
}

/** Whether `upgrade_agents` has the agent (canister id) stopped or being upgraded now: no call or read is handed to it. */
export function isAgentUpgrading(canisterId: string): boolean {
    return upgrading.has(canisterId);
}

/** A call the IC refused to deliver to a stopping or stopped agent: it never ran, so it is handed over again later. */
export type AgentStopped = { kind: 'AgentStopped' };

/**
 * Performs one call of an owner's attempt through that owner's agent (see {@link ensureAgent}). What the agent answers
 * is applied to this attempt only (the caller holds the attempt's key); no DeFlow endpoint
 * accepts anything from an agent's principal.
 * Call context: timer.
 */
export async function callThroughAgent(agent: Principal, key: { executionId: string; nodeId: string; attempt: number }, canister: string, method: string, args: Uint8Array, cycles: bigint): Promise<CallResult | AgentStopped> {
    const request = { key: { execution_id: key.executionId, node_id: key.nodeId, attempt: key.attempt }, canister: Principal.fromText(canister), method, args, cycles };
    const r = await callTyped<Result<AgentCallOutcome, ApiError>>(agent, 'perform_call', AgentMethods.perform_call, [request]);
    // Only the IC's refusal to deliver proves the call never ran; any other reject (a trap after the agent called its target) is the attempt's outcome.
    if (r.kind === 'Rejected' && isRefusedUnrun(agent.toText(), r.reject_code, r.message)) return { kind: 'AgentStopped' };
    if (r.kind === 'Rejected') return { kind: 'Reject', code: r.reject_code, message: `agent: ${r.message}` };
    if ('Err' in r.value) return { kind: 'Reject', code: 5, message: `agent refused the request: ${Object.keys(r.value.Err)[0]}` };
    const outcome = r.value.Ok;
    if ('Replied' in outcome) return { kind: 'Reply', bytes: Uint8Array.from(outcome.Replied) };
    if ('Rejected' in outcome) return { kind: 'Reject', code: outcome.Rejected.code, message: outcome.Rejected.message };
    if ('InsufficientCycles' in outcome) {
        const c = outcome.InsufficientCycles;
        return { kind: 'InsufficientCycles', message: `the owner's agent holds ${c.balance} cycles, the call needs ${c.needed} (attached cycles plus the agent's minimum); top it up; nothing was sent` };
    }
    return { kind: 'Refused', message: `the agent refused ${canister} (${Object.keys(outcome.Refused.reason)[0]}); nothing was sent` };
}

export class AgentMethodsOfExecutor {
    /**
     * Keeps one chunk (1 byte to 1 MiB) of an agent module in the executor's stable memory
     * under the sha256 the caller gives, which `set_agent_module` names it by. It is not hashed
     * here (that would cost most of the message's instructions): the management canister checks
     * it at each agent's install, and an agent is never installed from a chunk that is not what
     * its hash says (see `installAgentModule`). An upgrade of the executor keeps it (a
     * canister's own chunk store is cleared by dfx, icp and pic upgrades).
     * Call context: update; admins and controllers (the deploy step). Errors: Unauthorized,
     * InvalidInput (size, hash length), LimitExceeded (100 chunks kept: `set_agent_module`
     * removes the ones it does not name).
     */
    @method(ExecutorMethods.upload_agent_module_chunk)
    upload_agent_module_chunk(arg: AgentModuleChunk): Result<null, ApiError> {
        const caller = runtime.caller();
        if (!deployment.isAdmin(caller)) return err(apiError.unauthorized(caller));
        const refused = chunkRefusal(arg.chunk, arg.sha256, moduleChunkCount());
        if (refused !== undefined) return err(refused);
        putModuleChunk(hexOf(arg.sha256), arg.chunk);
        return { Ok: null };
    }

    /**
     * Names the module agents are installed with: chunks uploaded with
     * `upload_agent_module_chunk`, in order, and the sha256 of the assembled module, which the
     * management canister's `install_chunked_code` checks at each install (an install it
     * refuses leaves the agent as it was; a module it refuses for a chunk or the whole hash is
     * not installed again, and owners' calls fail at once with CallRefused, until the module is
     * set again). Chunks it does not name are removed. Agents already installed keep theirs until
     * `upgrade_agents`.
     * Call context: update; admins and controllers (the deploy step). Errors: Unauthorized,
     * InvalidInput, NotFound (a chunk not uploaded), Unavailable (agents being created or upgraded).
     */
    @method(ExecutorMethods.set_agent_module)
    set_agent_module(arg: AgentModule): Result<null, ApiError> {
        const caller = runtime.caller();
        if (!deployment.isAdmin(caller)) return err(apiError.unauthorized(caller));
        // An install in flight reads the current module's chunks between its awaits.
        if (upgradeRunning || creating.size > 0) return err(apiError.unavailable('agents are being created or upgraded: set the module afterwards'));
        const refused = moduleRefusal(arg.chunk_hashes, arg.wasm_module_hash, hasModuleChunk);
        if (refused !== undefined) return err(refused);
        putAgentModule({ schema_version: 1, chunkHashes: arg.chunk_hashes.map((h) => Uint8Array.from(h)), wasmModuleHash: Uint8Array.from(arg.wasm_module_hash) });
        pruneModuleChunks(new Set(arg.chunk_hashes.map(hexOf)));
        moduleRefused = undefined;
        return { Ok: null };
    }

    /**
     * Upgrades one batch of owners' agents (at most `AGENT_UPGRADE_MAX_BATCH`, in owner order
     * after `cursor`; page on with `next_cursor` until none) to the module last named by
     * `set_agent_module` (the drill's step for agents, after the executor): each agent is stopped (its calls in flight finish
     * first), upgraded and started; calls of its owner's attempts wait unsent meanwhile and are
     * handed to it afterwards, so no attempt is lost or run twice. A failed step is reported
     * per agent, and the agent is started again after it.
     * Call context: update; admins and controllers. Errors: Unauthorized, InvalidInput (limit 0), Unavailable (no
     * module, or an upgrade of the agents is already running).
     */
    @method(ExecutorMethods.upgrade_agents)
    async upgrade_agents(arg: AgentUpgradeArgs): Promise<Result<AgentUpgradeReportWire, ApiError>> {
        const caller = runtime.caller();
        if (!deployment.isAdmin(caller)) return { Err: apiError.unauthorized(caller) };
        const limit = agentUpgradeBatch(arg.limit[0]);
        if ('Err' in limit) return limit;
        const module = agentModule();
        if (module === undefined) return { Err: apiError.unavailable('no agent module is installed (set_agent_module)') };
        if (upgradeRunning) return { Err: apiError.unavailable('an upgrade of the agents is already running') };
        upgradeRunning = true;
        try {
            return { Ok: await upgradeAgentBatch(module, arg.cursor[0], limit.Ok) };
        } finally {
            upgradeRunning = false;
        }
    }

    /**
     * Names the subnets new agents are created on, in turn (through the cycles minting
     * canister's `create_canister` with `subnet_selection`); empty (the default): the
     * executor's own subnet. Agents already created stay where they are.
     * Call context: update; admins and controllers. Errors: Unauthorized, InvalidInput (a
     * subnet twice), LimitExceeded.
     */
    @method(ExecutorMethods.set_agent_subnets)
    set_agent_subnets(arg: { subnets: Principal[] }): Result<null, ApiError> {
        const caller = runtime.caller();
        if (!deployment.isAdmin(caller)) return err(apiError.unauthorized(caller));
        const subnets = arg.subnets.map((s) => s.toText());
        const refused = agentSubnetsRefusal(subnets);
        if (refused !== undefined) return err(refused);
        putAgentSubnets(subnets);
        return { Ok: null };
    }

    /** The subnets new agents are created on (empty: the executor's own). Call context: query; anyone. */
    @method(ExecutorMethods.get_agent_subnets)
    get_agent_subnets(): Principal[] {
        return agentSubnets().map((s) => Principal.fromText(s));
    }

    /**
     * The owner's agent, created (and installed) now if it does not exist. The orchestrator
     * asks at an owner's first workflow, so the agent's principal is known before the first run.
     * Call context: inter-canister update; the orchestrator only. Errors: Unauthorized,
     * Unavailable (no module yet, being created, or the management canister refused: retry later).
     */
    @method(ExecutorMethods.ensure_agent)
    async ensure_agent(arg: { owner: Principal }): Promise<Result<AgentRecordWire, ApiError>> {
        const denied = requirePeer(runtime.caller(), 'orchestrator');
        if (denied !== undefined) return err(denied);
        const r = await ensureAgent(arg.owner);
        return 'Err' in r ? r : { Ok: toWire(r.Ok) };
    }

    /**
     * The owner's agent as the executor knows it. Call context: query; anyone (an agent's
     * principal is public: targets grant it access). Errors: NotFound.
     */
    @method(ExecutorMethods.get_agent)
    get_agent(arg: { owner: Principal }): Result<AgentRecordWire, ApiError> {
        const a = agentOf(arg.owner);
        return a === undefined ? err(apiError.notFound('agent', arg.owner.toText())) : { Ok: toWire(a) };
    }
}
