/** Caller checks of the executor: `(caller, what it acts on)`, answering `undefined` (allowed) or the typed error. */
import { Principal } from 'azle';

import { apiError, type ApiError } from '../../../shared/common/errors';
import type { PeerRole } from '../../../shared/common/deployment';
import { deployment } from './state';

/** Only the peer canister wired as `role` at install time. */
export function requirePeer(caller: Principal, role: PeerRole): ApiError | undefined {
    return deployment.isPeer(caller, role) ? undefined : apiError.unauthorized(caller);
}

/** The orchestrator, or an admin/controller (for inspection). */
export function requireOrchestratorOrAdmin(caller: Principal): ApiError | undefined {
    return deployment.isPeer(caller, 'orchestrator') || deployment.isAdmin(caller) ? undefined : apiError.unauthorized(caller);
}
