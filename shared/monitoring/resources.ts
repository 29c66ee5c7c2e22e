import type { CanisterStatusReading, HealthSample } from './health';

/** Where a number came from: the management canister's `canister_status`, or the canister's own report. */
export type ReadingSource = 'canister_status' | 'self-report';

/**
 * The cycles and memory of a canister as best known, and where each came from. `wasm_memory_bytes`
 * is the heap (`memory_metrics.wasm_memory_size`), `stable_memory_bytes` the stable memory
 * (`memory_metrics.stable_memory_size`), `memory_bytes` their sum (the part that grows with use).
 */
export type CanisterResources = {
    cycles: bigint;
    cycles_source: ReadingSource;
    wasm_memory_bytes: bigint;
    stable_memory_bytes: bigint;
    memory_bytes: bigint;
    memory_source: ReadingSource;
};

/**
 * The one rule for which number to believe, used by the monitor's alerts and by every view of
 * `get_system_health` (the dashboard). Memory comes from the `canister_status` reading whenever
 * there is one: an Azle 0.33 canister has no API to measure its own heap or stable memory and
 * reports 0 for both (canisters/common/health-reporter.ts). Cycles come from whichever of the
 * reading and the self-report is newer (a report is sent every minute, a reading taken every
 * check).
 *
 * @example
 * resourcesFrom(health.status[0], health.latest[0])?.wasm_memory_bytes // the heap, from canister_status
 */
export function resourcesFrom(reading: CanisterStatusReading | undefined, sample: HealthSample | undefined): CanisterResources | undefined {
    if (reading === undefined && sample === undefined) return undefined;
    const memory = reading !== undefined ? memoryOf(reading.wasm_memory_size, reading.stable_memory_size, 'canister_status') : memoryOf(sample?.heap_memory_bytes ?? 0n, sample?.stable_memory_bytes ?? 0n, 'self-report');
    const readingIsNewer = reading !== undefined && (sample === undefined || reading.read_at >= sample.last_heartbeat);
    const cycles: Pick<CanisterResources, 'cycles' | 'cycles_source'> =
        readingIsNewer || sample === undefined ? { cycles: reading?.cycles ?? 0n, cycles_source: 'canister_status' } : { cycles: sample.cycles_balance, cycles_source: 'self-report' };
    return { ...cycles, ...memory };
}

function memoryOf(wasm: bigint, stable: bigint, source: ReadingSource): Pick<CanisterResources, 'wasm_memory_bytes' | 'stable_memory_bytes' | 'memory_bytes' | 'memory_source'> {
    return { wasm_memory_bytes: wasm, stable_memory_bytes: stable, memory_bytes: wasm + stable, memory_source: source };
}
