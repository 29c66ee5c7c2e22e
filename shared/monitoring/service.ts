import { GetVersionMethod } from '../common/version';
import { ListDeadLettersMethod } from '../common/dead-letter';
import { ApiErrorCodec } from '../common/errors';
import { c, idlFactory, type Codec, type MethodSpec } from '../common/codec';
import { AlertCodec, ThresholdsCodec } from './alerts';
import { DependencyProbeConfigCodec, DependencyStatusCodec } from './dependencies';
import { DisableEmergencyRequestCodec, EmergencyAuthorityCodec, EmergencyStateCodec, EnableEmergencyRequestCodec, RaiseEmergencyRequestCodec, RaiseEmergencyResultCodec, SetEmergencyOwnerRequestCodec } from './emergency';
import { HealthReportAckCodec, HealthSampleCodec } from './health';
import { MetricsHistoryCodec } from './history';
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
 * - `get_metrics_history` (query; anyone: the executions window's buckets and each peer's cycles
 *   over 24 h, bounded; system-wide figures like `get_system_metrics`, no owner's data)
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
 * - `raise_emergency_for_owner` (update; the orchestrator only: a node's emergency action, with the
 *   workflow owner's authority; `OwnerNotAllowed { owner }` for an owner not allowed, recorded)
 * - `set_emergency_owner` (update; admins/controllers: who may raise modes from workflows; `LimitExceeded`)
 * - `get_emergency_authority` (query; admins/controllers: allowed owners and recorded refusals)
 *
 * @example
 * const monitor = pic.createActor<MonitorService>(monitorIdlFactory, monitorId);
 */
export const MonitorMethods = {
    get_system_health: { args: [], ret: SystemHealthCodec, mode: 'query' },
    get_system_metrics: { args: [], ret: SystemMetricsCodec, mode: 'query' },
    get_metrics_history: { args: [], ret: MetricsHistoryCodec, mode: 'query' },
    trigger_health_check: { args: [], ret: SystemHealthResultCodec, mode: 'update' },
    check_system_alerts: { args: [], ret: AlertsResultCodec, mode: 'update' },
    enable_emergency_mode: { args: [EnableEmergencyRequestCodec], ret: EmergencyStateResultCodec, mode: 'update' },
    disable_emergency_mode: { args: [DisableEmergencyRequestCodec], ret: EmergencyStateResultCodec, mode: 'update' },
    send_system_notification: { args: [NotificationRequestCodec], ret: NotificationEntryResultCodec, mode: 'update' },
    acknowledge_alert: { args: [c.nat64], ret: AlertResultCodec, mode: 'update' },
    get_version: GetVersionMethod,
    report_health: { args: [HealthSampleCodec], ret: HealthReportAckResultCodec, mode: 'update' },
    set_dependencies: { args: [c.vec(DependencyProbeConfigCodec)], ret: DependenciesResultCodec, mode: 'update' },
    set_thresholds: { args: [ThresholdsCodec], ret: ThresholdsResultCodec, mode: 'update' },
    get_notifications: { args: [c.opt(c.nat64)], ret: R(c.vec(NotificationEntryCodec)), mode: 'query' },
    set_top_up_policy: { args: [c.opt(TopUpPolicyCodec)], ret: R(c.opt(TopUpPolicyCodec)), mode: 'update' },
    raise_emergency_for_owner: { args: [RaiseEmergencyRequestCodec], ret: RaiseEmergencyResultCodec, mode: 'update' },
    set_emergency_owner: { args: [SetEmergencyOwnerRequestCodec], ret: R(EmergencyAuthorityCodec), mode: 'update' },
    get_emergency_authority: { args: [], ret: R(EmergencyAuthorityCodec), mode: 'query' },
    list_dead_letters: ListDeadLettersMethod
} as const satisfies Record<string, MethodSpec>;

/** `idlFactory` for `@dfinity/agent` / `@dfinity/pic` actors of the monitor. */
export const monitorIdlFactory = idlFactory(MonitorMethods);
