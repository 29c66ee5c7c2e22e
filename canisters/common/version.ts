/** `get_version` for every canister built from this repository. */
import { canisterVersion } from 'azle';

import type { VersionInfo } from '../../shared/common/version';

/** Keep equal to package.json's version (canisters cannot read files at run time). */
export const PACKAGE_VERSION = '0.1.0';

/**
 * Identifies the build. Wasm-level module hashes are what upgrade drills compare; this id only
 * tells builds of different source trees apart.
 */
export const BUILD_ID = 'dev';

/** The version record of canister `canister` whose stored records are at `schemaVersion`. */
export function versionInfo(canister: string, schemaVersion: number): VersionInfo {
    return { canister, package_version: PACKAGE_VERSION, schema_version: schemaVersion, canister_version: canisterVersion(), build_id: BUILD_ID };
}
