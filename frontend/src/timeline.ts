/**
 * An execution's timeline as the dashboard draws it (pure): one row per node, each attempt a
 * bar from its start to its end (or to now while it runs) with its outcome, the wait before a
 * retry (the backoff) as its own segment, and the fallback a failed node took.
 */
import type { Execution, NodeError, NodeState } from '../../shared/workflow/execution';

export type SegmentKind = 'attempt' | 'backoff';
export type AttemptOutcome = 'succeeded' | 'failed' | 'running';

export type Segment =
    | { kind: 'attempt'; attempt: number; startMs: number; endMs: number; outcome: AttemptOutcome; error: NodeError | undefined }
    | { kind: 'backoff'; beforeAttempt: number; startMs: number; endMs: number; pending: boolean };

export type TimelineRow = {
    nodeId: string;
    status: NodeState['status'];
    segments: Segment[];
    retries: number;
    fallback: NodeState['fallbackTaken'];
    /** For a node run as another's alternative (fallback UseAlternativeNode): which one. */
    alternativeFor: string | undefined;
    /** The node's final error, as data (kind, message, reject code). */
    error: NodeError | undefined;
};

export type Timeline = { startMs: number; endMs: number; rows: TimelineRow[] };

const ms = (ns: bigint): number => Number(ns / 1_000_000n);

function attemptOutcome(node: NodeState, index: number, attempt: NodeState['attempts'][number]): AttemptOutcome {
    if (attempt.error !== undefined) return 'failed';
    if (attempt.finishedAt !== undefined) return 'succeeded';
    // An attempt without an end is running only while it is the node's last one.
    return index === node.attempts.length - 1 && node.status === 'Running' ? 'running' : 'failed';
}

function rowOf(node: NodeState, nowMs: number): TimelineRow {
    const segments: Segment[] = [];
    node.attempts.forEach((attempt, index) => {
        const startMs = ms(attempt.startedAt);
        const previous = segments[segments.length - 1];
        if (previous !== undefined && previous.kind === 'attempt' && previous.endMs < startMs) {
            segments.push({ kind: 'backoff', beforeAttempt: attempt.attempt, startMs: previous.endMs, endMs: startMs, pending: false });
        }
        const outcome = attemptOutcome(node, index, attempt);
        const endMs = attempt.finishedAt !== undefined ? ms(attempt.finishedAt) : outcome === 'running' ? nowMs : startMs;
        segments.push({ kind: 'attempt', attempt: attempt.attempt, startMs, endMs, outcome, error: attempt.error });
    });
    // Nodes that call nothing (conditions, transforms, delays) keep no attempts: one bar for their run.
    if (node.attempts.length === 0 && node.startedAt !== undefined) {
        const running = node.finishedAt === undefined && node.status === 'Running';
        segments.push({ kind: 'attempt', attempt: 1, startMs: ms(node.startedAt), endMs: node.finishedAt !== undefined ? ms(node.finishedAt) : running ? nowMs : ms(node.startedAt), outcome: running ? 'running' : node.status === 'Failed' ? 'failed' : 'succeeded', error: node.error });
    }
    // Waiting for the next attempt now: the backoff runs until the retry is due.
    const last = segments[segments.length - 1];
    if (node.nextAttemptAt !== undefined && last !== undefined && last.kind === 'attempt' && last.outcome === 'failed') {
        segments.push({ kind: 'backoff', beforeAttempt: last.attempt + 1, startMs: last.endMs, endMs: Math.max(last.endMs, ms(node.nextAttemptAt)), pending: true });
    }
    return {
        nodeId: node.nodeId,
        status: node.status,
        segments,
        retries: Math.max(0, node.attempts.length - 1),
        fallback: node.fallbackTaken,
        alternativeFor: node.alternativeFor,
        error: node.error
    };
}

export function timelineOf(execution: Execution, nowMs: number): Timeline {
    const rows = execution.nodes.map((node) => rowOf(node, nowMs));
    const times = rows.flatMap((r) => r.segments.flatMap((s) => [s.startMs, s.endMs]));
    const startMs = execution.startedAt !== undefined ? ms(execution.startedAt) : Math.min(ms(execution.createdAt), ...times);
    const endMs = Math.max(startMs + 1, execution.finishedAt !== undefined ? ms(execution.finishedAt) : nowMs, ...times);
    return { startMs, endMs, rows };
}
