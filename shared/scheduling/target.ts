import { c, type Infer, type MethodSpec } from '../common/codec';
import { ApiErrorCodec } from '../common/errors';

/**
 * The state of a workflow as far as its schedules care: `Active` (runs may start), `Paused`
 * (its owner paused it) or `Deleted` (gone for good; ids are never reused).
 *
 * @example
 * const s: WorkflowState = { Paused: null };
 */
export const WorkflowStateCodec = c.tags(['Active', 'Paused', 'Deleted'] as const);
export type WorkflowState = Infer<typeof WorkflowStateCodec>;

/**
 * What the orchestrator tells the scheduler about a workflow: its state, the input paths its
 * latest version reads (`requiredInputPaths`, shared/workflow/input.ts) and when it last
 * changed (IC ns). The scheduler applies a notice to a schedule only if `changed_at` is newer
 * than the one it already applied, so a late notice never undoes a later one.
 *
 * @example
 * const t: WorkflowTarget = { workflow_id: 'wf-1', state: { Active: null }, required_input: ['threshold_e8s'], changed_at: now };
 */
export const WorkflowTargetCodec = c.record({
    workflow_id: c.text,
    state: WorkflowStateCodec,
    required_input: c.vec(c.text),
    changed_at: c.nat64
});
export type WorkflowTarget = Infer<typeof WorkflowTargetCodec>;

/**
 * Argument of the orchestrator's `check_schedule_target`: may `owner` schedule `workflow_id`,
 * and (a condition trigger) may a read of `read_target` be made on their behalf? The
 * orchestrator applies the call policy of call nodes to it (shared/workflow/call-policy.ts).
 */
export const ScheduleTargetRequestCodec = c.record({ workflow_id: c.text, owner: c.principal, read_target: c.opt(c.principal) });
export type ScheduleTargetRequest = Infer<typeof ScheduleTargetRequestCodec>;

export const WorkflowTargetResultCodec = c.result(WorkflowTargetCodec, ApiErrorCodec);
export type WorkflowTargetResult = Infer<typeof WorkflowTargetResultCodec>;

/**
 * The orchestrator method the scheduler calls when a schedule is created (query; the wired
 * scheduler only): the workflow's target state for `owner`. Errors: `NotFound` (no such
 * workflow), `Unauthorized` (not the scheduler, or `owner` does not own the workflow),
 * `InvalidInput` (`kind.Condition.read.canister`: the call policy refuses the read target).
 *
 * @example
 * @method(CheckScheduleTargetMethod)
 */
export const CheckScheduleTargetMethod = {
    args: [ScheduleTargetRequestCodec],
    ret: WorkflowTargetResultCodec,
    mode: 'query'
} as const satisfies MethodSpec;
