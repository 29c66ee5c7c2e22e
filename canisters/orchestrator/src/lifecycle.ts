/** Install, upgrade and version: the orchestrator's lifecycle hooks (shared shape: common/lifecycle-methods.ts). */
import { lifecycleMethods } from '../../common/lifecycle-methods';
import { indexRebuild } from './index-rebuild';
import { deployment, SCHEMA_VERSION } from './state';
import { rearmAll } from './timers';

/**
 * Re-arms every timer from stable state; records need no migration at schema 1. Indexes
 * missing from an older release are rebuilt by timer, in bounded batches.
 */
export const LifecycleMethods = lifecycleMethods({
    canister: 'orchestrator',
    schemaVersion: SCHEMA_VERSION,
    deployment,
    afterInstall(context) {
        if (context === 'init') indexRebuild.markBuilt();
        else indexRebuild.resume();
        rearmAll();
    }
});
