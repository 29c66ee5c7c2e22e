import { WORKFLOW_LIMITS, type EmergencyAction, type NodeError } from '../../../../shared/workflow';
import { assertNever } from '../../../../shared/common/result';
import type { Effect } from './effects';
import { emitNotification, failExecution, nodeDef, nodeState, patchNode, type Draft } from './draft';
import { resolveLiquidationArgs } from './liquidation';

/** The effect of emergency action number `index` of node `nodeId` (`inputText`: the execution's input, which a liquidation may read). */
export function emergencyEffect(a: EmergencyAction, index: number, executionId: string, nodeId: string, error: NodeError, inputText: string): Effect {
    switch (a.kind) {
        case 'SendNotification':
            return { kind: 'Notify', level: a.level, message: a.message, executionId, nodeId };
        case 'ExecuteEmergencyWorkflow':
            return {
                kind: 'StartWorkflow',
                workflowId: a.workflowId,
                // The emergency workflow learns what failed; bounded because error messages are.
                input: JSON.stringify({ execution_id: executionId, node_id: nodeId, error: { kind: error.kind, message: error.message.slice(0, WORKFLOW_LIMITS.maxDescriptionChars) } }),
                origin: { kind: 'Emergency', executionId, nodeId }
            };
        case 'PauseAllWorkflows':
            return { kind: 'PauseAllWorkflows', executionId, nodeId };
        case 'EnableSafeMode':
            return { kind: 'EnableSafeMode', executionId, nodeId };
        case 'LiquidatePosition':
            return { kind: 'LiquidatePosition', slot: { executionId, nodeId, action: index }, args: resolveLiquidationArgs(a.args, inputText) };
        default:
            return assertNever(a, 'emergency action');
    }
}

/**
 * A node failed for good (retries exhausted, or a non-retryable error): emit its emergency
 * actions, then apply its fallback:
 * - `StopExecution`: the execution fails, unfinished nodes are cancelled;
 * - `SkipNode`: dependents run and read `null`;
 * - `UseDefaultValue`: dependents read the value;
 * - `NotifyAndContinue`: a notification, then as `SkipNode`;
 * - `UseAlternativeNode`: the standby node becomes pending; dependents wait and read its output.
 */
export function failNodeFinally(d: Draft, nodeId: string, error: NodeError): void {
    const node = nodeDef(d, nodeId);
    patchNode(d, nodeId, { status: 'Failed', error, finishedAt: d.now, nextAttemptAt: undefined });
    for (const [index, a] of node.recovery.emergencyActions.entries()) {
        const e = emergencyEffect(a, index, d.exec.id, nodeId, error, d.exec.input);
        if (e.kind === 'Notify') emitNotification(d, e);
        else d.effects.push(e);
    }
    const fb = node.recovery.fallback;
    switch (fb.kind) {
        case 'StopExecution':
            patchNode(d, nodeId, { fallbackTaken: 'StopExecution' });
            failExecution(d, { kind: 'NodeFailed', nodeId, message: error.message });
            return;
        case 'SkipNode':
            patchNode(d, nodeId, { fallbackTaken: 'SkipNode', output: 'null' });
            return;
        case 'UseDefaultValue':
            patchNode(d, nodeId, { fallbackTaken: 'UseDefaultValue', output: fb.value });
            return;
        case 'NotifyAndContinue':
            emitNotification(d, { kind: 'Notify', level: fb.level, message: fb.message, executionId: d.exec.id, nodeId });
            patchNode(d, nodeId, { fallbackTaken: 'NotifyAndContinue', output: 'null' });
            return;
        case 'UseAlternativeNode': {
            patchNode(d, nodeId, { fallbackTaken: 'UseAlternativeNode' });
            const alt = nodeState(d, fb.nodeId);
            // validateDag makes every alternative a standby of exactly one node, so it is still
            // Standby here; anything else is a broken invariant, handled by stopping safely.
            if (alt.status !== 'Standby') {
                failExecution(d, { kind: 'NodeFailed', nodeId, message: `alternative '${fb.nodeId}' is not available` });
                return;
            }
            patchNode(d, fb.nodeId, { status: 'Pending', alternativeFor: nodeId });
            return;
        }
        default:
            assertNever(fb, 'fallback');
    }
}
