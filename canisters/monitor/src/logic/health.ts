import type { Principal } from '@dfinity/principal';
import { apiError, type ApiError } from '../../../../shared/common/errors';
import { assertNever, err, ok, type Result } from '../../../../shared/common/result';
import { tagOf } from '../../../../shared/common/codec';
import type { CanisterRole, HealthSample } from '../../../../shared/monitoring/health';
import type { SystemEvent } from '../../../../shared/monitoring/notifications';
import { addToWindow, type WindowDelta } from './rolling-window';
import type { CanisterRecord, MonitorState, WorkKind } from './state';

/** A counter's growth since the previous sample; a decrease means the counter was reset. */
function grown(current: bigint, previous: bigint | undefined): bigint {
    if (previous === undefined || current < previous) return current;
    return current - previous;
}

/**
 * Whether `sample` is newer than `previous`: a higher sequence, or a higher canister version
 * (an upgrade may restart a heap-kept sequence).
 */
function isNewer(sample: HealthSample, previous: HealthSample | undefined): boolean {
    return previous === undefined || sample.sequence > previous.sequence || sample.canister_version > previous.canister_version;
}

/**
 * What a peer's counters count, by the role it was wired as (not the role its sample claims):
 * the orchestrator's are executions, the executor's node attempts, the scheduler's firings.
 *
 * @example
 * workKindOf({ Executor: null }) // 'node_attempts'
 */
export function workKindOf(role: CanisterRole): WorkKind | undefined {
    const tag = tagOf(role);
    switch (tag) {
        case 'Orchestrator':
            return 'executions';
        case 'Executor':
            return 'node_attempts';
        case 'Scheduler':
            return 'schedule_firings';
        case 'Monitor':
            return undefined;
        default:
            return assertNever(tag, 'canister role');
    }
}

/**
 * `report_health` from a peer. The sample must be about the caller itself, and the caller a
 * wired peer (else `Unauthorized`). Stale or repeated samples are accepted and ignored. The
 * growth of the cumulative counters goes into the rolling window of the peer's kind of work
 * (`workKindOf`); a higher canister version
 * means an upgrade went through, which clears the canister's upgrade-failure streak.
 *
 * @example
 * ingestSample(state, sample, caller, now) // { Ok: nextState }
 */
export function ingestSample(state: MonitorState, sample: HealthSample, caller: Principal, now: bigint): Result<MonitorState, ApiError> {
    if (sample.canister.toText() !== caller.toText()) return err(apiError.unauthorized(caller));
    const index = state.canisters.findIndex((c) => c.canister.toText() === caller.toText());
    const record = state.canisters[index];
    if (record === undefined) return err(apiError.unauthorized(caller));
    const previous = record.latest;
    if (!isNewer(sample, previous)) return ok(state);
    const delta: WindowDelta = {
        count: grown(sample.executions_completed_total, previous?.executions_completed_total),
        failures: grown(sample.failures_total, previous?.failures_total),
        time_ns: grown(sample.execution_time_ns_total, previous?.execution_time_ns_total)
    };
    const upgraded = previous !== undefined && sample.canister_version > previous.canister_version;
    const updated: CanisterRecord = { ...record, latest: sample, upgrade_failures: upgraded ? 0 : record.upgrade_failures };
    const canisters = state.canisters.map((c, i) => (i === index ? updated : c));
    const kind = workKindOf(record.role);
    const nothing = delta.failures === 0n && delta.count === 0n && delta.time_ns === 0n;
    const windows = nothing || kind === undefined ? state.windows : { ...state.windows, [kind]: addToWindow(state.windows[kind], now, delta) };
    return ok({ ...state, canisters, samples_received: state.samples_received + 1n, windows });
}

/**
 * Applies a structured event carried by a notification (deploy tooling reports upgrades).
 * Events about canisters the monitor does not watch are ignored.
 *
 * @example
 * applySystemEvent(state, { UpgradeFailed: { canister } })
 */
export function applySystemEvent(state: MonitorState, event: SystemEvent): MonitorState {
    if (!('UpgradeFailed' in event) && !('UpgradeSucceeded' in event)) return state; // funding events: alerts only (fundingCondition)
    const target = 'UpgradeFailed' in event ? event.UpgradeFailed.canister : event.UpgradeSucceeded.canister;
    const canisters = state.canisters.map((c) => {
        if (c.canister.toText() !== target.toText()) return c;
        return { ...c, upgrade_failures: 'UpgradeFailed' in event ? c.upgrade_failures + 1 : 0 };
    });
    return { ...state, canisters };
}

/**
 * Whether a canister's heartbeat is stale at `now`: its last heartbeat is older than the
 * threshold, or it never reported although the monitor has watched it for longer than that.
 *
 * @example
 * isStale(record, now, thresholds.stale_heartbeat_ns)
 */
export function isStale(record: CanisterRecord, now: bigint, staleAfterNs: bigint): boolean {
    const since = record.latest === undefined ? (record.watched_since ?? 0n) : record.latest.last_heartbeat;
    return now - since > staleAfterNs;
}
