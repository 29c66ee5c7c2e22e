import type { Execution, NodeState } from '../../shared/workflow/execution';
import { hourlyActivity, hourlyFromMonitor } from './activity';
import { timelineOf } from './timeline';

const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;
const rejected = { kind: 'Rejected' as const, message: 'price_oracle: failing on purpose', rejectCode: 4 };

function execution(nodes: NodeState[], over: Partial<Execution> = {}): Execution {
    return { id: 'x1', workflowId: 'wf', workflowVersion: 1, trigger: { kind: 'Manual' }, status: 'Running', input: '{}', nodes, createdAt: ns(1000), startedAt: ns(1000), deadlineAt: ns(99_000), ranBy: { packageVersion: '0', buildId: 'b', canisterVersion: 1n }, ...over } as Execution;
}

describe('timelineOf', () => {
    it('draws each attempt with its outcome and the backoff wait between a failure and its retry', () => {
        const read: NodeState = {
            nodeId: 'read',
            status: 'Succeeded',
            attempts: [
                { attempt: 1, startedAt: ns(1000), finishedAt: ns(1100), error: rejected },
                { attempt: 2, startedAt: ns(2100), finishedAt: ns(2200) }
            ]
        };
        const { rows } = timelineOf(execution([read]), 5000);
        expect(rows[0]!.retries).toBe(1);
        expect(rows[0]!.segments).toEqual([
            { kind: 'attempt', attempt: 1, startMs: 1000, endMs: 1100, outcome: 'failed', error: rejected },
            { kind: 'backoff', beforeAttempt: 2, startMs: 1100, endMs: 2100, pending: false },
            { kind: 'attempt', attempt: 2, startMs: 2100, endMs: 2200, outcome: 'succeeded', error: undefined }
        ]);
    });

    it('draws a pending backoff up to the next attempt, a running attempt up to now', () => {
        const waiting: NodeState = { nodeId: 'a', status: 'Pending', attempts: [{ attempt: 1, startedAt: ns(1000), finishedAt: ns(1200), error: rejected }], nextAttemptAt: ns(3000) };
        const running: NodeState = { nodeId: 'b', status: 'Running', attempts: [{ attempt: 1, startedAt: ns(1500) }] };
        const timeline = timelineOf(execution([waiting, running]), 4000);
        expect(timeline.rows[0]!.segments[1]).toEqual({ kind: 'backoff', beforeAttempt: 2, startMs: 1200, endMs: 3000, pending: true });
        expect(timeline.rows[1]!.segments[0]).toMatchObject({ outcome: 'running', endMs: 4000 });
        expect(timeline.endMs).toBe(4000);
    });

    it('keeps the fallback taken, the alternative relation and the final error as data', () => {
        const failed: NodeState = { nodeId: 'read', status: 'Failed', attempts: [{ attempt: 1, startedAt: ns(1000), finishedAt: ns(1100), error: rejected }], error: rejected, fallbackTaken: 'UseAlternativeNode' };
        const backup: NodeState = { nodeId: 'backup', status: 'Succeeded', attempts: [{ attempt: 1, startedAt: ns(1200), finishedAt: ns(1300) }], alternativeFor: 'read' };
        const { rows } = timelineOf(execution([failed, backup], { status: 'Succeeded', finishedAt: ns(1400) }), 9000);
        expect(rows[0]).toMatchObject({ fallback: 'UseAlternativeNode', error: rejected });
        expect(rows[1]!.alternativeFor).toBe('read');
    });
});

it('draws a node that calls nothing as one bar over its run', () => {
    const check: NodeState = { nodeId: 'check', status: 'Succeeded', attempts: [], startedAt: ns(1500), finishedAt: ns(1600) };
    const pending: NodeState = { nodeId: 'later', status: 'Pending', attempts: [] };
    const { rows } = timelineOf(execution([check, pending]), 2000);
    expect(rows[0]!.segments).toEqual([{ kind: 'attempt', attempt: 1, startMs: 1500, endMs: 1600, outcome: 'succeeded', error: undefined }]);
    expect(rows[1]!.segments).toEqual([]);
});

describe('hourlyActivity', () => {
    it('counts executions and failures per hour of the window, oldest hour first', () => {
        const hour = 3_600_000;
        const now = 10 * hour + 5;
        const buckets = hourlyActivity(
            [
                { createdAtMs: 10 * hour + 1, status: 'Succeeded' },
                { createdAtMs: 10 * hour + 2, status: 'Failed' },
                { createdAtMs: 9 * hour, status: 'Failed' },
                { createdAtMs: 2 * hour, status: 'Failed' }
            ],
            now,
            3 * hour
        );
        expect(buckets.map((b) => [b.hourStartMs / hour, b.executions, b.failed])).toEqual([
            [8, 0, 0],
            [9, 1, 1],
            [10, 2, 1]
        ]);
        expect(buckets[2]!.failureRate).toBe(0.5);
    });
});

describe('hourlyFromMonitor', () => {
    it("sums the monitor's quarter-hour buckets into hours, leaving out what fell outside the window", () => {
        const hour = 3_600_000;
        const quarter = hour / 4;
        const buckets = hourlyFromMonitor(
            [
                { startMs: 9 * hour, executions: 4, failures: 1 },
                { startMs: 9 * hour + 3 * quarter, executions: 4, failures: 3 },
                { startMs: 10 * hour + quarter, executions: 2, failures: 0 },
                { startMs: 5 * hour, executions: 7, failures: 7 }
            ],
            10 * hour + 2 * quarter,
            2 * hour
        );
        expect(buckets.map((b) => [b.hourStartMs / hour, b.executions, b.failed, b.failureRate])).toEqual([
            [9, 8, 4, 0.5],
            [10, 2, 0, 0]
        ]);
    });
});
