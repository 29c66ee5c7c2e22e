/**
 * Sends a canister's `HealthSample` to the monitor on a timer and adopts the emergency state
 * the monitor's ack carries. Every DeFlow canister (orchestrator, scheduler, executor) uses
 * one; the canister supplies its own numbers through a callback and keeps its emergency
 * state in an `EmergencyStore`.
 *
 * Timers do not survive an upgrade: call `start()` from both `init` and `postUpgrade`.
 *
 * @example
 * // canisters/<name>/src/health.ts
 * export const reporter = new HealthReporter({
 *     role: { Executor: null },
 *     monitor: () => deployment.peer('monitor'),
 *     emergency,                                   // an EmergencyStore
 *     numbers: () => ({ active_executions: 2, failures_total: 1n, executions_completed_total: 40n, execution_time_ns_total: 9n }),
 *     onModeChange: (state) => resumeOrHalt(state)
 * });
 * // in init and postUpgrade: reporter.start();
 */
import { call, canisterCycleBalance, canisterSelf, canisterVersion, setTimer, setTimerInterval, time, type Principal } from 'azle';

import type { ApiError } from '../../shared/common/errors';
import type { Result } from '../../shared/common/result';
import type { EmergencyState } from '../../shared/monitoring/emergency';
import { HealthReportAckCodec, HealthSampleCodec, type CanisterRole, type HealthReportAck, type HealthSample } from '../../shared/monitoring/health';
import { HealthReportAckResultCodec } from '../../shared/monitoring/service';
import { callFailureOf, type CallFailure } from './outbox/calls';
import type { EmergencyStore } from './emergency-store';

/** Default report period: the monitor's stale threshold (5 min) tolerates four lost reports. */
export const HEALTH_REPORT_INTERVAL_SECONDS = 60;

/**
 * The numbers only the canister knows. Counters are cumulative totals (see `HealthSample`).
 * Memory sizes are optional: Azle 0.33 exposes no heap or stable memory size API, so a
 * canister that cannot measure them leaves them out (reported as 0; `HighMemory` then
 * never fires for it).
 */
export type HealthNumbers = {
    active_executions: number;
    failures_total: bigint;
    executions_completed_total: bigint;
    execution_time_ns_total: bigint;
    heap_memory_bytes?: bigint;
    stable_memory_bytes?: bigint;
};

export type HealthReporterOptions = {
    role: CanisterRole;
    /** The monitor's principal (read at every report: an upgrade may re-wire it). */
    monitor: () => Principal;
    numbers: () => HealthNumbers;
    emergency: EmergencyStore;
    /** Called after the ack changed the mode in force (e.g. resume halted work). */
    onModeChange?: (state: EmergencyState) => void;
    intervalSeconds?: number;
};

/** What one report came to. */
export type HealthReportOutcome =
    | { kind: 'Acked'; ack: HealthReportAck; mode_changed: boolean }
    | { kind: 'Refused'; error: ApiError }
    | { kind: 'Unreachable'; failure: CallFailure };

export class HealthReporter {
    private readonly options: HealthReporterOptions;

    constructor(options: HealthReporterOptions) {
        this.options = options;
    }

    /**
     * Arms the report timer (one report right away, then every interval).
     *
     * Call context: `init` or `postUpgrade` (timers are dropped by an upgrade).
     */
    start(): void {
        const report = (): Promise<void> => this.report().then((outcome) => this.log(outcome));
        setTimer(0, report);
        setTimerInterval(this.options.intervalSeconds ?? HEALTH_REPORT_INTERVAL_SECONDS, report);
    }

    /** The sample this canister would send now. `sequence` is the IC time: it grows across upgrades too. */
    sample(): HealthSample {
        const n = this.options.numbers();
        const now = time();
        return {
            canister: canisterSelf(),
            role: this.options.role,
            sequence: now,
            last_heartbeat: now,
            active_executions: n.active_executions,
            failures_total: n.failures_total,
            executions_completed_total: n.executions_completed_total,
            execution_time_ns_total: n.execution_time_ns_total,
            cycles_balance: canisterCycleBalance(),
            heap_memory_bytes: n.heap_memory_bytes ?? 0n,
            stable_memory_bytes: n.stable_memory_bytes ?? 0n,
            canister_version: canisterVersion()
        };
    }

    /**
     * Sends one sample to the monitor's `report_health` and adopts the ack's emergency state.
     * Never throws for an unreachable monitor (the next period tries again).
     *
     * Call context: timer or update (awaits an inter-canister call).
     */
    async report(): Promise<HealthReportOutcome> {
        let reply: Result<HealthReportAck, ApiError>;
        try {
            reply = await call<[HealthSample], Result<HealthReportAck, ApiError>>(this.options.monitor(), 'report_health', {
                paramIdlTypes: [HealthSampleCodec.idl],
                returnIdlType: HealthReportAckResultCodec.idl,
                args: [this.sample()]
            });
        } catch (error) {
            return { kind: 'Unreachable', failure: callFailureOf(error) };
        }
        if ('Err' in reply) return { kind: 'Refused', error: reply.Err };
        const ack = HealthReportAckCodec.schema.parse(reply.Ok);
        const mode_changed = this.options.emergency.adopt(ack.emergency);
        if (mode_changed) this.options.onModeChange?.(this.options.emergency.current);
        return { kind: 'Acked', ack, mode_changed };
    }

    private log(outcome: HealthReportOutcome): void {
        // A missed report is visible on the monitor as a stale heartbeat; the log says why.
        if (outcome.kind === 'Unreachable') console.log(`health report not delivered: reject ${outcome.failure.reject_code}: ${outcome.failure.message}`);
        if (outcome.kind === 'Refused') console.log(`health report refused: ${Object.keys(outcome.error)[0] ?? 'unknown error'}`);
    }
}
