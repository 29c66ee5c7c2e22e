import { c, type Infer } from '../common/codec';

/**
 * An external canister (ledger, EVM RPC canister, any target) the monitor probes
 * periodically by calling `method` (a cheap query taking no arguments, e.g. `icrc1_name`).
 * `critical`: while unreachable, health is Critical rather than Degraded.
 *
 * @example
 * const d: DependencyProbeConfig = { name: 'ICP ledger', canister_id: ledger, method: 'icrc1_name', critical: true };
 */
export const DependencyProbeConfigCodec = c.record({
    name: c.text,
    canister_id: c.principal,
    method: c.text,
    critical: c.bool
});
export type DependencyProbeConfig = Infer<typeof DependencyProbeConfigCodec>;

/**
 * The outcome of one probe. `error` holds the reject code and message when unreachable.
 *
 * @example
 * const r: DependencyProbeResult = { canister_id: ledger, checked_at: now, reachable: false, latency_ns: [], error: [{ reject_code: 3, message: 'no such canister' }] };
 */
export const DependencyProbeResultCodec = c.record({
    canister_id: c.principal,
    checked_at: c.nat64,
    reachable: c.bool,
    latency_ns: c.opt(c.nat64),
    error: c.opt(c.record({ reject_code: c.nat32, message: c.text }))
});
export type DependencyProbeResult = Infer<typeof DependencyProbeResultCodec>;

/**
 * What the monitor knows about a dependency: its config, the last probe and the streak of
 * failed probes (an alert needs `consecutive_failures >= thresholds.dependency_failures`).
 *
 * @example
 * status.consecutive_failures === 0 // reachable at the last probe
 */
export const DependencyStatusCodec = c.record({
    config: DependencyProbeConfigCodec,
    last_result: c.opt(DependencyProbeResultCodec),
    consecutive_failures: c.nat32,
    last_success_at: c.opt(c.nat64)
});
export type DependencyStatus = Infer<typeof DependencyStatusCodec>;
