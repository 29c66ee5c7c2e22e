import { Principal } from '@dfinity/principal';

import type { CanisterHealth, CanisterStatusReading, HealthSample } from '../../shared/monitoring/health';
import { canisterRowCells } from './canister-row';

const MIB = 1024n * 1024n;
const SEC = 1_000_000_000n;
const T0 = 1_800_000_000n * SEC;
const canister = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');

/** What an Azle peer reports about itself: it cannot measure its memory, so 0. */
const selfReport: HealthSample = {
    canister,
    role: { Scheduler: null },
    sequence: 1n,
    last_heartbeat: T0,
    active_executions: 0,
    failures_total: 0n,
    executions_completed_total: 0n,
    execution_time_ns_total: 0n,
    cycles_balance: 3_000_000_000_000n,
    heap_memory_bytes: 0n,
    stable_memory_bytes: 0n,
    canister_version: 2n
};
const reading: CanisterStatusReading = {
    read_at: T0 + SEC,
    status: { Running: null },
    cycles: 2_500_000_000_000n,
    memory_size: 90n * MIB,
    wasm_memory_size: 64n * MIB,
    stable_memory_size: 8n * MIB,
    idle_cycles_burned_per_day: 100_000_000n,
    freezing_limit: 3_000_000n,
    module_hash: [],
    canister_version: 3n
};
const health = (over: Partial<CanisterHealth>): CanisterHealth => ({ canister, role: { Scheduler: null }, latest: [selfReport], stale: false, upgrade_failures: 0, status: [reading], status_error: [], ...over });

describe('canisterRowCells', () => {
    it("shows heap and stable memory from the peer's canister_status reading, not the 0 it reports itself", () => {
        expect(canisterRowCells(health({}))).toEqual({ cycles: '2.50 T', heap: '64.0 MiB', stable: '8.0 MiB', version: '3', source: 'cycles from canister_status, memory from canister_status' });
    });

    it('takes cycles from a self-report newer than the reading, memory still from the reading', () => {
        const later = { ...selfReport, last_heartbeat: T0 + 2n * SEC };
        expect(canisterRowCells(health({ latest: [later] }))).toMatchObject({ cycles: '3.00 T', heap: '64.0 MiB', source: 'cycles from self-report, memory from canister_status' });
    });

    it('falls back to the self-report before the first reading, and to dashes before anything', () => {
        expect(canisterRowCells(health({ status: [] }))).toMatchObject({ heap: '0 B', stable: '0 B', version: '2', source: 'cycles from self-report, memory from self-report' });
        expect(canisterRowCells(health({ status: [], latest: [] }))).toEqual({ cycles: '—', heap: '—', stable: '—', version: '—', source: 'no reading or report yet' });
    });
});
