/** Install, upgrade and version: the executor's lifecycle hooks (shared shape: common/lifecycle-methods.ts). */
import { setTimerInterval } from 'azle';

import { lifecycleMethods } from '../../common/lifecycle-methods';
import { pruneFinished, reporter, RETENTION_INTERVAL_SECONDS } from './housekeeping';
import { wakeNow } from './runner';
import { attemptIndexRebuild } from './indexes';
import { deployment, SCHEMA_VERSION, storedAttempts } from './state';
import * as runtime from './runtime';

/** Fills the indexes after an upgrade from a release without them, then wakes the timers that ran over the incomplete ones. */
const indexRebuild = attemptIndexRebuild(storedAttempts, () => wakeNow(runtime.now()));

/**
 * Scheduled attempts and pending reports resume from stable state. Indexes missing from an
 * older release are rebuilt by timer, in bounded batches.
 */
export const LifecycleMethods = lifecycleMethods({
    canister: 'executor',
    schemaVersion: SCHEMA_VERSION,
    deployment,
    afterInstall(context) {
        if (context === 'init') indexRebuild.markBuilt();
        else indexRebuild.resume();
        wakeNow(runtime.now());
        setTimerInterval(RETENTION_INTERVAL_SECONDS, () => {
            pruneFinished();
        });
        reporter.start();
    }
});
