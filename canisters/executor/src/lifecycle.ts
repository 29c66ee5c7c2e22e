/** Install, upgrade and version: the executor's lifecycle hooks. */
import { init, postUpgrade, setTimerInterval, time } from 'azle';

import { DeploymentInitArgs, type DeploymentConfig } from '../../../shared/common/deployment';
import type { VersionInfo } from '../../../shared/common/version';
import { ExecutorMethods } from '../../../shared/workflow';
import { method } from '../../common/method';
import { learnModuleHash, versionInfo } from '../../common/version';
import { pruneFinished, reporter, RETENTION_INTERVAL_SECONDS } from './housekeeping';
import { wakeNow } from './runner';
import { attemptIndexRebuild } from './indexes';
import { deployment, SCHEMA_VERSION, storedAttempts } from './state';

/** Fills the indexes after an upgrade from a release without them, then wakes the timers that ran over the incomplete ones. */
const indexRebuild = attemptIndexRebuild(storedAttempts, () => wakeNow(time()));

/** Timers do not survive an upgrade: both hooks arm them from stable state. */
function armTimers(): void {
    wakeNow(time());
    setTimerInterval(RETENTION_INTERVAL_SECONDS, () => {
        pruneFinished();
    });
    reporter.start();
}

export class LifecycleMethods {
    /** Call context: install. Traps without a DeploymentConfig (the install is refused). */
    @init(DeploymentInitArgs)
    init(config: [] | [DeploymentConfig]): void {
        deployment.applyInstallArg(config, 'init');
        indexRebuild.markBuilt();
        learnModuleHash();
        armTimers();
    }

    /**
     * Call context: upgrade. `null` keeps the stored configuration; scheduled attempts and
     * pending reports resume. Indexes missing from an older release are rebuilt by timer, in bounded batches.
     */
    @postUpgrade(DeploymentInitArgs)
    postUpgrade(config: [] | [DeploymentConfig]): void {
        deployment.applyInstallArg(config, 'post_upgrade');
        indexRebuild.resume();
        learnModuleHash();
        armTimers();
    }

    /** Call context: query; anyone. */
    @method(ExecutorMethods.get_version)
    get_version(): VersionInfo {
        return versionInfo('executor', SCHEMA_VERSION);
    }
}
