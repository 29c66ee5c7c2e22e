/** Install, upgrade and version: the canister's lifecycle hooks. */
import { init, postUpgrade } from 'azle';

import { DeploymentInitArgs, type DeploymentConfig } from '../../../shared/common/deployment';
import type { VersionInfo } from '../../../shared/common/version';
import { OrchestratorMethods } from '../../../shared/workflow';
import { method } from '../../common/method';
import { learnModuleHash, versionInfo } from '../../common/version';
import { indexRebuild } from './index-rebuild';
import { deployment, SCHEMA_VERSION } from './state';
import { rearmAll } from './timers';

export class LifecycleMethods {
    /** Call context: install. Traps without a DeploymentConfig (the install is refused). */
    @init(DeploymentInitArgs)
    init(config: [] | [DeploymentConfig]): void {
        deployment.applyInstallArg(config, 'init');
        indexRebuild.markBuilt();
        learnModuleHash();
        rearmAll();
    }

    /**
     * Call context: upgrade. `null` keeps the stored configuration. Re-arms every timer from
     * stable state (timers do not survive an upgrade); records need no migration at schema 1.
     * Indexes missing from an older release are rebuilt by timer, in bounded batches.
     */
    @postUpgrade(DeploymentInitArgs)
    postUpgrade(config: [] | [DeploymentConfig]): void {
        deployment.applyInstallArg(config, 'post_upgrade');
        indexRebuild.resume();
        learnModuleHash();
        rearmAll();
    }

    /** Call context: query; anyone. */
    @method(OrchestratorMethods.get_version)
    get_version(): VersionInfo {
        return versionInfo('orchestrator', SCHEMA_VERSION);
    }
}
