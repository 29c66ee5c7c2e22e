/** Install, upgrade and version: the monitor's lifecycle methods. */
import { init, postUpgrade, time } from 'azle';

import { DeploymentInitArgs, type DeploymentConfig } from '../../../shared/common/deployment';
import type { VersionInfo } from '../../../shared/common/version';
import { MonitorMethods as M } from '../../../shared/monitoring/service';
import { learnModuleHash, versionInfo } from '../../common/version';
import * as runtime from './runtime';
import { deployment, reconcileCanisters } from './state';
import { method } from '../../common/method';

/** Stored shape version of the monitor's cells. */
export const MONITOR_SCHEMA_VERSION = 1;

function install(config: [] | [DeploymentConfig], context: 'init' | 'post_upgrade'): void {
    deployment.applyInstallArg(config, context);
    learnModuleHash();
    reconcileCanisters(deployment.config.peers, time());
    runtime.startTimers();
}

export class InstallMethods {
    /** Stores the wiring, starts the periodic check. Call context: canister_init; traps without a configuration. */
    @init(DeploymentInitArgs)
    init(config: [] | [DeploymentConfig]): void {
        install(config, 'init');
    }

    /** Re-arms the periodic check and pending emergency pushes (timers do not survive an upgrade). */
    @postUpgrade(DeploymentInitArgs)
    postUpgrade(config: [] | [DeploymentConfig]): void {
        install(config, 'post_upgrade');
    }

    /** Call context: query; anyone. */
    @method(M.get_version)
    get_version(): VersionInfo {
        return versionInfo('monitor', MONITOR_SCHEMA_VERSION);
    }
}
