import type { ExecutionStatus, NodeStatus } from '../../../../shared/workflow';
import { err, type Result } from '../../../../shared/common/result';

/**
 * Allowed execution status changes. Terminal statuses (Succeeded, Failed, Cancelled) have no
 * way out; a Paused execution can resume, be cancelled, or fail by timeout; so can an
 * Underfunded one (created while its owner's agent was short of cycles, not started yet).
 */
export const EXECUTION_TRANSITIONS: { readonly [F in ExecutionStatus]: readonly ExecutionStatus[] } = {
    Pending: ['Running', 'Underfunded', 'Cancelled', 'Failed'],
    Running: ['Succeeded', 'Failed', 'Cancelled', 'Paused'],
    Paused: ['Running', 'Cancelled', 'Failed'],
    Underfunded: ['Running', 'Paused', 'Cancelled', 'Failed'],
    Succeeded: [],
    Failed: [],
    Cancelled: []
};

/** Allowed node status changes. */
export const NODE_TRANSITIONS: { readonly [F in NodeStatus]: readonly NodeStatus[] } = {
    Standby: ['Pending'],
    Pending: ['Running', 'Succeeded', 'Failed', 'Skipped', 'Cancelled'],
    Running: ['Succeeded', 'WaitingRetry', 'Failed', 'Cancelled'],
    WaitingRetry: ['Succeeded', 'WaitingRetry', 'Failed', 'Cancelled'],
    Succeeded: [],
    Failed: [],
    Skipped: [],
    Cancelled: []
};

/** An illegal status change, as data (the caller maps it to `Conflict`). */
export type TransitionError = { kind: 'IllegalExecutionTransition'; from: ExecutionStatus; to: ExecutionStatus } | { kind: 'IllegalNodeTransition'; nodeId: string; from: NodeStatus; to: NodeStatus };

/**
 * Checks an execution status change.
 *
 * @example
 * checkExecutionTransition('Succeeded', 'Cancelled'); // { Err: { kind: 'IllegalExecutionTransition', ... } }
 */
export function checkExecutionTransition(from: ExecutionStatus, to: ExecutionStatus): Result<ExecutionStatus, TransitionError> {
    return EXECUTION_TRANSITIONS[from].includes(to) ? { Ok: to } : err({ kind: 'IllegalExecutionTransition', from, to });
}

export function checkNodeTransition(nodeId: string, from: NodeStatus, to: NodeStatus): Result<NodeStatus, TransitionError> {
    return NODE_TRANSITIONS[from].includes(to) ? { Ok: to } : err({ kind: 'IllegalNodeTransition', nodeId, from, to });
}

export function isTerminalExecution(s: ExecutionStatus): boolean {
    return EXECUTION_TRANSITIONS[s].length === 0;
}

export function isTerminalNode(s: NodeStatus): boolean {
    return NODE_TRANSITIONS[s].length === 0;
}

/** A node with an attempt in flight or due: what cancel and timeouts must stop. */
export function isActiveNode(s: NodeStatus): boolean {
    return s === 'Running' || s === 'WaitingRetry';
}
