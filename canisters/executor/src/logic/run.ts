import { msToNs, nextRetryAt, seedFromText, type CallRefusalReason, type NodeError, type RetryPolicy } from '../../../../shared/workflow';
import { attemptKeyText, isFinished, type AttemptKey, type StoredAttempt } from './attempts';
import { interpretCallResult, type CallResult } from './reply';

/** What the executor's adapter must do after a step. */
export type ExecutorEffect =
    /** Perform the inter-canister call of a running attempt, then call {@link completeCall}. */
    | { kind: 'PerformCall'; key: AttemptKey; owner: string; canister: string; method: string; args: Uint8Array; cycles: bigint }
    /** Send the attempt's result to the orchestrator (`report_node_result`), then {@link reportDelivered} or {@link reportFailed}. */
    | { kind: 'ReportResult'; key: AttemptKey };

export type ExecutorStep = { changed: StoredAttempt[]; effects: ExecutorEffect[] };

/** Report delivery backoff: an upgrade of the orchestrator only delays reports, never drops them. */
export const REPORT_RETRY: RetryPolicy = { maxRetries: 10, initialDelayMs: 1000, backoffFactor: 2, maxDelayMs: 60_000, jitter: true };

/**
 * How long a sent report may stay unacknowledged before the timer re-sends it. Covers the
 * executor being upgraded between sending and recording delivery: the report is in stable
 * state as Pending, so it is sent again (the orchestrator ignores duplicates).
 */
export const REPORT_RESEND_AFTER_MS = 30_000;

function finish(a: StoredAttempt, now: bigint, outcome: { output: string } | { error: NodeError }): StoredAttempt {
    return { ...a, ...outcome, status: 'output' in outcome ? 'Succeeded' : 'Failed', finishedAt: now, report: { kind: 'Pending', tries: 0, nextAt: now + msToNs(REPORT_RESEND_AFTER_MS) } };
}

/** Why the call policy refuses a target canister (text form), or `undefined` if it may be called. */
export type TargetCheck = (canister: string) => CallRefusalReason | undefined;

/**
 * The timer step: starts due attempts (at most `maxBatch`, earliest first, so one message's
 * work is bounded), fails running attempts past their deadline, and re-sends due reports.
 * A `Wait` task succeeds with output `null` as soon as it is due. A call whose target
 * `checkTarget` refuses fails at once with `CallRefused` (never retried) and is not sent.
 *
 * @example
 * const { changed, effects } = runDue([...store.values()], now, 20, (c) => refuseCallTarget(Principal.fromText(c), rule));
 */
export function runDue(attempts: readonly StoredAttempt[], now: bigint, maxBatch: number, checkTarget: TargetCheck): ExecutorStep {
    const changed: StoredAttempt[] = [];
    const effects: ExecutorEffect[] = [];
    const due = attempts.filter((a) => a.status === 'Scheduled' && a.dueAt <= now).sort((x, y) => (x.dueAt < y.dueAt ? -1 : x.dueAt > y.dueAt ? 1 : 0));
    for (const a of due.slice(0, maxBatch)) {
        const running: StoredAttempt = { ...a, status: 'Running', startedAt: now, deadlineAt: now + msToNs(a.timeoutMs) };
        if (a.task.kind === 'Wait') {
            changed.push(finish(running, now, { output: 'null' }));
            effects.push({ kind: 'ReportResult', key: a.key });
            continue;
        }
        const refused = checkTarget(a.task.canister);
        if (refused !== undefined) {
            changed.push(finish(running, now, { error: { kind: 'CallRefused', message: `call to ${a.task.canister} refused (${refused}); nothing was sent` } }));
            effects.push({ kind: 'ReportResult', key: a.key });
            continue;
        }
        if (a.owner === undefined) {
            // From an orchestrator older than agents: the executor no longer calls as itself.
            changed.push(finish(running, now, { error: { kind: 'CallRefused', message: 'the attempt names no owner, so no agent can make the call; nothing was sent' } }));
            effects.push({ kind: 'ReportResult', key: a.key });
            continue;
        }
        changed.push(running);
        effects.push({ kind: 'PerformCall', key: a.key, owner: a.owner, canister: a.task.canister, method: a.task.method, args: a.task.args, cycles: a.task.cycles });
    }
    for (const a of attempts) {
        if (a.status === 'Running' && a.deadlineAt !== undefined && a.deadlineAt <= now) {
            changed.push(finish(a, now, { error: { kind: 'TimedOut', message: `no reply within ${a.timeoutMs} ms` } }));
            effects.push({ kind: 'ReportResult', key: a.key });
        } else if (a.report.kind === 'Pending' && a.report.nextAt <= now) {
            effects.push({ kind: 'ReportResult', key: a.key });
        }
    }
    return { changed, effects };
}

/**
 * Records the target's answer. An answer for an attempt that is no longer running (it timed
 * out meanwhile) is ignored: the orchestrator already got `TimedOut` and moved on.
 */
export function completeCall(a: StoredAttempt, result: CallResult, now: bigint): ExecutorStep {
    if (a.status !== 'Running' || a.task.kind !== 'Call') return { changed: [], effects: [] };
    const r = interpretCallResult(a.task.reply, result);
    const next = finish(a, now, r.ok ? { output: r.output } : { error: r.error });
    return { changed: [next], effects: [{ kind: 'ReportResult', key: a.key }] };
}

/** How long a call waits for its owner's agent before the executor tries again. */
export const AGENT_WAIT_MS = 5_000;

/**
 * A running call whose owner has no agent yet goes back to `Scheduled`, due `waitMs` later:
 * nothing was sent, so it is neither a failure nor an attempt used up.
 */
export function deferCall(a: StoredAttempt, now: bigint, waitMs: number): StoredAttempt {
    if (a.status !== 'Running') return a;
    return { ...a, status: 'Scheduled', dueAt: now + msToNs(waitMs), startedAt: undefined, deadlineAt: undefined };
}

export function reportDelivered(a: StoredAttempt, now: bigint): StoredAttempt {
    return { ...a, report: { kind: 'Delivered', at: now } };
}

/** A report that could not be delivered is retried with backoff, indefinitely (capped delay). */
export function reportFailed(a: StoredAttempt, now: bigint): StoredAttempt {
    const tries = a.report.kind === 'Pending' ? a.report.tries + 1 : 1;
    const next = nextRetryAt(REPORT_RETRY, Math.min(tries, REPORT_RETRY.maxRetries), now, seedFromText(attemptKeyText(a.key)));
    const nextAt = next.kind === 'RetryAt' ? next.dueAt : now + msToNs(REPORT_RETRY.maxDelayMs);
    return { ...a, report: { kind: 'Pending', tries, nextAt } };
}

/** When the adapter's single timer should fire next, or `undefined` if nothing waits. */
export function nextWakeAt(attempts: readonly StoredAttempt[]): bigint | undefined {
    let min: bigint | undefined;
    const consider = (t: bigint | undefined): void => {
        if (t !== undefined && (min === undefined || t < min)) min = t;
    };
    for (const a of attempts) {
        if (a.status === 'Scheduled') consider(a.dueAt);
        if (a.status === 'Running') consider(a.deadlineAt);
        if (a.report.kind === 'Pending') consider(a.report.nextAt);
    }
    return min;
}

/** Retention: finished, delivered attempts older than `maxAgeMs`, then the oldest beyond `maxRecords`. */
export function pruneAttempts(attempts: readonly StoredAttempt[], now: bigint, policy: { maxRecords: number; maxAgeMs: number }): string[] {
    const cutoff = now - msToNs(policy.maxAgeMs);
    const done = attempts
        .filter((a): a is StoredAttempt & { finishedAt: bigint } => isFinished(a) && a.finishedAt !== undefined && (a.report.kind === 'Delivered' || a.status === 'Cancelled'))
        .sort((x, y) => (x.finishedAt < y.finishedAt ? -1 : x.finishedAt > y.finishedAt ? 1 : 0));
    const drop = new Set(done.filter((a) => a.finishedAt < cutoff).map((a) => attemptKeyText(a.key)));
    const kept = done.filter((a) => !drop.has(attemptKeyText(a.key)));
    for (let i = 0; i < kept.length - policy.maxRecords; i++) drop.add(attemptKeyText(kept[i].key));
    return done.map((a) => attemptKeyText(a.key)).filter((k) => drop.has(k));
}
