import type { DeadLetterReason } from '../../../../shared/common/dead-letter';
import { msToNs, type CallRefusalReason, type NodeError } from '../../../../shared/workflow';
import { deliveryFrom, newDelivery, type Delivery } from '../../../common/outbox/delivery';
import { NS_PER_SECOND, type RetryPolicy } from '../../../common/outbox/retry-policy';
import { attemptKeyText, type AttemptKey, type StoredAttempt } from './attempts';
import { interpretCallResult, type CallResult } from './reply';

/** What the executor's adapter must do after a step. */
export type ExecutorEffect =
    /** Perform the inter-canister call of a running attempt, then call {@link completeCall}. */
    | { kind: 'PerformCall'; key: AttemptKey; owner: string; canister: string; method: string; args: Uint8Array; cycles: bigint }
    /** A result is ready: the reports outbox sends it to the orchestrator (`report_node_result`). */
    | { kind: 'ReportResult'; key: AttemptKey };

export type ExecutorStep = { changed: StoredAttempt[]; effects: ExecutorEffect[] };

/**
 * Report delivery: 1 s doubling to 1 min apart, never given up while the orchestrator is
 * only unavailable (an upgrade only delays reports); three handlings that trap dead-letter it.
 */
export const REPORT_RETRY: RetryPolicy = { initial_delay_ns: NS_PER_SECOND, factor: 2, max_delay_ns: 60n * NS_PER_SECOND, max_attempts: 0, give_up_after_ns: 0n, max_traps: 3 };

/**
 * How long a sent report may stay unacknowledged before it is sent again. Covers the
 * executor being upgraded between sending and recording delivery: the report is in stable
 * state as Pending, so it is sent again (the orchestrator ignores duplicates).
 */
export const REPORT_RESEND_AFTER_NS = 30n * NS_PER_SECOND;

function finish(a: StoredAttempt, now: bigint, outcome: { output: string } | { error: NodeError }): StoredAttempt {
    return { ...a, ...outcome, status: 'output' in outcome ? 'Succeeded' : 'Failed', finishedAt: now, report: { kind: 'Pending', delivery: newDelivery(now) } };
}

/** Why the call policy refuses a target canister (text form), or `undefined` if it may be called. */
export type TargetCheck = (canister: string) => CallRefusalReason | undefined;

/**
 * The timer step: starts due attempts (at most `maxBatch`, earliest first, so one message's
 * work is bounded) and fails running attempts past their deadline. Each finished attempt's
 * result goes to the reports outbox (`ReportResult`).
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

/** A report the outbox gave up on: kept, with its reason, until retention removes it. */
export function reportDeadLettered(a: StoredAttempt, reason: DeadLetterReason, now: bigint): StoredAttempt {
    return { ...a, report: { kind: 'DeadLettered', at: now, reason } };
}

/** Whether an attempt's result waits in the reports outbox. */
export function reportPending(a: StoredAttempt): a is StoredAttempt & { report: { kind: 'Pending' } } {
    return a.report.kind === 'Pending' && a.status !== 'Cancelled';
}

/** The outbox bookkeeping of a pending report (defaults for a record of the first release). */
export function reportDelivery(a: StoredAttempt): Delivery {
    if (a.report.kind !== 'Pending') throw new Error(`invariant: report of ${attemptKeyText(a.key)} is ${a.report.kind}, not Pending`);
    const firstAt = a.finishedAt ?? a.receivedAt;
    return deliveryFrom(a.report.delivery ?? { attempts: a.report.tries, next_at: a.report.nextAt ?? firstAt }, firstAt);
}

/** A pending report with new bookkeeping: `delivery` only (a first-release record loses its `tries`/`nextAt`). */
export function withReportDelivery(a: StoredAttempt, d: Delivery): StoredAttempt {
    return { ...a, report: { kind: 'Pending', delivery: d } };
}
