import { c, type Infer, type MethodSpec } from '../common/codec';
import { ApiErrorCodec } from '../common/errors';
import { WorkflowTargetCodec } from './target';

/**
 * Argument the scheduler sends the orchestrator to start a scheduled execution. The
 * orchestrator must treat `idempotency_key` (`schedule_id:due_at`) as unique: a retry with a
 * key it has seen answers the execution id it started the first time.
 *
 * @example
 * const r: StartScheduledExecutionRequest = { idempotency_key: 's1:100', schedule_id: 's1', workflow_id: 'wf', owner, due_at: 100n, attempt: 1 };
 */
export const StartScheduledExecutionRequestCodec = c.record({
    idempotency_key: c.text,
    schedule_id: c.text,
    workflow_id: c.text,
    owner: c.principal,
    due_at: c.nat64,
    attempt: c.nat32,
    /** JSON text of the execution input; absent from schedulers before v3 (then `null`). */
    input: c.opt(c.text)
});
export type StartScheduledExecutionRequest = Infer<typeof StartScheduledExecutionRequestCodec>;

/**
 * A start request kept in the scheduler's stable outbox until the orchestrator has answered.
 * Its bookkeeping (attempts made, when the next may go out, the last error) is the shared
 * outbox's `delivery` stored beside it (`canisters/scheduler/src/logic/start-outbox.ts`).
 *
 * @example
 * const e: OutboxEntry = { key: 's1:100', schedule_id: 's1', workflow_id: 'wf', owner, due_at: 100n, enqueued_at: 100n, input: ['{}'] };
 */
export const OutboxEntryCodec = c.record({
    key: c.text,
    schedule_id: c.text,
    workflow_id: c.text,
    owner: c.principal,
    due_at: c.nat64,
    enqueued_at: c.nat64,
    /** The schedule's input when the run fell due; entries stored before v3 lack it (read as `[]`). */
    input: c.opt(c.text)
});
export type OutboxEntry = Infer<typeof OutboxEntryCodec>;

/** What the orchestrator's `start_scheduled_execution` answers: the execution started (or already started for this key). */
export const StartScheduledExecutionReplyCodec = c.record({ execution_id: c.text });
export type StartScheduledExecutionReply = Infer<typeof StartScheduledExecutionReplyCodec>;
/**
 * `Ok`: started. `Err`: refused. `Held`: not started because the workflow is paused or deleted
 * (its current state), which is no failure: the schedule is held with its workflow.
 */
export const StartScheduledExecutionResultCodec = c.variant({ Ok: StartScheduledExecutionReplyCodec, Err: ApiErrorCodec, Held: WorkflowTargetCodec });
export type StartScheduledExecutionResult = Infer<typeof StartScheduledExecutionResultCodec>;

/**
 * The orchestrator method the scheduler calls (update; the wired scheduler only). Idempotent
 * by `idempotency_key`: a repeated key answers the execution started the first time.
 * Errors: `EmergencyMode` (not started: emergency, or safe mode and the workflow is not
 * critical), `Unavailable` (retried), anything else is final (`NotFound`, `Unauthorized`, ...).
 *
 * @example
 * @method(StartScheduledExecutionMethod)
 */
export const StartScheduledExecutionMethod = {
    args: [StartScheduledExecutionRequestCodec],
    ret: StartScheduledExecutionResultCodec,
    mode: 'update'
} as const satisfies MethodSpec;
