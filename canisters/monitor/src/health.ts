/** Health: ingestion of peer reports and the health and metrics views. */


import type { ApiError } from '../../../shared/common/errors';
import { err, ok, type Result } from '../../../shared/common/result';
import { parseWith } from '../../../shared/common/codec';
import { HealthSampleCodec, type HealthReportAck, type HealthSample } from '../../../shared/monitoring/health';
import type { SystemHealth, SystemMetrics } from '../../../shared/monitoring/metrics';
import { MonitorMethods as M } from '../../../shared/monitoring/service';
import { requireAdmin } from './guards';
import { runAlertCheck } from './logic/alerts';
import { ingestSample } from './logic/health';
import { recordReportedCycles } from './history';
import { computeMetrics, computeSystemHealth } from './logic/system-health';
import * as runtime from './runtime';
import * as state from './state';
import { method } from '../../common/method';

export class HealthMethods {
    /**
     * A peer's health sample. The sample must describe the caller, and the caller be a wired
     * peer. Stale or repeated samples are accepted and ignored. Thresholds are re-checked, so
     * an alert about the caller resolves as soon as it reports healthy again. The ack carries
     * the current emergency state (how a peer that missed a push converges).
     * Call context: update (inter-canister). Callers: orchestrator, scheduler, executor.
     * Errors: `Unauthorized`, `InvalidInput`.
     */
    @method(M.report_health)
    report_health(arg: HealthSample): Result<HealthReportAck, ApiError> {
        const parsed = parseWith(HealthSampleCodec.schema, arg);
        if ('Err' in parsed) return parsed;
        const caller = runtime.caller();
        const now = runtime.now();
        const before = state.load();
        const ingested = ingestSample(before, parsed.Ok, caller, now);
        if ('Err' in ingested) return ingested;
        const checked = runAlertCheck(ingested.Ok, now).state;
        state.save(before, checked);
        // A sample counted as new (not stale, not repeated) is a point of the cycles plot.
        if (checked.samples_received !== before.samples_received) recordReportedCycles(caller, now, parsed.Ok.cycles_balance);
        return ok({ emergency: checked.emergency, received_at: now });
    }

    /** The overall verdict, each canister, dependencies, emergency state, open alerts. Call context: query; anyone. */
    @method(M.get_system_health)
    get_system_health(): SystemHealth {
        return computeSystemHealth(state.load(), runtime.now());
    }

    /** Rolling 24 h totals. Call context: query; anyone. */
    @method(M.get_system_metrics)
    get_system_metrics(): SystemMetrics {
        return computeMetrics(state.load(), runtime.now());
    }

    /**
     * Probes every dependency now (awaiting the answers), evaluates thresholds, answers the
     * fresh health. Call context: update. Callers: admins, controllers. Errors: `Unauthorized`.
     */
    @method(M.trigger_health_check)
    async trigger_health_check(): Promise<Result<SystemHealth, ApiError>> {
        const denied = requireAdmin(runtime.caller());
        if (denied !== undefined) return err(denied);
        await runtime.probeAll();
        return ok(computeSystemHealth(state.load(), runtime.now()));
    }
}
