import type { MetricsHistory } from '../../../../shared/monitoring/history';
import { cyclesOf, type CyclesHistory } from './cycles-history';
import { pruneWindow } from './rolling-window';
import type { MonitorState } from './state';

/**
 * The answer of `get_metrics_history` at `now`: the executions window's buckets (oldest first)
 * and each wired canister's cycles points, both over the window's span.
 *
 * @example
 * computeMetricsHistory(state, cycles, now).executions.length <= 97
 */
export function computeMetricsHistory(state: MonitorState, cycles: CyclesHistory, now: bigint): MetricsHistory {
    const window = state.windows.executions;
    const executions = pruneWindow(window, now)
        .buckets.filter((b) => b.start <= now)
        .map((b) => ({ start: b.start, executions: b.count, failures: b.failures }));
    return {
        computed_at: now,
        span_ns: window.span_ns,
        bucket_ns: window.bucket_ns,
        executions,
        cycles: state.canisters.map((record) => ({ canister: record.canister, role: record.role, points: cyclesOf(cycles, record.canister, now) }))
    };
}
