/**
 * Install, upgrade and `get_version`, one implementation for every DeFlow canister that is
 * installed with a DeploymentConfig: each composes the class this returns with its own
 * install steps (timers, index rebuilds, migrations), which differ by canister.
 */
import { init, postUpgrade } from 'azle';

import { DeploymentInitArgs, type DeploymentConfig } from '../../shared/common/deployment';
import { GetVersionMethod, type VersionInfo } from '../../shared/common/version';
import type { DeploymentStore } from './deployment-store';
import { method } from './method';
import { learnModuleHash, versionInfo } from './version';

export type InstallContext = 'init' | 'post_upgrade';

export interface LifecycleSpec {
    /** The name `get_version` answers (the drill checks it). */
    readonly canister: string;
    /** Stored shape version of the canister's records. */
    readonly schemaVersion: number;
    readonly deployment: DeploymentStore;
    /**
     * Runs after the configuration is stored (and the module hash is being learnt). Timers do
     * not survive an upgrade, so both contexts arm them here from stable state; work whose cost
     * grows with the data (migrations, index rebuilds) is only scheduled here, never done.
     */
    readonly afterInstall: (context: InstallContext) => void;
}

/**
 * @example
 * export const LifecycleMethods = lifecycleMethods({ canister: 'executor', schemaVersion: SCHEMA_VERSION, deployment, afterInstall });
 */
export function lifecycleMethods(spec: LifecycleSpec) {
    function install(config: [] | [DeploymentConfig], context: InstallContext): void {
        // Traps without a configuration on install (or on an upgrade with none stored), so the install is refused and nothing changes.
        spec.deployment.applyInstallArg(config, context);
        learnModuleHash();
        spec.afterInstall(context);
    }

    class LifecycleMethods {
        /** Call context: canister_init. Traps (refusing the install) without a DeploymentConfig. */
        @init(DeploymentInitArgs)
        init(config: [] | [DeploymentConfig]): void {
            install(config, 'init');
        }

        /** Call context: canister_post_upgrade. `null` keeps the stored configuration. */
        @postUpgrade(DeploymentInitArgs)
        postUpgrade(config: [] | [DeploymentConfig]): void {
            install(config, 'post_upgrade');
        }

        /** Package, schema and canister version, and the module hash as build id. Call context: query; anyone. */
        @method(GetVersionMethod)
        get_version(): VersionInfo {
            return versionInfo(spec.canister, spec.schemaVersion);
        }
    }
    return LifecycleMethods;
}
