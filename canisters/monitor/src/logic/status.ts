import type { Principal } from '@dfinity/principal';
import type { CanisterStatusReading, StatusReadError } from '../../../../shared/monitoring/health';
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

/** The numbers alerts judge a canister by, and where each came from. */
export type ResourceView = { cycles: bigint; cycles_source: ReadingSource; memory_bytes: bigint; memory_source: ReadingSource };
export type ReadingSource = 'canister_status' | 'self-report';

/**
 * The cycles and memory of a canister as best known. Memory comes from the management
 * canister's reading whenever there is one (an Azle canister cannot measure its own memory and
 * reports 0); cycles from whichever of the reading and the canister's own report is newer.
 *
 * @example
 * resourcesOf(record)?.cycles // undefined before any reading or report
 */
export function resourcesOf(record: CanisterRecord): ResourceView | undefined {
    const reading = record.status;
    const latest = record.latest;
    if (reading === undefined && latest === undefined) return undefined;
    const memory: Pick<ResourceView, 'memory_bytes' | 'memory_source'> =
        reading !== undefined
            ? { memory_bytes: reading.wasm_memory_size + reading.stable_memory_size, memory_source: 'canister_status' }
            : { memory_bytes: (latest?.heap_memory_bytes ?? 0n) + (latest?.stable_memory_bytes ?? 0n), memory_source: 'self-report' };
    const readingIsNewer = reading !== undefined && (latest === undefined || reading.read_at >= latest.last_heartbeat);
    const cycles: Pick<ResourceView, 'cycles' | 'cycles_source'> =
        readingIsNewer || latest === undefined ? { cycles: reading?.cycles ?? 0n, cycles_source: 'canister_status' } : { cycles: latest.cycles_balance, cycles_source: 'self-report' };
    return { ...cycles, ...memory };
}
