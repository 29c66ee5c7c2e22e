/**
 * Monitor > history: `get_metrics_history` answers what the monitor kept over its 24 h window,
 * for plots of the past: the executions window in 15 min buckets (the same counts
 * `get_system_metrics` sums) and each peer's reported cycles, one point per bucket, bounded,
 * and kept in stable memory across an upgrade of the monitor.
 */
import type { Actor } from '@dfinity/pic';

import { upgradeDeflowCanister } from '../../../cli/deploy';
import { monitorActor, type MonitorService } from '../support/monitoring';
import { advanceSeconds } from '../support/scheduling';
import { createWorkflow, delayDefinition, driveToEnd, okOf, statusOf, useWorkflowEnv } from '../support/workflows';

jest.setTimeout(240_000);

const QUARTER_HOUR_S = 15 * 60;

describe('Monitor > history', () => {
    const env = useWorkflowEnv();
    let monitor: Actor<MonitorService>;

    beforeAll(async () => {
        monitor = monitorActor(env.pic, env.deployment);
        // Peers report every minute; three quarter-hour steps give each of them points in several buckets.
        for (let i = 0; i < 3; i++) await advanceSeconds(env.pic, QUARTER_HOUR_S + 1);
    });

    it('answers the executions window bucket by bucket, summing to the metrics totals', async () => {
        const workflow = await createWorkflow(env, delayDefinition(1000));
        const started = okOf(await env.orchestrator.start_execution({ workflow_id: workflow.id, input: [] }));
        expect(statusOf(await driveToEnd(env, started.id, { stepMs: 1000, maxRounds: 30 }))).toBe('Succeeded');
        await advanceSeconds(env.pic, 61); // the orchestrator reports the finished execution
        const [history, metrics] = [await monitor.get_metrics_history(), await monitor.get_system_metrics()];
        expect(history.bucket_ns).toBe(15n * 60n * 1_000_000_000n);
        expect(history.span_ns).toBe(metrics.window_ns);
        expect(history.executions.reduce((n, b) => n + b.executions, 0n)).toBe(metrics.executions_last_24h);
        expect(metrics.executions_last_24h).toBe(1n);
        const bucket = history.executions.find((b) => b.executions > 0n)!;
        expect(bucket.start % history.bucket_ns).toBe(0n);
        expect(bucket.start).toBeLessThanOrEqual(history.computed_at);
        expect(bucket.failures).toBe(0n);
    });

    it('keeps each peer’s cycles, one point per bucket, from before the question was asked', async () => {
        const history = await monitor.get_metrics_history();
        const roles = history.cycles.map((c) => Object.keys(c.role)[0]).sort();
        expect(roles).toEqual(['Executor', 'Orchestrator', 'Scheduler']);
        for (const series of history.cycles) {
            expect(series.points.length).toBeGreaterThanOrEqual(3);
            expect(series.points.every((p) => p.start % history.bucket_ns === 0n)).toBe(true);
            expect(series.points.every((p, i) => i === 0 || p.start > series.points[i - 1]!.start)).toBe(true);
            expect(series.points[0]!.start).toBeLessThan(history.computed_at - 30n * 60n * 1_000_000_000n);
            expect(series.points.every((p) => p.cycles > 0n)).toBe(true);
        }
    });

    it('keeps the history across an upgrade of the monitor', async () => {
        const before = await monitor.get_metrics_history();
        expect(before.cycles.every((c) => c.points.length > 0)).toBe(true);
        await upgradeDeflowCanister(env.pic, env.deployment, 'monitor');
        const after = await monitor.get_metrics_history();
        expect(after.cycles.map((c) => c.points.length)).toEqual(before.cycles.map((c) => c.points.length));
        expect(after.executions).toEqual(before.executions);
    });
});
