/** External canisters the monitor probes (ledgers, the EVM RPC canister, any target). */
import { z } from 'zod';

import type { ApiError } from '../../../shared/common/errors';
import { err, ok, type Result } from '../../../shared/common/result';
import { parseWith } from '../../../shared/common/codec';
import { DependencyProbeConfigCodec, type DependencyProbeConfig, type DependencyStatus } from '../../../shared/monitoring/dependencies';
import { MonitorMethods as M } from '../../../shared/monitoring/service';
import { requireAdmin } from './guards';
import { evaluateAlerts } from './logic/alerts';
import { configureDependencies, MAX_DEPENDENCIES, removedDependencyConditions } from './logic/dependencies';
import * as runtime from './runtime';
import * as state from './state';
import { method } from '../../common/method';

const ConfigsSchema = z.array(DependencyProbeConfigCodec.schema).max(MAX_DEPENDENCIES);

export class DependencyMethods {
    /**
     * Replaces the probed dependencies (what is known about ones that stay is kept). Each is
     * probed every check period by calling its `method` with no arguments; a reject counts
     * as unreachable, and `dependency_failures` failures in a row raise an alert. Alerts of
 * dependencies no longer listed are resolved.
     * Call context: update. Callers: admins, controllers.
     * Errors: `Unauthorized`, `InvalidInput` (more than 32, or a malformed entry).
     */
    @method(M.set_dependencies)
    set_dependencies(arg: DependencyProbeConfig[]): Result<DependencyStatus[], ApiError> {
        const denied = requireAdmin(runtime.caller());
        if (denied !== undefined) return err(denied);
        const parsed = parseWith(ConfigsSchema, arg);
        if ('Err' in parsed) return parsed;
        const now = runtime.now();
        const result = state.update((s) => {
            const dependencies = configureDependencies(s.dependencies, parsed.Ok);
            const closed = evaluateAlerts(s.alerts, s.next_alert_id, removedDependencyConditions(s.dependencies, dependencies), now);
            return { state: { ...s, dependencies, alerts: closed.alerts, next_alert_id: closed.next_alert_id } };
        });
        return ok(result.state.dependencies);
    }
}
