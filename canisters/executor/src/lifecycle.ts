/** Install, upgrade and version: the executor's lifecycle hooks. */
import { init, postUpgrade, setTimerInterval } from 'azle';

import { DeploymentInitArgs, type DeploymentConfig } from '../../../shared/common/deployment';
import type { VersionInfo } from '../../../shared/common/version';
import { ExecutorMethods } from '../../../shared/workflow';
import { method } from '../../common/method';
import { versionInfo } from '../../common/version';
import { pruneFinished, reporter, RETENTION_INTERVAL_SECONDS } from './housekeeping';
import { wakeNow } from './runner';
import { deployment, SCHEMA_VERSION } from './state';
import * as runtime from './runtime';

/** Timers do not survive an upgrade: both hooks arm them from stable state. */
function armTimers(): void {
    wakeNow(runtime.now());
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
        armTimers();
    }

    /** Call context: upgrade. `null` keeps the stored configuration; scheduled attempts and pending reports resume. */
    @postUpgrade(DeploymentInitArgs)
    postUpgrade(config: [] | [DeploymentConfig]): void {
        deployment.applyInstallArg(config, 'post_upgrade');
        armTimers();
    }

    /** Call context: query; anyone. */
    @method(ExecutorMethods.get_version)
    get_version(): VersionInfo {
        return versionInfo('executor', SCHEMA_VERSION);
    }
}
