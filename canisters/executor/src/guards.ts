/** Caller checks of the executor. Each answers `undefined` (allowed) or the typed error. */
import { msgCaller, Principal } from 'azle';

import { apiError, type ApiError } from '../../../shared/common/errors';
import type { PeerRole } from '../../../shared/common/deployment';
import { deployment } from './state';

/** Only the peer canister wired as `role` at install time. */
export function requirePeer(role: PeerRole, caller: Principal = msgCaller()): ApiError | undefined {
    return deployment.isPeer(caller, role) ? undefined : apiError.unauthorized(caller);
}

/** The orchestrator, or an admin/controller (for inspection). */
export function requireOrchestratorOrAdmin(caller: Principal = msgCaller()): ApiError | undefined {
    return deployment.isPeer(caller, 'orchestrator') || deployment.isAdmin(caller) ? undefined : apiError.unauthorized(caller);
}
