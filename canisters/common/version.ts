/** `get_version` and the build id for every canister built from this repository. */
import { call, canisterSelf, canisterVersion, Principal, setTimer } from 'azle';

import { CanisterInfoArgIdl, CanisterInfoReplyIdl, hexOf, type CanisterInfoArg, type CanisterInfoReply } from '../../shared/common/management';
import type { VersionInfo } from '../../shared/common/version';
import { callFailureOf } from './outbox/calls';

/** Keep equal to package.json's version (canisters cannot read files at run time). */
export const PACKAGE_VERSION = '0.1.0';

/** The build id between install and the `canister_info` answer (the first round or so). */
export const BUILD_ID_PENDING = 'module-hash-pending';

/** This canister's module hash (hex), learnt once per install or upgrade; the heap is the right home: an upgrade both changes it and clears it. */
let moduleHash: string | undefined;

/**
 * Identifies the build: the hex SHA-256 of the installed Wasm module, as `canister_status`,
 * `dfx canister info` and the monitor show it, so an execution's `ran_by.build_id` names
 * exactly the code that ran it. `BUILD_ID_PENDING` until {@link learnModuleHash} has its answer.
 */
export function buildId(): string {
    return moduleHash ?? BUILD_ID_PENDING;
}

/**
 * Asks the management canister's `canister_info` (open to any canister, no controller needed)
 * for this canister's module hash, on a timer right after install or upgrade. A failure is
 * logged and leaves the id pending (the next upgrade asks again).
 *
 * Call context: `init` or `postUpgrade`.
 */
export function learnModuleHash(): void {
    moduleHash = undefined;
    setTimer(0, async () => {
        try {
            const info = await call<[CanisterInfoArg], CanisterInfoReply>(Principal.managementCanister(), 'canister_info', {
                paramIdlTypes: [CanisterInfoArgIdl],
                returnIdlType: CanisterInfoReplyIdl,
                args: [{ canister_id: canisterSelf(), num_requested_changes: [] }]
            });
            const hash = info.module_hash[0];
            if (hash !== undefined) moduleHash = hexOf(hash);
        } catch (error) {
            const failure = callFailureOf(error);
            console.log(`canister_info of self failed (build id stays ${BUILD_ID_PENDING}): reject ${failure.reject_code}: ${failure.message}`);
        }
    });
}

/** The version record of canister `canister` whose stored records are at `schemaVersion`. */
export function versionInfo(canister: string, schemaVersion: number): VersionInfo {
    return { canister, package_version: PACKAGE_VERSION, schema_version: schemaVersion, canister_version: canisterVersion(), build_id: buildId() };
}
