/** Install, upgrade and version: the scheduler's lifecycle methods (shared shape: common/lifecycle-methods.ts). */
import { SCHEDULE_SCHEMA_VERSION } from '../../../shared/scheduling/schedule';
import { lifecycleMethods } from '../../common/lifecycle-methods';
import { reporter } from './health';
import { indexRebuild } from './index-rebuild';
import * as runtime from './runtime';
import { deployment } from './state';

/**
 * Both contexts re-arm the ONE global timer from the due index (one key read, however many
 * schedules exist). After an upgrade, schedules that fell due during it fire in the next round
 * under their missed-run policy, pending starts resume, and stored schedules of an older
 * schema are rewritten in timer-driven batches (never here: post_upgrade's cost must not grow
 * with the data), as are the listing groups after an upgrade from a release without them.
 */
export const InstallMethods = lifecycleMethods({
    canister: 'scheduler',
    schemaVersion: SCHEDULE_SCHEMA_VERSION,
    deployment,
    afterInstall(context) {
        reporter.start();
        runtime.replan();
        if (context === 'init') {
            indexRebuild.markBuilt();
            return;
        }
        runtime.resumeStarts();
        runtime.startMigration();
        indexRebuild.resume();
    }
});
