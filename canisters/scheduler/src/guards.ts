/** Caller checks of the scheduler: `(caller, what it acts on)`, answering `undefined` (allowed) or the typed error. */
import type { Principal } from 'azle';

import type { ApiError } from '../../../shared/common/errors';
import type { PeerRole } from '../../../shared/common/deployment';
import type { Schedule } from '../../../shared/scheduling/schedule';
import { schedulerError } from './errors';
import { canManage } from './logic/lifecycle';
import { deployment } from './state';

/** Only the canister wired as `role` (inter-canister endpoints). */
export function requirePeer(caller: Principal, role: PeerRole): ApiError | undefined {
    return deployment.isPeer(caller, role) ? undefined : schedulerError.unauthorized(caller);
}

/** Admins and controllers see and manage every schedule. */
export function isPrivileged(caller: Principal): boolean {
    return deployment.isAdmin(caller) || deployment.isPeer(caller, 'orchestrator');
}

/** The schedule's owner, the wired orchestrator, an admin or a controller. */
export function requireManage(schedule: Schedule, caller: Principal): ApiError | undefined {
    const config = deployment.config;
    const allowed = canManage(schedule, caller, { orchestrator: config.peers.orchestrator, admins: config.admins }) || deployment.isAdmin(caller);
    return allowed ? undefined : schedulerError.unauthorized(caller);
}
