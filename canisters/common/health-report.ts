/**
 * Sends one health sample to the monitor and returns the emergency state its ack carries,
 * so a canister that missed a `set_emergency_mode` push converges within one report period.
 */
import { Principal } from 'azle';

import { MonitorMethods } from '../../shared/monitoring/service';
import type { EmergencyState } from '../../shared/monitoring/emergency';
import type { HealthReportAck, HealthSample } from '../../shared/monitoring/health';
import { callTyped } from './peer-call';

/** How often the orchestrator and executor report (seconds, as `setTimerInterval` takes them). */
export const HEALTH_REPORT_INTERVAL_SECONDS = 60;

/**
 * Call context: timer (inter-canister update to the monitor).
 *
 * @returns the monitor's emergency state, or `undefined` when the monitor did not answer Ok
 *   (stopped, upgrading, not yet wired): the next report tries again, nothing is queued.
 */
export async function reportHealth(monitor: Principal, sample: HealthSample): Promise<EmergencyState | undefined> {
    const m = MonitorMethods.report_health;
    const r = await callTyped<{ Ok: HealthReportAck } | { Err: unknown }>(monitor, 'report_health', [...m.args], [sample], m.ret);
    if (r.kind === 'Rejected' || !('Ok' in r.value)) return undefined;
    return r.value.Ok.emergency;
}
