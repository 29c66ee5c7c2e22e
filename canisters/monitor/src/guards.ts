/** Caller checks of the monitor: `(caller, what it acts on)`, answering `undefined` (allowed) or the typed error. */
import type { Principal } from 'azle';

import { apiError, type ApiError } from '../../../shared/common/errors';
import { deployment } from './state';

/** One of the three monitored peers (orchestrator, scheduler, executor). */
export function isMonitoredPeer(caller: Principal): boolean {
    return deployment.isPeer(caller, 'orchestrator') || deployment.isPeer(caller, 'scheduler') || deployment.isPeer(caller, 'executor');
}

/** Configured admins and the monitor's controllers. */
export function requireAdmin(caller: Principal): ApiError | undefined {
    return deployment.isAdmin(caller) ? undefined : apiError.unauthorized(caller);
}

/** Peers and admins (notifications). */
export function requirePeerOrAdmin(caller: Principal): ApiError | undefined {
    return isMonitoredPeer(caller) || deployment.isAdmin(caller) ? undefined : apiError.unauthorized(caller);
}
