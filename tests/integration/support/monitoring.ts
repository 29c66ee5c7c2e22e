/** Monitor test support: the typed actor and caller identities. */
import type { IDL } from '@dfinity/candid';
import { createIdentity, type Actor, type ActorMethod, type PocketIc } from '@dfinity/pic';

import type { ApiError } from '../../../shared/common/errors';
import type { Result } from '../../../shared/common/result';
import type { VersionInfo } from '../../../shared/common/version';
import type { Alert, Thresholds } from '../../../shared/monitoring/alerts';
import type { DependencyProbeConfig, DependencyStatus } from '../../../shared/monitoring/dependencies';
import type {
    DisableEmergencyRequest,
    EmergencyAuthority,
    EmergencyState,
    EnableEmergencyRequest,
    RaiseEmergencyError,
    RaiseEmergencyRequest,
    SetEmergencyOwnerRequest
} from '../../../shared/monitoring/emergency';
import type { HealthReportAck, HealthSample } from '../../../shared/monitoring/health';
import type { SystemHealth, SystemMetrics } from '../../../shared/monitoring/metrics';
import type { NotificationEntry, NotificationRequest } from '../../../shared/monitoring/notifications';
import { MonitorServiceIdl } from '../../../shared/monitoring/service';
import { deflowActor, type DeflowDeployment } from './deflow';

export type MonitorService = {
    get_system_health: ActorMethod<[], SystemHealth>;
    get_system_metrics: ActorMethod<[], SystemMetrics>;
    trigger_health_check: ActorMethod<[], Result<SystemHealth, ApiError>>;
    check_system_alerts: ActorMethod<[], Result<Alert[], ApiError>>;
    enable_emergency_mode: ActorMethod<[EnableEmergencyRequest], Result<EmergencyState, ApiError>>;
    disable_emergency_mode: ActorMethod<[DisableEmergencyRequest], Result<EmergencyState, ApiError>>;
    send_system_notification: ActorMethod<[NotificationRequest], Result<NotificationEntry, ApiError>>;
    acknowledge_alert: ActorMethod<[bigint], Result<Alert, ApiError>>;
    get_version: ActorMethod<[], VersionInfo>;
    report_health: ActorMethod<[HealthSample], Result<HealthReportAck, ApiError>>;
    set_dependencies: ActorMethod<[DependencyProbeConfig[]], Result<DependencyStatus[], ApiError>>;
    set_thresholds: ActorMethod<[Thresholds], Result<Thresholds, ApiError>>;
    get_notifications: ActorMethod<[[] | [bigint]], Result<NotificationEntry[], ApiError>>;
    raise_emergency_for_owner: ActorMethod<[RaiseEmergencyRequest], Result<EmergencyState, RaiseEmergencyError>>;
    set_emergency_owner: ActorMethod<[SetEmergencyOwnerRequest], Result<EmergencyAuthority, ApiError>>;
    get_emergency_authority: ActorMethod<[], Result<EmergencyAuthority, ApiError>>;
};

export const monitorIdlFactory: IDL.InterfaceFactory = () => MonitorServiceIdl;

/** Identities of the caller roles the monitor tells apart. */
export function identities(): { admin: ReturnType<typeof createIdentity>; stranger: ReturnType<typeof createIdentity> } {
    return { admin: createIdentity('deflow-admin'), stranger: createIdentity('deflow-stranger') };
}

/** The monitor actor, optionally as another identity. */
export function monitorActor(pic: PocketIc, deployment: DeflowDeployment, identity?: ReturnType<typeof createIdentity>): Actor<MonitorService> {
    return deflowActor<MonitorService>(pic, deployment, 'monitor', monitorIdlFactory, identity);
}
