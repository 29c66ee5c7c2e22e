/**
 * `LiquidatePosition` in the canister: each owner's position manager and liquidation log in
 * stable memory, the methods to keep them, and the two moments a liquidation changes: when a
 * node's action asks for it (sent through the outbox to the executor, which calls from the
 * owner's agent, or refused and recorded) and when the executor reports the answer. The
 * decisions are `./logic/liquidation.ts`.
 */
import { Principal, StableBTreeMap } from 'azle';

import {
    DEFAULT_NODE_TIMEOUT_MS,
    MAX_RECENT_LIQUIDATIONS,
    OrchestratorMethods,
    WORKFLOW_LIMITS,
    encodeCallRefusalReason,
    encodeNodeError,
    CandidTypeTextSchema,
    refuseCallTarget,
    workflowError,
    type LiquidationLogWire,
    type LiquidationRefusalWire,
    type LiquidationStatusWire,
    type LiquidationWire,
    type NodeError,
    type PositionManagerWire,
    type WorkflowResult
} from '../../../shared/workflow';
import { method } from '../../common/method';
import { callRuleFor } from './call-policy';
import { requireSignedIn } from './guards';
import {
    executionsAwaitingLiquidation,
    pendingLiquidation,
    planLiquidation,
    settleLiquidation,
    withLiquidation,
    withSettled,
    type Liquidation,
    type LiquidationArgs,
    type LiquidationRefusal,
    type LiquidationSlot,
    type LiquidationStatus,
    type PositionManager
} from './logic/liquidation';
import { MEMORY } from './memory';
import { enqueue } from './state';
import * as runtime from './runtime';
import { err } from '../../../shared/common/result';

type StoredPositionManager = { schema_version: 1; manager: PositionManager };
type StoredLiquidationLog = { schema_version: 1; recent: Liquidation[]; total: bigint };

const managers = new StableBTreeMap<string, StoredPositionManager>(MEMORY.positionManagers);
const logs = new StableBTreeMap<string, StoredLiquidationLog>(MEMORY.liquidations);

function managerOf(owner: string): PositionManager | undefined {
    return managers.get(owner)?.manager;
}

function logOf(owner: string): StoredLiquidationLog {
    return logs.get(owner) ?? { schema_version: 1, recent: [], total: 0n };
}

/** How long the executor waits for the manager before it fails the call `TimedOut`. */
export const LIQUIDATION_TIMEOUT_MS = DEFAULT_NODE_TIMEOUT_MS;

/**
 * A node's `LiquidatePosition` action of an execution of `owner`: recorded `Pending` and sent
 * to the executor as a critical attempt (it runs in emergency mode too, from the owner's
 * agent), or recorded `Refused` with a Warning notification (the owner's log and the
 * monitor's notification log show it). Call context: update or timer (inside a commit).
 */
export function requestLiquidation(owner: string, slot: LiquidationSlot, args: LiquidationArgs, now: bigint): void {
    const { executionId, nodeId, action } = slot;
    const manager = managerOf(owner);
    const plan = planLiquidation(manager, callRuleFor(Principal.fromText(owner)), args);
    const target = manager === undefined ? undefined : { canister: manager.canister, method: manager.method };
    const status: LiquidationStatus = plan.kind === 'Send' ? { kind: 'Pending' } : { kind: 'Refused', refusal: plan.refusal };
    const log = logOf(owner);
    const entry: Liquidation = {
        executionId,
        nodeId,
        action,
        requestedAt: now,
        ...(target === undefined ? {} : { target }),
        ...(manager === undefined ? {} : { replyTypes: manager.replyTypes }),
        status,
        ...(plan.kind === 'Refuse' ? { finishedAt: now } : {})
    };
    logs.insert(owner, { schema_version: 1, recent: withLiquidation(log.recent, entry, MAX_RECENT_LIQUIDATIONS), total: log.total + 1n });
    if (plan.kind === 'Send') {
        enqueue({ kind: 'Liquidate', owner, executionId, nodeId, action, dueAt: now, task: plan.task }, now);
        return;
    }
    notify('Warning', `[${executionId}/${nodeId}] LiquidatePosition of ${owner} refused: ${describeRefusal(plan.refusal)}`, now);
}

/**
 * The executions of `owner` with a liquidation waiting for the executor's report. History
 * pruning keeps them: the report finds the liquidation's owner through its execution, so
 * pruning it first would leave the record `Pending` and drop the outcome and its alert.
 */
export function awaitingLiquidationOf(owner: string): ReadonlySet<string> {
    return executionsAwaitingLiquidation(logOf(owner).recent);
}

/**
 * The executor's report of a liquidation call: settles the pending record (a duplicate or
 * late report changes nothing) and notifies: Critical when the position was liquidated,
 * Error when the call failed. Call context: update (report_node_result).
 */
export function onLiquidationReport(owner: string, slot: LiquidationSlot, outcome: { kind: 'Succeeded'; output: string } | { kind: 'Failed'; error: NodeError }, now: bigint): void {
    const { executionId, nodeId } = slot;
    const log = logOf(owner);
    const pending = pendingLiquidation(log.recent, slot);
    if (pending === undefined) return;
    // Judged with the reply types the call was sent with (records stored before them: the manager's now).
    const status = settleLiquidation(pending.replyTypes ?? managerOf(owner)?.replyTypes, outcome);
    const recent = withSettled(log.recent, slot, status, now);
    if (recent === undefined) return;
    logs.insert(owner, { ...log, recent });
    if (status.kind === 'Succeeded') notify('Critical', `[${executionId}/${nodeId}] LiquidatePosition of ${owner} done: ${status.output}`, now);
    else if (status.kind === 'Failed') notify('Error', `[${executionId}/${nodeId}] LiquidatePosition of ${owner} failed (${status.error.kind}): ${status.error.message}`, now);
    runtime.wakeOutbox();
}

function notify(level: 'Warning' | 'Error' | 'Critical', message: string, now: bigint): void {
    // An emergency record, not the owner's own notification: it is not charged to their quota.
    enqueue({ kind: 'Notify', level, message: message.slice(0, WORKFLOW_LIMITS.maxPayloadBytes) }, now);
}

function describeRefusal(r: LiquidationRefusal): string {
    switch (r.kind) {
        case 'NoPositionManager':
            return 'no position manager is configured (set_position_manager)';
        case 'CallRefused':
            return `the call policy refuses the position manager (${r.reason})`;
        case 'InvalidArguments':
            return `invalid arguments: ${r.message}`;
    }
}

function encodeRefusal(r: LiquidationRefusal): LiquidationRefusalWire {
    switch (r.kind) {
        case 'NoPositionManager':
            return { NoPositionManager: null };
        case 'CallRefused':
            return { CallRefused: encodeCallRefusalReason(r.reason) };
        case 'InvalidArguments':
            return { InvalidArguments: r.message };
    }
}

function encodeStatus(s: LiquidationStatus): LiquidationStatusWire {
    switch (s.kind) {
        case 'Pending':
            return { Pending: null };
        case 'Succeeded':
            return { Succeeded: { output: s.output } };
        case 'Failed':
            return { Failed: encodeNodeError(s.error) };
        case 'Refused':
            return { Refused: encodeRefusal(s.refusal) };
    }
}

function encodeLiquidation(l: Liquidation): LiquidationWire {
    return {
        execution_id: l.executionId,
        node_id: l.nodeId,
        requested_at: l.requestedAt,
        target: l.target === undefined ? [] : [{ canister: Principal.fromText(l.target.canister), method: l.target.method }],
        status: encodeStatus(l.status),
        finished_at: l.finishedAt === undefined ? [] : [l.finishedAt]
    };
}

function encodeManager(m: PositionManager): PositionManagerWire {
    return { canister: Principal.fromText(m.canister), method: m.method, arg_types: m.argTypes, reply_types: m.replyTypes };
}

/** Why `m` cannot be `owner`'s position manager, as `InvalidInput` on its field; `undefined` when it can. */
function managerProblem(m: PositionManagerWire, owner: Principal): ReturnType<typeof workflowError.invalidInput> | undefined {
    const refused = refuseCallTarget(m.canister, callRuleFor(owner));
    if (refused !== undefined) return workflowError.invalidInput('manager.canister', `${m.canister.toText()} may not be called (${refused})`);
    if (m.method.length === 0 || m.method.length > WORKFLOW_LIMITS.maxMethodChars) return workflowError.invalidInput('manager.method', `1 to ${WORKFLOW_LIMITS.maxMethodChars} characters`);
    for (const field of ['arg_types', 'reply_types'] as const) {
        // Bounded before it is parsed (and stored, and parsed again at every liquidation), as call nodes' types are.
        if (m[field].length > WORKFLOW_LIMITS.maxCandidTypeChars) return workflowError.invalidInput(`manager.${field}`, `at most ${WORKFLOW_LIMITS.maxCandidTypeChars} characters`);
        const checked = CandidTypeTextSchema.safeParse(m[field]);
        if (!checked.success) return workflowError.invalidInput(`manager.${field}`, checked.error.issues[0]?.message ?? 'invalid Candid type text');
    }
    return undefined;
}

export class PositionManagerApiMethods {
    /**
     * Sets (or with `manager = []` removes) the caller's position manager: the canister and
     * method their `LiquidatePosition` actions call, from their agent, with arguments encoded
     * against `arg_types` and replies decoded with `reply_types`. The canister must pass the
     * caller's call rule (no DeFlow canister or agent, not the management canister, a canister
     * id, on their allow-list if they keep one); it is checked again at every liquidation.
     * Call context: update; any non-anonymous caller, for their own manager.
     * Errors: Unauthorized (anonymous), InvalidInput (`manager.canister`, `manager.method`,
     * `manager.arg_types`, `manager.reply_types`). Answers what is stored.
     */
    @method(OrchestratorMethods.set_position_manager)
    set_position_manager(arg: { manager: [] | [PositionManagerWire] }): WorkflowResult<[] | [PositionManagerWire]> {
        const caller = runtime.caller();
        const denied = requireSignedIn(caller);
        if (denied !== undefined) return err(denied);
        const m = arg.manager[0];
        if (m === undefined) {
            managers.remove(caller.toText());
            return { Ok: [] };
        }
        const problem = managerProblem(m, caller);
        if (problem !== undefined) return err(problem);
        const manager: PositionManager = { canister: m.canister.toText(), method: m.method, argTypes: m.arg_types, replyTypes: m.reply_types };
        managers.insert(caller.toText(), { schema_version: 1, manager });
        return { Ok: [encodeManager(manager)] };
    }

    /** The caller's position manager (`[]`: none). Call context: query; any non-anonymous caller, their own. Errors: Unauthorized (anonymous). */
    @method(OrchestratorMethods.get_position_manager)
    get_position_manager(): WorkflowResult<[] | [PositionManagerWire]> {
        const caller = runtime.caller();
        const denied = requireSignedIn(caller);
        if (denied !== undefined) return err(denied);
        const m = managerOf(caller.toText());
        return { Ok: m === undefined ? [] : [encodeManager(m)] };
    }

    /**
     * The caller's latest liquidations (newest first, at most 50) with their outcome (Pending,
     * Succeeded, Failed, Refused), and how many there were in all.
     * Call context: query; any non-anonymous caller, their own. Errors: Unauthorized (anonymous).
     */
    @method(OrchestratorMethods.list_liquidations)
    list_liquidations(): WorkflowResult<LiquidationLogWire> {
        const caller = runtime.caller();
        const denied = requireSignedIn(caller);
        if (denied !== undefined) return err(denied);
        const log = logOf(caller.toText());
        return { Ok: { recent: log.recent.map(encodeLiquidation), total: log.total } };
    }
}
