/** The orchestrator-facing methods: run, inspect and cancel node attempts. */

import { z } from 'zod';

import { ExecutorMethods, WORKFLOW_LIMITS, decodeNodeTask, type AttemptKey as AttemptKeyWire, type NodeAttemptRequest, type NodeAttemptWire, type WorkflowResult } from '../../../shared/workflow';
import { workflowError } from '../../../shared/workflow';
import { parseWith } from '../../../shared/common/codec';
import { method } from '../../common/method';
import { requireOrchestratorOrAdmin, requirePeer } from './guards';
import { acceptAttempt, attemptKeyText, cancelScheduled, type AttemptKey } from './logic';
import { armWake } from './runner';
import { getAttempt, putAttempt, scheduledAttemptsOf, toAttemptWire } from './state';
import * as runtime from './runtime';
import { err } from '../../../shared/common/result';

const IdSchema = z.string().min(1).max(WORKFLOW_LIMITS.maxNodeIdChars);
const KeySchema = z.object({ execution_id: IdSchema, node_id: IdSchema, attempt: z.number().int().min(1).max(WORKFLOW_LIMITS.maxRetries + 1) });
const RequestSchema = z.object({
    key: KeySchema,
    timeout_ms: z.bigint().min(1n).max(BigInt(WORKFLOW_LIMITS.maxNodeTimeoutMs)),
    task: z.union([
        z.object({ Wait: z.null() }),
        z.object({
            Call: z.object({
                method: z.string().min(1).max(WORKFLOW_LIMITS.maxMethodChars),
                args: z.instanceof(Uint8Array).refine((b) => b.length <= WORKFLOW_LIMITS.maxPayloadBytes, { message: `at most ${WORKFLOW_LIMITS.maxPayloadBytes} bytes` }),
                cycles: z.bigint().min(0n).max(WORKFLOW_LIMITS.maxCallCycles)
            })
        })
    ])
});

function keyOf(k: AttemptKeyWire): AttemptKey {
    return { executionId: k.execution_id, nodeId: k.node_id, attempt: k.attempt };
}

export class NodeAttemptMethods {
    /**
     * Records one node attempt and answers at once; the target call runs from a timer at
     * `due_at` and its result is reported to the orchestrator. Idempotent on (execution_id,
     * node_id, attempt): a repeated request answers the stored attempt and never runs it twice.
     * Call context: inter-canister update; the orchestrator only. Errors: Unauthorized, InvalidInput.
     */
    @method(ExecutorMethods.run_node_attempt)
    run_node_attempt(req: NodeAttemptRequest): WorkflowResult<NodeAttemptWire> {
        const denied = requirePeer(runtime.caller(), 'orchestrator');
        if (denied !== undefined) return err(denied);
        const valid = parseWith(RequestSchema, req);
        if ('Err' in valid) return valid;
        const now = runtime.now();
        const key = keyOf(req.key);
        const { attempt, created } = acceptAttempt(getAttempt(attemptKeyText(key)), { key, dueAt: req.due_at, timeoutMs: Number(req.timeout_ms), task: decodeNodeTask(req.task), owner: req.owner[0]?.toText(), critical: req.critical[0] === true }, now);
        if (created) {
            putAttempt(attempt);
            armWake(now);
        }
        return { Ok: toAttemptWire(attempt) };
    }

    /**
     * One attempt as recorded.
     * Call context: query; the orchestrator, admins and controllers. Errors: Unauthorized, InvalidInput, NotFound.
     */
    @method(ExecutorMethods.get_node_attempt)
    get_node_attempt(k: AttemptKeyWire): WorkflowResult<NodeAttemptWire> {
        const denied = requireOrchestratorOrAdmin(runtime.caller());
        if (denied !== undefined) return err(denied);
        const valid = parseWith(KeySchema, k);
        if ('Err' in valid) return valid;
        const keyText = attemptKeyText(keyOf(k));
        const a = getAttempt(keyText);
        return a === undefined ? err(workflowError.notFound('attempt', keyText)) : { Ok: toAttemptWire(a) };
    }

    /**
     * Cancels the attempts of an execution that have not started; answers how many.
     * Call context: inter-canister update; the orchestrator only. Errors: Unauthorized, InvalidInput.
     */
    @method(ExecutorMethods.cancel_execution_attempts)
    cancel_execution_attempts(arg: { execution_id: string }): WorkflowResult<number> {
        const denied = requirePeer(runtime.caller(), 'orchestrator');
        if (denied !== undefined) return err(denied);
        const valid = parseWith(z.object({ execution_id: IdSchema }), arg);
        if ('Err' in valid) return valid;
        const changed = cancelScheduled(scheduledAttemptsOf(arg.execution_id), arg.execution_id, runtime.now());
        for (const a of changed) putAttempt(a);
        return { Ok: changed.length };
    }
}
