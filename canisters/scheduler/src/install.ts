/** Install, upgrade and version: the scheduler's lifecycle methods. */
import { init, postUpgrade } from 'azle';

import { DeploymentInitArgs, type DeploymentConfig } from '../../../shared/common/deployment';
import type { VersionInfo } from '../../../shared/common/version';
import { SCHEDULE_SCHEMA_VERSION } from '../../../shared/scheduling/schedule';
import { SchedulerMethods as M } from '../../../shared/scheduling/service';
import { learnModuleHash, versionInfo } from '../../common/version';
import { reporter } from './health';
import { indexRebuild } from './index-rebuild';
import * as runtime from './runtime';
import { deployment } from './state';
import { method } from '../../common/method';

export class InstallMethods {
    /**
     * Stores the deployment configuration, starts health reports, arms the timer.
     * Call context: canister_init. Traps (refusing the install) without a configuration.
     */
    @init(DeploymentInitArgs)
    init(config: [] | [DeploymentConfig]): void {
        deployment.applyInstallArg(config, 'init');
        indexRebuild.markBuilt();
        learnModuleHash();
        reporter.start();
        runtime.replan();
    }

    /**
     * Timers do not survive an upgrade: re-arms the ONE global timer from the due index (one
     * key read, however many schedules exist). Schedules that fell due during the upgrade fire
     * in the next round under their missed-run policy. `null` keeps the stored configuration.
     * Stored schedules of an older schema are rewritten afterwards in timer-driven batches
     * (never here: post_upgrade's cost must not grow with the data), and so are the listing
     * groups after an upgrade from a release without them (index-rebuild.ts).
     * Call context: canister_post_upgrade.
     */
    @postUpgrade(DeploymentInitArgs)
    postUpgrade(config: [] | [DeploymentConfig]): void {
        deployment.applyInstallArg(config, 'post_upgrade');
        learnModuleHash();
        reporter.start();
        runtime.replan();
        runtime.resumeStarts();
        runtime.startMigration();
        indexRebuild.resume();
    }

    /** Package, schema and canister version. Call context: query; anyone. Never fails. */
    @method(M.get_version)
    get_version(): VersionInfo {
        return versionInfo('scheduler', SCHEDULE_SCHEMA_VERSION);
    }
}

