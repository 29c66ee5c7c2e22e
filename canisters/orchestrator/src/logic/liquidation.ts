/**
 * `LiquidatePosition` as pure steps: the argument values an action reads from the failed
 * execution, the task it sends to the owner's position manager (or why it is refused), and
 * what the manager's answer means. The adapter (`../liquidations.ts`) stores the records and
 * sends the task through the executor, from the owner's agent.
 */
import {
    encodeArgsFromJson,
    parseCandidTypes,
    parseJson,
    refuseCallTarget,
    WORKFLOW_LIMITS,
    type CallRefusalReason,
    type CallTargetRule,
    type JsonValue,
    type LiquidationArg,
    type NodeError,
    type NodeTask
} from '../../../../shared/workflow';
import { Principal } from '@dfinity/principal';
import { describeEvalError, resolveAll, type EvalContext } from './evaluate';
import { replyFailure } from './failure';

/** The owner's position manager in domain form (principal as text). */
export type PositionManager = { canister: string; method: string; argTypes: string; replyTypes: string };

/**
 * Which of a node's emergency actions a liquidation is (its index in the node's list): a node
 * may list several `LiquidatePosition` actions, and each is its own call and its own record.
 */
export type LiquidationSlot = { executionId: string; nodeId: string; action: number };

/** The action's argument values, resolved from the execution's input (or why they could not be). */
export type LiquidationArgs = { ok: true; values: JsonValue[] } | { ok: false; message: string };

/** Why a liquidation was not sent. */
export type LiquidationRefusal = { kind: 'NoPositionManager' } | { kind: 'CallRefused'; reason: CallRefusalReason } | { kind: 'InvalidArguments'; message: string };

export type LiquidationStatus = { kind: 'Pending' } | { kind: 'Succeeded'; output: string } | { kind: 'Failed'; error: NodeError } | { kind: 'Refused'; refusal: LiquidationRefusal };

/** One liquidation as the orchestrator records it for the owner. */
export type Liquidation = {
    executionId: string;
    nodeId: string;
    /** The action's index in the node's list (records stored before it: 0). */
    action?: number;
    requestedAt: bigint;
    /** The reply types the call was sent with, so a later change of manager does not change how its answer is judged (absent in records stored before). */
    replyTypes?: string;
    target?: { canister: string; method: string };
    status: LiquidationStatus;
    finishedAt?: bigint;
};

/** What an action's effect becomes: a call to send, or a refusal to record. */
export type LiquidationPlan = { kind: 'Send'; task: Extract<NodeTask, { kind: 'Call' }> } | { kind: 'Refuse'; refusal: LiquidationRefusal };

/** Executor keys of liquidations: `lq-<n>` for execution `ex-<n>`, so they never meet the execution's own attempts (nor its cancellation). */
const LIQUIDATION_PREFIX = 'lq-';
const EXECUTION_PREFIX = 'ex-';

/**
 * The executor attempt key a liquidation runs under: `lq-<n>` for execution `ex-<n>`, the
 * node's id, and the action's index + 1 as the attempt number (a node fails for good once per
 * execution, so the attempt number is free to tell its actions apart).
 */
export function liquidationKey(slot: LiquidationSlot): { execution_id: string; node_id: string; attempt: number } {
    const n = slot.executionId.startsWith(EXECUTION_PREFIX) ? slot.executionId.slice(EXECUTION_PREFIX.length) : slot.executionId;
    return { execution_id: `${LIQUIDATION_PREFIX}${n}`, node_id: slot.nodeId, attempt: slot.action + 1 };
}

/** The liquidation a report keyed `key` answers, or `undefined` when it is an ordinary attempt. */
export function liquidationSlotOf(key: { execution_id: string; node_id: string; attempt: number }): LiquidationSlot | undefined {
    if (!key.execution_id.startsWith(LIQUIDATION_PREFIX)) return undefined;
    return { executionId: `${EXECUTION_PREFIX}${key.execution_id.slice(LIQUIDATION_PREFIX.length)}`, nodeId: key.node_id, action: key.attempt - 1 };
}

/** Resolves the action's values against the execution's input (JSON text). */
export function resolveLiquidationArgs(args: readonly LiquidationArg[], inputText: string): LiquidationArgs {
    const input = parseJson(inputText);
    const ctx: EvalContext = { input: input.ok ? input.value : null, output: () => undefined, error: () => undefined };
    const r = resolveAll([...args], ctx);
    return r.ok ? { ok: true, values: r.value } : { ok: false, message: describeEvalError(r.error) };
}

/**
 * The call a liquidation makes, or why it is refused: the owner must have a position manager,
 * their call rule must still allow it (checked again here: the allow-list may have been
 * narrowed since it was configured), and the values must encode against its argument types.
 */
export function planLiquidation(manager: PositionManager | undefined, rule: CallTargetRule, args: LiquidationArgs): LiquidationPlan {
    if (manager === undefined) return { kind: 'Refuse', refusal: { kind: 'NoPositionManager' } };
    const reason = refuseCallTarget(Principal.fromText(manager.canister), rule);
    if (reason !== undefined) return { kind: 'Refuse', refusal: { kind: 'CallRefused', reason } };
    if (!args.ok) return { kind: 'Refuse', refusal: { kind: 'InvalidArguments', message: bounded(args.message) } };
    const types = parseCandidTypes(manager.argTypes);
    if (!types.ok) return { kind: 'Refuse', refusal: { kind: 'InvalidArguments', message: bounded(`argument types: ${types.message}`) } };
    const bytes = encodeArgsFromJson(types.types, args.values);
    if (!bytes.ok) return { kind: 'Refuse', refusal: { kind: 'InvalidArguments', message: bounded(`argument ${bytes.path}: ${bytes.message}`) } };
    if (bytes.value.length > WORKFLOW_LIMITS.maxPayloadBytes) return { kind: 'Refuse', refusal: { kind: 'InvalidArguments', message: 'encoded arguments too large' } };
    return { kind: 'Send', task: { kind: 'Call', canister: manager.canister, method: manager.method, args: bytes.value, cycles: 0n, reply: { kind: 'Candid', types: manager.replyTypes } } };
}

/**
 * What the manager's answer means, as for a call node under the default rule: a reply
 * variant whose case is `Err`/`err` is a failure carrying the error; any other reply succeeds.
 */
export function settleLiquidation(replyTypes: string | undefined, outcome: { kind: 'Succeeded'; output: string } | { kind: 'Failed'; error: NodeError }): LiquidationStatus {
    if (outcome.kind === 'Failed') return { kind: 'Failed', error: outcome.error };
    const reply = parseJson(outcome.output);
    if (replyTypes === undefined || !reply.ok) return { kind: 'Succeeded', output: outcome.output };
    // Only the reply types matter to how an answer is judged; the target is not read.
    const config = { canister: '', method: '', args: { kind: 'Raw' as const, bytes: new Uint8Array() }, cycles: 0n, reply: { kind: 'Candid' as const, types: replyTypes } };
    const error = replyFailure('liquidate', config, reply.value, { input: null, output: () => undefined, error: () => undefined });
    return error === undefined ? { kind: 'Succeeded', output: outcome.output } : { kind: 'Failed', error };
}

/** The owner's log after `l` was recorded (newest first, at most `max` kept). */
export function withLiquidation(recent: readonly Liquidation[], l: Liquidation, max: number): Liquidation[] {
    return [l, ...recent].slice(0, max);
}

/** The pending record of `slot` in the log, or `undefined` (settled already: a duplicate report; or dropped from the log). */
export function pendingLiquidation(recent: readonly Liquidation[], slot: LiquidationSlot): Liquidation | undefined {
    return recent.find((l) => isPendingSlot(l, slot));
}

/** The executions with a liquidation still waiting for its report (they must outlive history pruning: the report finds its owner through them). */
export function executionsAwaitingLiquidation(recent: readonly Liquidation[]): Set<string> {
    return new Set(recent.filter((l) => l.status.kind === 'Pending').map((l) => l.executionId));
}

/** The log after the liquidation of `slot` settled; `undefined` when it is not pending (a duplicate report). */
export function withSettled(recent: readonly Liquidation[], slot: LiquidationSlot, status: LiquidationStatus, at: bigint): Liquidation[] | undefined {
    const i = recent.findIndex((l) => isPendingSlot(l, slot));
    if (i < 0) return undefined;
    const next = [...recent];
    next[i] = { ...recent[i]!, status, finishedAt: at };
    return next;
}

function isPendingSlot(l: Liquidation, slot: LiquidationSlot): boolean {
    return l.executionId === slot.executionId && l.nodeId === slot.nodeId && (l.action ?? 0) === slot.action && l.status.kind === 'Pending';
}

function bounded(message: string): string {
    return message.slice(0, WORKFLOW_LIMITS.maxDescriptionChars);
}
