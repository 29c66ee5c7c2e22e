import { c, type Infer } from '../common/codec';
import { CanisterRoleCodec } from './health';

/** One bucket of the monitor's executions window: executions that finished in it, and how many failed. */
export const ExecutionBucketCodec = c.record({ start: c.nat64, executions: c.nat64, failures: c.nat64 });
export type ExecutionBucket = Infer<typeof ExecutionBucketCodec>;

/** A canister's cycles balance in one bucket (starting at `start`): the last it reported in it. */
export const CyclesPointCodec = c.record({ start: c.nat64, cycles: c.nat });
export type CyclesPoint = Infer<typeof CyclesPointCodec>;

export const CanisterCyclesHistoryCodec = c.record({ canister: c.principal, role: CanisterRoleCodec, points: c.vec(CyclesPointCodec) });
export type CanisterCyclesHistory = Infer<typeof CanisterCyclesHistoryCodec>;

/**
 * Answer of `get_metrics_history`: what the monitor kept over its window (`span_ns`, 24 h) in
 * buckets of `bucket_ns` (15 min), oldest first, so a dashboard draws the past it did not see:
 * the executions window (all owners; the buckets `get_system_metrics` sums) and, per wired
 * canister, its reported cycles balance, one point per bucket. Bounded: at most
 * `span_ns / bucket_ns + 1` buckets, and as many points per canister, however long it runs.
 *
 * @example
 * history.executions.reduce((n, b) => n + b.executions, 0n) === metrics.executions_last_24h
 */
export const MetricsHistoryCodec = c.record({
    computed_at: c.nat64,
    span_ns: c.nat64,
    bucket_ns: c.nat64,
    executions: c.vec(ExecutionBucketCodec),
    cycles: c.vec(CanisterCyclesHistoryCodec)
});
export type MetricsHistory = Infer<typeof MetricsHistoryCodec>;
