import type { ExecutionStatus, NodeTask, NotifyLevel } from '../../../../shared/workflow';
import type { LiquidationArgs, LiquidationSlot } from './liquidation';

/**
 * What the orchestrator's adapter must do after a pure step. Effects are data: the logic
 * never calls, awaits or arms anything itself. The adapter commits the new state first, then
 * performs the effects (through its stable outbox, so a peer being upgraded only delays them).
 */
export type Effect =
    /** Ask the executor to run attempt `attempt` of a node at `dueAt` (idempotent on the key). */
    | { kind: 'DispatchNode'; executionId: string; nodeId: string; attempt: number; dueAt: bigint; timeoutMs: number; task: NodeTask }
    /** Tell the executor to drop the not-yet-started attempts of an execution. */
    | { kind: 'CancelDispatched'; executionId: string }
    /** Start another workflow: a `start_workflow` node (its result is reported back) or an emergency workflow. */
    | { kind: 'StartWorkflow'; workflowId: string; input: string; origin: StartOrigin }
    /** Record a notification (and forward it to the monitor). */
    | { kind: 'Notify'; level: NotifyLevel; message: string; executionId: string; nodeId?: string }
    /** A notification the owner's quota had no room for: not sent, counted for the owner. */
    | { kind: 'NotificationRefused'; executionId: string; nodeId?: string }
    /** Emergency action: pause every workflow (no new executions start). */
    | { kind: 'PauseAllWorkflows'; executionId: string; nodeId: string }
    /** Emergency action: enter safe mode (the orchestrator's flag; peers learn it through the monitor). */
    | { kind: 'EnableSafeMode'; executionId: string; nodeId: string }
    /** Emergency action: call the owner's position manager from their agent, with these argument values. */
    | { kind: 'LiquidatePosition'; slot: LiquidationSlot; args: LiquidationArgs }
    /** An execution reached a terminal status: report to the monitor, free per-execution timers. */
    | { kind: 'ExecutionFinished'; executionId: string; workflowId: string; status: ExecutionStatus; startedAt: bigint; finishedAt: bigint };

export type EffectKind = Effect['kind'];

/** Where a StartWorkflow effect comes from; a `Node` origin expects a report for that attempt. */
export type StartOrigin = { kind: 'Node'; executionId: string; nodeId: string; attempt: number } | { kind: 'Emergency'; executionId: string; nodeId: string };

/** The result of every pure step. */
export type Step<S> = { state: S; effects: Effect[] };
