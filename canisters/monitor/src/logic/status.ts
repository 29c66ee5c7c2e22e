import type { Principal } from '@dfinity/principal';
import type { CanisterStatusReading, StatusReadError } from '../../../../shared/monitoring/health';
import { resourcesFrom, type CanisterResources } from '../../../../shared/monitoring/resources';
import type { CanisterRecord, MonitorState } from './state';

/** What one `canister_status` read of a peer came to. */
export type StatusReadOutcome = { kind: 'Read'; reading: CanisterStatusReading } | { kind: 'Failed'; error: StatusReadError };

/**
 * Records a `canister_status` read of a watched canister: a reading replaces the previous one
 * and clears the error; a failure keeps the last reading (still the best known numbers) and
 * says why the read failed. Reads of canisters the monitor does not watch are ignored.
 *
 * @example
 * recordStatusRead(state, peer, { kind: 'Read', reading })
 */
export function recordStatusRead(state: MonitorState, canister: Principal, outcome: StatusReadOutcome): MonitorState {
    const text = canister.toText();
    if (!state.canisters.some((c) => c.canister.toText() === text)) return state;
    const canisters = state.canisters.map((c): CanisterRecord => {
        if (c.canister.toText() !== text) return c;
        if (outcome.kind === 'Read') {
            const { status_error: _cleared, ...rest } = c;
            return { ...rest, status: outcome.reading };
        }
        return { ...c, status_error: outcome.error };
    });
    return { ...state, canisters };
}

/**
 * The cycles and memory alerts judge a canister by, and where each came from (the rule is
 * shared with the views of `get_system_health`: shared/monitoring/resources.ts).
 *
 * @example
 * resourcesOf(record)?.cycles // undefined before any reading or report
 */
export function resourcesOf(record: CanisterRecord): CanisterResources | undefined {
    return resourcesFrom(record.status, record.latest);
}
