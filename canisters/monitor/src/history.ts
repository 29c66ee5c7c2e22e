/** History for plots: the executions window's buckets and each peer's cycles over time. */
import type { Principal } from 'azle';

import type { MetricsHistory } from '../../../shared/monitoring/history';
import { MonitorMethods as M } from '../../../shared/monitoring/service';
import { method } from '../../common/method';
import { StableCell } from '../../common/stable-cell';
import { emptyCyclesHistory, recordCycles, type CyclesHistory } from './logic/cycles-history';
import { computeMetricsHistory } from './logic/metrics-history';
import { MEMORY } from './memory';
import * as runtime from './runtime';
import * as state from './state';

/** Apart from `MonitorState`: only report_health writes it and get_metrics_history reads it. */
const cyclesHistory = new StableCell<CyclesHistory>(MEMORY.cyclesHistory, () => emptyCyclesHistory());

/** Records the balance a peer reported (report_health, after the sample was accepted as new). */
export function recordReportedCycles(canister: Principal, at: bigint, cycles: bigint): void {
    cyclesHistory.set(recordCycles(cyclesHistory.get(), canister, at, cycles));
}

export class HistoryMethods {
    /** Executions per 15 min bucket and cycles per canister over the 24 h window, oldest first. Call context: query; anyone. */
    @method(M.get_metrics_history)
    get_metrics_history(): MetricsHistory {
        return computeMetricsHistory(state.load(), cyclesHistory.get(), runtime.now());
    }
}
