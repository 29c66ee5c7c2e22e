import type { Principal } from '@dfinity/principal';
import { apiError, type ApiError } from '../../../../shared/common/errors';
import { assertNever, err, ok, type Result } from '../../../../shared/common/result';
import { fromOpt, NAT64_MAX } from '../../../../shared/common/codec';
import { JsonTextSchema } from '../../../../shared/workflow/json';
import { DEFAULT_POLICIES, DEFAULT_SCHEDULE_INPUT, type ScheduleKind, type SchedulePolicies, type ScheduleRequest } from '../../../../shared/scheduling/schedule';
import { validateCondition } from './condition';
import { validateCron } from './cron';
import { MAX_RUN_ALL_CAP } from './missed-runs';
import { NS_PER_SECOND, seconds } from './time';

/**
 * How far in the past a `Once` time may be and still be accepted (it then fires at once):
 * covers clock skew between a client and the IC and the latency of the call itself.
 */
export const ONCE_PAST_TOLERANCE_NS = seconds(60);
export const MAX_WORKFLOW_ID_LENGTH = 128;
/** Ten years: larger intervals are typos, and `every_seconds * 1e9` must fit a nat64. */
export const MAX_INTERVAL_SECONDS = 10n * 365n * 24n * 3600n;

/** A request that passed validation, with defaults filled in. */
export type ValidScheduleRequest = { workflow_id: string; kind: ScheduleKind; policies: SchedulePolicies; owner: Principal; input: string };

/**
 * Checks a schedule kind against the current time. Field paths name the offending field.
 *
 * @example
 * validateScheduleKind({ Cron: { expression: 'nope' } }, now) // Err InvalidInput { field: 'kind.Cron.expression' }
 * validateScheduleKind({ Interval: { every_seconds: 0n, start_at: [], end_at: [] } }, now) // field 'kind.Interval.every_seconds'
 */
export function validateScheduleKind(kind: ScheduleKind, now: bigint): Result<null, ApiError> {
    if ('Once' in kind) {
        if (kind.Once.at + ONCE_PAST_TOLERANCE_NS < now) return err(apiError.invalidInput('kind.Once.at', 'is in the past'));
        return ok(null);
    }
    if ('Interval' in kind) {
        const { every_seconds } = kind.Interval;
        if (every_seconds < 1n) return err(apiError.invalidInput('kind.Interval.every_seconds', 'must be at least 1'));
        if (every_seconds > MAX_INTERVAL_SECONDS || every_seconds * NS_PER_SECOND > NAT64_MAX) {
            return err(apiError.invalidInput('kind.Interval.every_seconds', `must be at most ${MAX_INTERVAL_SECONDS}`));
        }
        const start = fromOpt(kind.Interval.start_at);
        const end = fromOpt(kind.Interval.end_at);
        if (end !== undefined && end <= now) return err(apiError.invalidInput('kind.Interval.end_at', 'is in the past'));
        if (end !== undefined && start !== undefined && end < start) return err(apiError.invalidInput('kind.Interval.end_at', 'is before start_at'));
        return ok(null);
    }
    if ('Cron' in kind) return validateCron(kind.Cron.expression, now);
    if ('EveryHeartbeat' in kind) return ok(null);
    if ('Condition' in kind) return validateCondition(kind.Condition);
    return assertNever(kind, 'schedule kind');
}

/**
 * Checks policies. `RunAll.cap` must be in 1..=MAX_RUN_ALL_CAP (0 would mean `Skip`; say so).
 *
 * @example
 * validatePolicies({ missed_run: { RunAll: { cap: 0 } }, overlap: { Skip: null } }) // field 'policies.missed_run.RunAll.cap'
 */
export function validatePolicies(policies: SchedulePolicies): Result<null, ApiError> {
    const missed = policies.missed_run;
    if ('RunAll' in missed && (missed.RunAll.cap < 1 || missed.RunAll.cap > MAX_RUN_ALL_CAP)) {
        return err(apiError.invalidInput('policies.missed_run.RunAll.cap', `must be in 1..=${MAX_RUN_ALL_CAP}`));
    }
    return ok(null);
}

/**
 * Validates a `schedule_workflow_execution` request (already shape-checked by its zod schema)
 * and fills in defaults. `owner` is the caller unless `callerIsOrchestrator` and the request
 * names one.
 *
 * @example
 * validateScheduleRequest(req, caller, false, now) // { Ok: { workflow_id, kind, policies, owner: caller } }
 */
export function validateScheduleRequest(
    request: ScheduleRequest,
    caller: Principal,
    callerIsOrchestrator: boolean,
    now: bigint
): Result<ValidScheduleRequest, ApiError> {
    const workflowId = request.workflow_id.trim();
    if (workflowId.length === 0 || workflowId.length > MAX_WORKFLOW_ID_LENGTH) {
        return err(apiError.invalidInput('workflow_id', `expected 1..${MAX_WORKFLOW_ID_LENGTH} characters`));
    }
    const kind = validateScheduleKind(request.kind, now);
    if ('Err' in kind) return kind;
    const policies = fromOpt(request.policies) ?? DEFAULT_POLICIES;
    const checked = validatePolicies(policies);
    if ('Err' in checked) return checked;
    const input = fromOpt(request.input) ?? DEFAULT_SCHEDULE_INPUT;
    // Same bounds as a manual start's input: at most the payload limit, bounded depth, valid JSON.
    const inputCheck = JsonTextSchema.safeParse(input);
    if (!inputCheck.success) return err(apiError.invalidInput('input', inputCheck.error.issues[0]?.message ?? 'must be valid JSON'));
    const requestedOwner = fromOpt(request.owner);
    const owner = callerIsOrchestrator && requestedOwner !== undefined ? requestedOwner : caller;
    return ok({ workflow_id: workflowId, kind: request.kind, policies, owner, input });
}
