/**
 * The call policy as the executor applies it right before a call goes out (defence in depth
 * behind the orchestrator's validation): DeFlow's own canisters (agents included), the management canister and
 * non-canister principals are refused, whatever the attempt says. The rule is
 * `shared/workflow/call-policy.ts`.
 */
import { Principal } from 'azle';

import { PEER_ROLES } from '../../../shared/common/deployment';
import { refuseCallTarget, type CallRefusalReason } from '../../../shared/workflow';
import { isAgent } from './agent-state';
import { deployment } from './state';

/** Why the executor will not call `canister` (text form), or `undefined`. Unparsable text is refused as not a canister. */
export function refusedTarget(canister: string): CallRefusalReason | undefined {
    let target: Principal;
    try {
        target = Principal.fromText(canister);
    } catch {
        return 'NotACanister';
    }
    return refuseCallTarget(target, { protectedCanisters: PEER_ROLES.map((role) => deployment.peer(role)), isAgent });
}
