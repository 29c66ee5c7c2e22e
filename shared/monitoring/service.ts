import { IDL } from '@dfinity/candid';
import { VersionInfoIdl } from '../common/version';
import { ApiErrorCodec } from '../scheduling/api-error';
import { c, serviceIdl, type Codec, type MethodSpec } from '../common/codec';
import { AlertCodec, ThresholdsCodec } from './alerts';
import { DependencyProbeConfigCodec, DependencyStatusCodec } from './dependencies';
import { DisableEmergencyRequestCodec, EmergencyStateCodec, EnableEmergencyRequestCodec } from './emergency';
import { HealthReportAckCodec, HealthSampleCodec } from './health';
import { SystemHealthCodec, SystemMetricsCodec } from './metrics';
import { NotificationEntryCodec, NotificationRequestCodec } from './notifications';
import { TopUpPolicyCodec } from './top-up';

const R = <T>(ok: Codec<T>) => c.result(ok, ApiErrorCodec);

export const SystemHealthResultCodec = R(SystemHealthCodec);
export const AlertsResultCodec = R(c.vec(AlertCodec));
export const AlertResultCodec = R(AlertCodec);
export const EmergencyStateResultCodec = R(EmergencyStateCodec);
export const NotificationEntryResultCodec = R(NotificationEntryCodec);
export const HealthReportAckResultCodec = R(HealthReportAckCodec);
export const DependenciesResultCodec = R(c.vec(DependencyStatusCodec));
export const ThresholdsResultCodec = R(ThresholdsCodec);
/** Largest page `get_notifications` returns. */
export const MAX_NOTIFICATION_PAGE = 100;

/**
 * The monitor's Candid methods. Call contexts and callers:
 *
 * - `get_system_health`, `get_system_metrics` (query; anyone)
 * - `trigger_health_check` (update; admins/controllers: probes dependencies, evaluates alerts)
 * - `check_system_alerts` (update; anyone: evaluates thresholds now, returns open alerts)
 * - `enable_emergency_mode`, `disable_emergency_mode` (update; admins/controllers only,
 *   else `Unauthorized`; the change is pushed to orchestrator, scheduler and executor)
 * - `send_system_notification` (update; peer canisters and admins)
 * - `acknowledge_alert` (update; admins/controllers; `NotFound`, `Conflict` if resolved)
 * - `get_version` (query; anyone)
 * - `report_health` (update; the three peer canisters only; answers the emergency state)
 * - `set_dependencies`, `set_thresholds` (update; admins/controllers: what is probed, when alerts rise)
 * - `get_notifications` (query; admins/controllers: log entries with id > `after`, oldest first, at most 100)
 * - `set_top_up_policy` (update; admins/controllers: keep peers above a balance from the monitor's reserve, `null` turns it off)
 *
 * @example
 * const idlFactory = () => MonitorServiceIdl;
 */
export const MonitorMethods = {
    get_system_health: { args: [], ret: SystemHealthCodec.idl, mode: 'query' },
    get_system_metrics: { args: [], ret: SystemMetricsCodec.idl, mode: 'query' },
    trigger_health_check: { args: [], ret: SystemHealthResultCodec.idl, mode: 'update' },
    check_system_alerts: { args: [], ret: AlertsResultCodec.idl, mode: 'update' },
    enable_emergency_mode: { args: [EnableEmergencyRequestCodec.idl], ret: EmergencyStateResultCodec.idl, mode: 'update' },
    disable_emergency_mode: { args: [DisableEmergencyRequestCodec.idl], ret: EmergencyStateResultCodec.idl, mode: 'update' },
    send_system_notification: { args: [NotificationRequestCodec.idl], ret: NotificationEntryResultCodec.idl, mode: 'update' },
    acknowledge_alert: { args: [IDL.Nat64], ret: AlertResultCodec.idl, mode: 'update' },
    get_version: { args: [], ret: VersionInfoIdl, mode: 'query' },
    report_health: { args: [HealthSampleCodec.idl], ret: HealthReportAckResultCodec.idl, mode: 'update' },
    set_dependencies: { args: [c.vec(DependencyProbeConfigCodec).idl], ret: DependenciesResultCodec.idl, mode: 'update' },
    set_thresholds: { args: [ThresholdsCodec.idl], ret: ThresholdsResultCodec.idl, mode: 'update' },
    get_notifications: { args: [c.opt(c.nat64).idl], ret: R(c.vec(NotificationEntryCodec)).idl, mode: 'query' },
    set_top_up_policy: { args: [c.opt(TopUpPolicyCodec).idl], ret: R(c.opt(TopUpPolicyCodec)).idl, mode: 'update' }
} as const satisfies Record<string, MethodSpec>;

/** The monitor service IDL. */
export const MonitorServiceIdl = serviceIdl(MonitorMethods);
