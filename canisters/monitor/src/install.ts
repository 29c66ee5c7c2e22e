/** Install, upgrade and version: the monitor's lifecycle methods (shared shape: common/lifecycle-methods.ts). */
import { lifecycleMethods } from '../../common/lifecycle-methods';
import * as runtime from './runtime';
import { deployment, reconcileCanisters } from './state';

/** Stored shape version of the monitor's cells. */
export const MONITOR_SCHEMA_VERSION = 1;

/** Both contexts record the configured peers and (re-)arm the periodic check and pending emergency pushes. */
export const InstallMethods = lifecycleMethods({
    canister: 'monitor',
    schemaVersion: MONITOR_SCHEMA_VERSION,
    deployment,
    afterInstall() {
        reconcileCanisters(deployment.config.peers, runtime.now());
        runtime.startTimers();
    }
});
