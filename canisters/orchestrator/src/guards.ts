/** Caller checks of the orchestrator: `(caller, what it acts on)`, answering `undefined` (allowed) or the typed error. */
import { Principal } from 'azle';

import { apiError, type ApiError } from '../../../shared/common/errors';
import type { PeerRole } from '../../../shared/common/deployment';
import { deployment, type StoredWorkflow } from './state';

/** The caller may own workflows: anyone but the anonymous principal (it would be shared by everyone). */
export function requireSignedIn(caller: Principal): ApiError | undefined {
    return caller.isAnonymous() ? apiError.unauthorized(caller) : undefined;
}

/** Only the workflow's owner may read, change or start it. */
export function requireOwner(caller: Principal, w: { owner: string } | StoredWorkflow): ApiError | undefined {
    return w.owner === caller.toText() ? undefined : apiError.unauthorized(caller);
}

/** Only the peer canister wired as `role` at install time. */
export function requirePeer(caller: Principal, role: PeerRole): ApiError | undefined {
    return deployment.isPeer(caller, role) ? undefined : apiError.unauthorized(caller);
}
