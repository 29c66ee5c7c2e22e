/**
 * The numbers of one row of the health page's canister table (pure). Cycles and memory follow
 * the monitor's rule (shared/monitoring/resources.ts): memory from the peer's `canister_status`
 * reading, never the 0 an Azle canister reports about itself.
 */
import type { CanisterHealth } from '../../shared/monitoring/health';
import { resourcesFrom } from '../../shared/monitoring/resources';
import { formatBytes, formatCycles } from './format';

export type CanisterRowCells = { cycles: string; heap: string; stable: string; version: string; source: string };

/**
 * @example
 * canisterRowCells(health.canisters[0]).heap // '61.2 MiB'
 */
export function canisterRowCells(health: CanisterHealth): CanisterRowCells {
    const reading = health.status[0];
    const sample = health.latest[0];
    const resources = resourcesFrom(reading, sample);
    const version = reading?.canister_version ?? sample?.canister_version;
    if (resources === undefined) return { cycles: '—', heap: '—', stable: '—', version: version === undefined ? '—' : String(version), source: 'no reading or report yet' };
    return {
        cycles: formatCycles(resources.cycles),
        heap: formatBytes(resources.wasm_memory_bytes),
        stable: formatBytes(resources.stable_memory_bytes),
        version: version === undefined ? '—' : String(version),
        source: `cycles from ${resources.cycles_source}, memory from ${resources.memory_source}`
    };
}
