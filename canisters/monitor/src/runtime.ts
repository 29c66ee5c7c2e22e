/**
 * The monitor's effects adapter: the only module that calls `time()`, `msgCaller()`,
 * `call()` and the timers. It reads the peers' `canister_status`, probes dependencies, pushes the emergency state to the peers
 * through the shared durable outbox (`canisters/common/outbox`: each push in its own message,
 * retried with backoff, a push that traps or is refused dead-lettered), and runs the periodic check.
 */
import { call, canisterCycleBalance, msgCaller, Principal, setTimerInterval, time } from 'azle';

import { assertNever, type Result } from '../../../shared/common/result';
import type { DeadLetterReason } from '../../../shared/common/dead-letter';
import type { ApiError } from '../../../shared/common/errors';
import { tagOf } from '../../../shared/common/codec';
import { CanisterIdArgIdl, CanisterStatusReplyIdl, statusReadingOf, type CanisterIdArg, type CanisterStatusReply } from '../../../shared/common/management';
import type { DependencyProbeResult } from '../../../shared/monitoring/dependencies';
import { SchedulerMethods } from '../../../shared/scheduling/service';
import { callFailureOf, callTyped } from '../../common/outbox/calls';
import { failedCall, type HandleOutcome } from '../../common/outbox/delivery';
import { DurableOutbox } from '../../common/outbox/outbox';
import { runAlertCheck } from './logic/alerts';
import { recordProbeResult } from './logic/dependencies';
import { appendNotification } from './logic/notifications';
import { enqueuePropagation, PROPAGATION_BATCH, PROPAGATION_RESEND_AFTER_NS, PROPAGATION_RETRY, propagationStore, type PropagationEntry } from './logic/propagation';
import type { MonitorEffect } from './logic/state';
import { recordStatusRead, type StatusReadOutcome } from './logic/status';
import { planTopUps, type TopUp } from './logic/top-up';
import type { NotificationEntry } from '../../../shared/monitoring/notifications';
import * as state from './state';

/** How often the monitor probes dependencies and checks thresholds. */
export const CHECK_INTERVAL_SECONDS = 60;
/** An empty Candid argument list (`()`): probes call methods that take none. */
const EMPTY_CANDID_ARGS = new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0x00, 0x00]);


export function now(): bigint {
    return time();
}

export function caller(): Principal {
    return msgCaller();
}

/**
 * Arms the periodic check and re-plans pending pushes.
 * Call context: init / postUpgrade (timers do not survive an upgrade).
 */
export function startTimers(): void {
    setTimerInterval(CHECK_INTERVAL_SECONDS, () => periodicCheck());
    pushes.armNow();
}

/** Applies the logic's effects: emergency pushes are queued (and sent), probes are sent. */
export function applyEffects(effects: readonly MonitorEffect[]): void {
    const at = time();
    for (const effect of effects) {
        switch (effect.type) {
            case 'PropagateEmergency':
                state.propagation.set(enqueuePropagation(state.propagation.get(), [effect.target], effect.state, at));
                break;
            case 'ProbeDependency':
                launch(probe(effect.canister_id, effect.method), 'probe');
                break;
            default:
                assertNever(effect, 'monitor effect');
        }
    }
    pushes.arm();
}

/** Runs the alert check now (update context). */
export function checkAlerts(): void {
    const at = time();
    state.update((s) => runAlertCheck(s, at));
}

/**
 * Reads every peer's `canister_status` and probes every configured dependency, awaiting the
 * answers, then checks alerts. Call context: update or timer.
 */
export async function probeAll(): Promise<void> {
    const peers = state.load().canisters.map((c) => c.canister);
    await Promise.all([...peers.map(readStatus), ...state.load().dependencies.map((d) => probe(d.config.canister_id, d.config.method))]);
    const topUps = planTopUps(state.load().canisters, state.getTopUpPolicy(), canisterCycleBalance());
    // Sequential: each deposit leaves the monitor's balance lower before the next is sent.
    for (const t of topUps) await deposit(t);
    await Promise.all(topUps.map((t) => readStatus(t.canister)));
    checkAlerts();
}

/** One `deposit_cycles` from the monitor's reserve, logged either way. */
async function deposit(topUp: TopUp): Promise<void> {
    let message: string;
    let level: NotificationEntry['level'];
    try {
        await call<[CanisterIdArg], void>(Principal.managementCanister(), 'deposit_cycles', { paramIdlTypes: [CanisterIdArgIdl], args: [{ canister_id: topUp.canister }], cycles: topUp.amount });
        message = `topped up ${topUp.canister.toText()} with ${topUp.amount} cycles from the monitor's reserve`;
        level = { Info: null };
    } catch (error) {
        const failure = callFailureOf(error);
        message = `top-up of ${topUp.canister.toText()} failed: reject ${failure.reject_code}: ${failure.message}`;
        level = { Error: null };
    }
    const at = time();
    state.update((s) => appendNotification(s, level, message, 'monitor', at));
}

/**
 * One `canister_status` read of a peer (the monitor is its controller: see docs/security.md).
 * A reject is recorded as the read's error, never thrown.
 */
async function readStatus(canister: Principal): Promise<void> {
    let outcome: StatusReadOutcome;
    try {
        const reply = await call<[CanisterIdArg], CanisterStatusReply>(Principal.managementCanister(), 'canister_status', {
            paramIdlTypes: [CanisterIdArgIdl],
            returnIdlType: CanisterStatusReplyIdl,
            args: [{ canister_id: canister }]
        });
        outcome = { kind: 'Read', reading: statusReadingOf(reply, time()) };
    } catch (error) {
        const failure = callFailureOf(error);
        outcome = { kind: 'Failed', error: { at: time(), reject_code: failure.reject_code, message: failure.message } };
    }
    state.update((s) => ({ state: recordStatusRead(s, canister, outcome) }));
}

async function periodicCheck(): Promise<void> {
    await probeAll();
}

async function probe(canisterId: Principal, method: string): Promise<void> {
    const started = time();
    let result: DependencyProbeResult;
    try {
        await call(canisterId, method, { raw: true, args: EMPTY_CANDID_ARGS });
        const at = time();
        result = { canister_id: canisterId, checked_at: at, reachable: true, latency_ns: [at - started], error: [] };
    } catch (error) {
        const failure = callFailureOf(error);
        result = { canister_id: canisterId, checked_at: time(), reachable: false, latency_ns: [], error: [failure] };
    }
    state.update((s) => ({ state: { ...s, dependencies: recordProbeResult(s.dependencies, result) } }));
}

/**
 * One push of the emergency state (its own message). Every peer's `set_emergency_mode` has the
 * contract of the scheduler's (`variant { Ok: null; Err: ApiError }`). A typed refusal will not
 * change by retrying: the push is dead-lettered (and noted); a reject follows the one reject rule.
 */
async function push(entry: PropagationEntry): Promise<HandleOutcome> {
    const r = await callTyped<Result<null, ApiError>>(entry.target, 'set_emergency_mode', SchedulerMethods.set_emergency_mode, [entry.state]);
    if (r.kind === 'Rejected') return failedCall(r);
    return 'Ok' in r.value ? { kind: 'Done' } : { kind: 'Failed', retryable: false, reason: tagOf(r.value.Err) };
}

/** A push not delivered is noted for operators besides its dead letter (its own message). */
function onPushDeadLettered(entry: PropagationEntry, reason: DeadLetterReason): void {
    const why = reason.kind === 'Refused' ? reason.error : reason.kind === 'GaveUp' ? reason.last_error : `trapped ${reason.handlings} times`;
    const at = time();
    state.update((s) => appendNotification(s, { Error: null }, `emergency state not accepted by ${entry.target.toText()}: ${why}`, 'monitor', at));
}

/** The monitor's outbox of emergency pushes. Call context of its passes: timer. */
const pushes = new DurableOutbox<PropagationEntry>({
    store: propagationStore(state.propagation, state.deadLetters),
    handle: push,
    onDeadLetter: onPushDeadLettered,
    policyOf: () => PROPAGATION_RETRY,
    batch: PROPAGATION_BATCH,
    resendAfterNs: PROPAGATION_RESEND_AFTER_NS,
    now: () => time()
});

function launch(work: Promise<void>, what: string): void {
    work.catch((error: unknown) => {
        // Not a call failure (those are data): a bug. Logged so it is seen; the periodic check retries.
        console.log(`monitor: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
}

/** Sends due pushes in the next round rather than at their backoff (after enable/disable). Call context: update. */
export function pushNow(): void {
    pushes.armNow();
}
