import type { CanisterStatusReading } from '../../../../shared/monitoring/health';
import { statusReadingOf, type CanisterStatusReply } from '../../../../shared/common/management';
import { collectConditions, runAlertCheck } from './alerts';
import { ingestSample } from './health';
import type { MonitorState } from './state';
import { recordStatusRead, resourcesOf } from './status';
import { computeSystemHealth } from './system-health';
import { EXEC, ORCH, SCHED, SEC, STRANGER, T0, freshState, sample } from './test-fixtures';

const GIB = 1024n * 1024n * 1024n;

function reading(over: Partial<CanisterStatusReading> = {}): CanisterStatusReading {
    return {
        read_at: T0,
        status: { Running: null },
        cycles: 5_000_000_000_000n,
        memory_size: 120_000_000n,
        wasm_memory_size: 90_000_000n,
        stable_memory_size: 8_000_000n,
        idle_cycles_burned_per_day: 100_000_000n,
        freezing_limit: 3_000_000_000n,
        module_hash: ['ab'.repeat(32)],
        canister_version: 4n,
        ...over
    };
}

function unwrap<T, E>(r: { Ok: T } | { Err: E }): T {
    if ('Err' in r) throw new Error('unexpected Err');
    return r.Ok;
}

/** Peers watched since T0: not stale within the tests' few seconds. */
const watched = (): MonitorState => {
    const s = freshState();
    return { ...s, canisters: s.canisters.map((c) => ({ ...c, watched_since: T0 })) };
};

const openKinds = (s: MonitorState, subject: string): string[] =>
    s.alerts.filter((a) => !('Resolved' in a.status) && a.subject === subject).map((a) => Object.keys(a.kind)[0]!);

describe('Monitor > canister_status readings', () => {
    it('turns a management reply into a reading: hex module hash, the replica freezing limit, run status', () => {
        const reply: CanisterStatusReply = {
            status: { stopping: null },
            settings: { freezing_threshold: 2_592_000n },
            module_hash: [new Uint8Array([0x0f, 0xa0, 0x01])],
            memory_size: 7n,
            memory_metrics: { wasm_memory_size: 3n, stable_memory_size: 4n },
            cycles: 9n,
            idle_cycles_burned_per_day: 86_400n,
            version: 2n
        };
        expect(statusReadingOf(reply, T0)).toEqual({
            read_at: T0,
            status: { Stopping: null },
            cycles: 9n,
            memory_size: 7n,
            wasm_memory_size: 3n,
            stable_memory_size: 4n,
            idle_cycles_burned_per_day: 86_400n,
            freezing_limit: 2_592_000n,
            module_hash: ['0fa001'],
            canister_version: 2n
        });
        expect(statusReadingOf({ ...reply, module_hash: [] }, T0).module_hash).toEqual([]);
    });

    it('a reading replaces the last one and clears the error; a failed read keeps the last reading', () => {
        let s = recordStatusRead(freshState(), SCHED, { kind: 'Read', reading: reading() });
        s = recordStatusRead(s, SCHED, { kind: 'Failed', error: { at: T0 + SEC, reject_code: 5, message: 'Only controllers' } });
        expect(s.canisters[1]).toMatchObject({ status: reading(), status_error: { reject_code: 5 } });
        s = recordStatusRead(s, SCHED, { kind: 'Read', reading: reading({ cycles: 1n }) });
        expect(s.canisters[1]?.status?.cycles).toBe(1n);
        expect(s.canisters[1]?.status_error).toBeUndefined();
        const health = computeSystemHealth(s, T0);
        expect(health.canisters[1]).toMatchObject({ status: [reading({ cycles: 1n })], status_error: [] });
        expect(recordStatusRead(s, STRANGER, { kind: 'Read', reading: reading() })).toBe(s);
    });

    it('memory comes from the reading (a self-report says 0), cycles from whichever is newer', () => {
        let s = unwrap(ingestSample(freshState(), sample(EXEC, T0, { heap_memory_bytes: 0n, stable_memory_bytes: 0n, cycles_balance: 7n }), EXEC, T0));
        expect(resourcesOf(s.canisters[2]!)).toEqual({ cycles: 7n, cycles_source: 'self-report', wasm_memory_bytes: 0n, stable_memory_bytes: 0n, memory_bytes: 0n, memory_source: 'self-report' });
        s = recordStatusRead(s, EXEC, { kind: 'Read', reading: reading({ read_at: T0 + SEC, cycles: 6n }) });
        expect(resourcesOf(s.canisters[2]!)).toEqual({ cycles: 6n, cycles_source: 'canister_status', wasm_memory_bytes: 90_000_000n, stable_memory_bytes: 8_000_000n, memory_bytes: 98_000_000n, memory_source: 'canister_status' });
        s = unwrap(ingestSample(s, sample(EXEC, T0 + 2n * SEC, { sequence: 2n, cycles_balance: 5n }), EXEC, T0 + 2n * SEC));
        expect(resourcesOf(s.canisters[2]!)).toMatchObject({ cycles: 5n, cycles_source: 'self-report', memory_source: 'canister_status' });
        expect(resourcesOf(freshState().canisters[0]!)).toBeUndefined();
    });

    it('LowCycles and HighMemory fire from the readings and resolve when the numbers recover', () => {
        const subject = ORCH.toText();
        const low = freshState().thresholds.low_cycles;
        let s = recordStatusRead(watched(), ORCH, { kind: 'Read', reading: reading({ cycles: low - 1n, wasm_memory_size: 3n * GIB, stable_memory_size: 1n }) });
        s = runAlertCheck(s, T0).state;
        expect(openKinds(s, subject).sort()).toEqual(['HighMemory', 'LowCycles']);
        const lowAlert = s.alerts.find((a) => 'LowCycles' in a.kind)!;
        expect(lowAlert.severity).toEqual({ Warning: null });
        expect(lowAlert.message).toContain(`cycles balance ${low - 1n} (canister_status)`);
        expect(lowAlert.message).toContain(`${(low - 1n - 3_000_000_000n) / 100_000_000n} days of idle burn before freezing`);
        s = runAlertCheck(recordStatusRead(s, ORCH, { kind: 'Read', reading: reading({ cycles: low / 10n - 1n }) }), T0 + SEC).state;
        expect(s.alerts.find((a) => 'LowCycles' in a.kind)?.severity).toEqual({ Critical: null });
        expect(openKinds(s, subject)).toEqual(['LowCycles']);
        s = runAlertCheck(recordStatusRead(s, ORCH, { kind: 'Read', reading: reading({ cycles: low }) }), T0 + 2n * SEC).state;
        expect(openKinds(s, subject)).toEqual([]);
    });

    it('without any reading or report there is nothing to judge: no LowCycles, no HighMemory', () => {
        const conditions = collectConditions(watched(), T0).filter((c) => c.holds);
        expect(conditions.map((c) => Object.keys(c.kind)[0])).toEqual([]);
    });
});
