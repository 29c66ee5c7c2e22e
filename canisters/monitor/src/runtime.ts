/**
 * The monitor's effects adapter: the only module that calls `time()`, `msgCaller()`,
 * `call()` and the timers. It reads the peers' `canister_status`, probes dependencies, pushes the emergency state to the peers
 * through a stable outbox retried with backoff, and runs the periodic check.
 */
import { call, canisterCycleBalance, msgCaller, Principal, setTimerInterval, time } from 'azle';

import { assertNever, type Result } from '../../../shared/common/result';
import type { ApiError } from '../../../shared/common/errors';
import { tagOf } from '../../../shared/common/codec';
import { CanisterIdArgIdl, CanisterStatusReplyIdl, statusReadingOf, type CanisterIdArg, type CanisterStatusReply } from '../../../shared/common/management';
import type { DependencyProbeResult } from '../../../shared/monitoring/dependencies';
import { EmergencyStateCodec } from '../../../shared/monitoring/emergency';
import { NullResultCodec } from '../../../shared/scheduling/service';
import { callFailureOf } from '../../common/outbox/calls';
import { ReArmableTimer } from '../../common/outbox/timer';
import { runAlertCheck } from './logic/alerts';
import { recordProbeResult } from './logic/dependencies';
import { appendNotification } from './logic/notifications';
import { earliestPropagation, enqueuePropagation, settlePropagation, takeDuePropagations, type PropagationEntry, type PushOutcome } from './logic/propagation';
import type { MonitorEffect } from './logic/state';
import { recordStatusRead, type StatusReadOutcome } from './logic/status';
import { planTopUps, type TopUp } from './logic/top-up';
import type { NotificationEntry } from '../../../shared/monitoring/notifications';
import * as state from './state';

/** How often the monitor probes dependencies and checks thresholds. */
export const CHECK_INTERVAL_SECONDS = 60;
/** An empty Candid argument list (`()`): probes call methods that take none. */
const EMPTY_CANDID_ARGS = new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0x00, 0x00]);

const pushTimer = new ReArmableTimer(() => pushDue());

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
    replanPushes();
}

/** Applies the logic's effects: emergency pushes are queued (and sent), probes are sent. */
export function applyEffects(effects: readonly MonitorEffect[]): void {
    const at = time();
    for (const effect of effects) {
        switch (effect.type) {
            case 'PropagateEmergency':
                state.setPropagation(enqueuePropagation(state.getPropagation(), [effect.target], effect.state, at));
                break;
            case 'ProbeDependency':
                launch(probe(effect.canister_id, effect.method), 'probe');
                break;
            default:
                assertNever(effect, 'monitor effect');
        }
    }
    replanPushes();
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

function replanPushes(): void {
    const at = earliestPropagation(state.getPropagation());
    if (at === undefined) return;
    pushTimer.armAt(at, time());
}

/** Sends every push whose attempt is due (timer), each counted before it goes out. */
async function pushDue(): Promise<void> {
    const taken = takeDuePropagations(state.getPropagation(), time());
    state.setPropagation(taken.entries);
    replanPushes();
    await Promise.all(taken.send.map(push));
}

async function push(entry: PropagationEntry): Promise<void> {
    let outcome: PushOutcome;
    try {
        const reply = await call<[typeof entry.state], Result<null, ApiError>>(entry.target, 'set_emergency_mode', {
            paramIdlTypes: [EmergencyStateCodec.idl],
            returnIdlType: NullResultCodec.idl,
            args: [entry.state]
        });
        outcome = 'Ok' in reply ? { kind: 'Delivered' } : { kind: 'Refused', error_tag: tagOf(reply.Err) };
    } catch (error) {
        outcome = { kind: 'Rejected', reject_code: callFailureOf(error).reject_code };
    }
    const settled = settlePropagation(state.getPropagation(), entry, outcome);
    state.setPropagation(settled.entries);
    if (settled.dropped_for_good) {
        const at = time();
        const reason = outcome.kind === 'Refused' ? outcome.error_tag : outcome.kind === 'Rejected' ? `reject ${outcome.reject_code}` : 'delivered';
        state.update((s) => appendNotification(s, { Error: null }, `emergency state not accepted by ${entry.target.toText()}: ${reason}`, 'monitor', at));
    }
    replanPushes();
}

function launch(work: Promise<void>, what: string): void {
    work.catch((error: unknown) => {
        // Not a call failure (those are data): a bug. Logged so it is seen; the periodic check retries.
        console.log(`monitor: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
}

/** Sends due pushes now rather than at the next timer (after enable/disable). Call context: update. */
export function pushNow(): void {
    launch(pushDue(), 'emergency push');
}
