/**
 * Orchestrator > timeouts: a node whose result cannot arrive and an execution past its timeout
 * are failed by the orchestrator's deadline timer, by their deadline; nothing is left Running.
 * Time is driven with advanceTime + tick.
 */
import type { Actor } from '@dfinity/pic';

import { NO_RETRY } from '../../../shared/workflow';
import { NODE_TIMEOUT_GRACE_MS } from '../../../canisters/orchestrator/src/logic';
import {
    createWorkflow,
    delayDefinition,
    driveToEnd,
    executorAs,
    nodeOf,
    nodeStatus,
    okOf,
    oracleProbeDefinition,
    statusOf,
    withNodeTimeout,
    type ExecutorService,
    useWorkflowEnv
} from '../support/workflows';

jest.setTimeout(180_000);

const MS = 1_000_000n;
/** The timers take whole seconds and fire on the next round: a deadline is met within this. */
const TIMER_SLACK_MS = 2_000n;

describe('Orchestrator > timeouts', () => {
    const env = useWorkflowEnv();
    let asOrchestrator: Actor<ExecutorService>;

    beforeAll(async () => {
        asOrchestrator = executorAs(env, env.deployment.peers.orchestrator);
    });

    it('a node whose result cannot arrive fails with TimedOut at its timeout plus grace, never left running', async () => {
        // The local server answers every call within one round, so a target cannot stall across
        // time; a stopped executor is what keeps a result from arriving. The orchestrator's own
        // deadline timer must then fail the attempt.
        const timeoutMs = 3_000;
        const deadlineMs = timeoutMs + NODE_TIMEOUT_GRACE_MS;
        const wf = await createWorkflow(env, withNodeTimeout(oracleProbeDefinition(env.ids, { retry: NO_RETRY, fallback: { kind: 'SkipNode' }, emergencyActions: [] }), 'read', timeoutMs));
        const executor = { canisterId: env.deployment.peers.executor, sender: env.deployment.controller };
        await env.pic.stopCanister(executor);
        let stopped = true;
        try {
            const x = okOf(await env.orchestrator.start_execution({ workflow_id: wf.id, input: [] }));
            const startedAt = nodeOf(x, 'read').attempts[0]?.started_at ?? 0n;

            await env.pic.advanceTime(deadlineMs - 1_000);
            await env.pic.tick(2);
            const before = okOf(await env.orchestrator.get_execution({ execution_id: x.id }));
            expect(nodeStatus(before, 'read')).toBe('Running');

            const done = await driveToEnd(env, x.id, { stepMs: 1000, maxRounds: 3 });
            expect(statusOf(done)).toBe('Succeeded');
            const read = nodeOf(done, 'read');
            expect(nodeStatus(done, 'read')).toBe('Failed');
            expect(read.fallback_taken).toEqual([{ SkipNode: null }]);
            expect(Object.keys(read.error[0]?.kind ?? {})).toEqual(['TimedOut']);
            const failedAfter = (read.finished_at[0] ?? 0n) - startedAt;
            expect(failedAfter).toBeGreaterThanOrEqual(BigInt(deadlineMs) * MS);
            expect(failedAfter).toBeLessThan((BigInt(deadlineMs) + TIMER_SLACK_MS) * MS);
            expect(nodeOf(done, 'shape').output).toEqual([JSON.stringify({ seen: null })]);

            // Once the executor is back, the re-sent dispatch runs and its late report changes nothing.
            await env.pic.startCanister(executor);
            stopped = false;
            await env.pic.advanceTime(61_000);
            await env.pic.tick(4);
            expect(okOf(await env.orchestrator.get_execution({ execution_id: x.id }))).toEqual(done);
        } finally {
            // The next test needs the executor whatever failed above.
            if (stopped) await env.pic.startCanister(executor);
        }
    });

    it('an execution past its timeout fails at its deadline and its waiting node is cancelled', async () => {
        const wf = await createWorkflow(env, delayDefinition(60_000, { timeoutMs: 5_000 }));
        const x = okOf(await env.orchestrator.start_execution({ workflow_id: wf.id, input: [] }));

        const done = await driveToEnd(env, x.id, { stepMs: 1000, maxRounds: 12 });
        expect(statusOf(done)).toBe('Failed');
        expect(done.failure).toEqual([{ TimedOut: { deadline_at: x.deadline_at } }]);
        const finishedAt = done.finished_at[0] ?? 0n;
        expect(finishedAt).toBeGreaterThanOrEqual(x.deadline_at);
        expect(finishedAt - x.deadline_at).toBeLessThan(TIMER_SLACK_MS * MS);
        expect(nodeStatus(done, 'wait')).toBe('Cancelled');

        // The executor dropped the scheduled wait (through the outbox), so it never reports.
        await env.pic.tick(3);
        expect(okOf(await asOrchestrator.get_node_attempt({ execution_id: x.id, node_id: 'wait', attempt: 1 })).status).toEqual({ Cancelled: null });
    });
});
