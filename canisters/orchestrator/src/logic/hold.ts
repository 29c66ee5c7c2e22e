import type { ExecutionStatus } from '../../../../shared/workflow';

/**
 * Why an execution is held (Paused). Both can hold at once; the stored label is informative
 * only, because {@link holdAction} always re-derives the decision from both conditions.
 */
export type PauseCause = 'Workflow' | 'Emergency';

/** What holds executions of a workflow right now. */
export type HoldContext = { workflowPaused: boolean; emergencyMode: boolean };

/**
 * The cause that holds an execution now, or `undefined` if it may run. The owner's pause is
 * named first: it is the one that outlasts emergency mode (lifting emergency mode leaves the
 * execution paused until the owner resumes the workflow).
 */
export function holdCause(ctx: HoldContext): PauseCause | undefined {
    if (ctx.workflowPaused) return 'Workflow';
    if (ctx.emergencyMode) return 'Emergency';
    return undefined;
}

/** What to do with one execution so it agrees with what holds it. */
export type HoldAction = { kind: 'None' } | { kind: 'Pause'; cause: PauseCause } | { kind: 'Resume' } | { kind: 'Relabel'; cause: PauseCause };

/**
 * Brings one execution in line with the conditions that hold it: a running execution with a
 * cause pauses, a paused one without a cause resumes, a paused one held for another reason
 * keeps pausing under the new label. Idempotent: pause/resume of a workflow and changes of
 * emergency mode all go through it, in any order.
 *
 * @example
 * holdAction({ status: 'Paused', pausedBy: 'Workflow' }, holdCause({ workflowPaused: false, emergencyMode: true })); // { kind: 'Relabel', cause: 'Emergency' }
 */
export function holdAction(current: { status: ExecutionStatus; pausedBy?: PauseCause }, cause: PauseCause | undefined): HoldAction {
    if (current.status === 'Running') return cause === undefined ? { kind: 'None' } : { kind: 'Pause', cause };
    if (current.status !== 'Paused') return { kind: 'None' };
    if (cause === undefined) return { kind: 'Resume' };
    return cause === current.pausedBy ? { kind: 'None' } : { kind: 'Relabel', cause };
}
