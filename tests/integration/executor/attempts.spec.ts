/**
 * Executor > node attempts: `run_node_attempt` is keyed by (execution, node, attempt), so a
 * repeated request answers the recorded attempt and never repeats the effect; only the
 * orchestrator may ask; a retry scheduled before an executor upgrade still runs once, at its time.
 */
import { IDL } from '@dfinity/candid';
import type { Actor, PocketIc } from '@dfinity/pic';

import { lendingPositionMethods } from '../../../canisters/demo/lending-position/src/interface';
import type { NodeAttemptRequest } from '../../../shared/workflow';
import { upgradeDeflowCanister } from '../support/deflow';
import { createPic } from '../support/pic';
import {
    createWorkflow,
    deployWorkflowEnv,
    driveToEnd,
    driveUntil,
    errTag,
    executorAs,
    liquidationDefinition,
    liquidationInput,
    nodeOf,
    okOf,
    statusOf,
    type ExecutorService,
    type WorkflowEnv
} from '../support/workflows';

jest.setTimeout(180_000);

const MS = 1_000_000n;
/** The wake timer takes whole seconds and fires on the next round. */
const TIMER_SLACK_MS = 2_000n;
const RETRY_DELAY_MS = 10_000;

describe('Executor > node attempts', () => {
    let pic: PocketIc;
    let env: WorkflowEnv;
    let asOrchestrator: Actor<ExecutorService>;

    /** A `repay` call on the lending canister, as the orchestrator would dispatch it. */
    const repayRequest = (executionId: string, amount: bigint, dueAt: bigint): NodeAttemptRequest => ({
        key: { execution_id: executionId, node_id: 'repay', attempt: 1 },
        due_at: dueAt,
        timeout_ms: 10_000n,
        task: {
            Call: {
                canister: env.ids.lending,
                method: 'repay',
                args: new Uint8Array(IDL.encode([lendingPositionMethods(IDL).RepayArgs], [{ amount, position: 'direct' }])),
                cycles: 0n,
                reply: { Candid: { types: '(variant { Ok: nat; Err: text })' } }
            }
        },
        owner: [env.owner.getPrincipal()],
        critical: []
    });

    beforeAll(async () => {
        pic = await createPic();
        env = await deployWorkflowEnv(pic);
        asOrchestrator = executorAs(env, env.deployment.peers.orchestrator);
    });

    afterAll(async () => {
        await pic?.tearDown();
    });

    describe('orchestrator (peer)', () => {
        it('runs an attempt once; a repeated request answers the recorded attempt instead of repaying again', async () => {
            const repaysBefore = await env.lending.repay_count();
            const totalBefore = await env.lending.total_repaid();
            const request = repayRequest('direct-1', 3n, BigInt(await pic.getTime()) * MS);

            const first = okOf(await asOrchestrator.run_node_attempt(request));
            expect(first.status).toEqual({ Scheduled: null });
            await pic.tick(3);

            // Same key, different arguments: the stored attempt answers, nothing runs.
            const repeated = okOf(await asOrchestrator.run_node_attempt(repayRequest('direct-1', 99n, request.due_at)));
            expect(repeated.status).toEqual({ Succeeded: null });
            expect(repeated.output).toEqual([JSON.stringify({ Ok: Number(repaysBefore + 1n) })]);
            await pic.advanceTime(1_000);
            await pic.tick(3);
            expect(okOf(await asOrchestrator.run_node_attempt(request))).toEqual(okOf(await asOrchestrator.get_node_attempt(request.key)));
            expect(await env.lending.repay_count()).toBe(repaysBefore + 1n);
            expect(await env.lending.total_repaid()).toBe(totalBefore + 3n);
        });
    });

    describe('stranger and owner', () => {
        it('get Unauthorized and nothing is recorded or run', async () => {
            const repaysBefore = await env.lending.repay_count();
            const request = repayRequest('direct-2', 1n, BigInt(await pic.getTime()) * MS);
            for (const caller of [env.stranger.getPrincipal(), env.owner.getPrincipal()]) {
                const r = await executorAs(env, caller).run_node_attempt(request);
                expect(r).toEqual({ Err: { Unauthorized: { caller } } });
            }
            await pic.tick(3);
            expect(errTag(await asOrchestrator.get_node_attempt(request.key))).toBe('NotFound');
            expect(await env.lending.repay_count()).toBe(repaysBefore);
        });
    });

    describe('upgrade', () => {
        it('a retry scheduled before an executor upgrade runs once, at its time', async () => {
            const slowRetry = liquidationDefinition(env.ids, (d) => ({
                ...d,
                nodes: d.nodes.map((n) => (n.id === 'repay' ? { ...n, recovery: { ...n.recovery, retry: { maxRetries: 1, initialDelayMs: RETRY_DELAY_MS, backoffFactor: 1, maxDelayMs: RETRY_DELAY_MS, jitter: false } } } : n))
            }));
            const wf = await createWorkflow(env, slowRetry);
            await env.oracle.set_price(50_000_000n);
            await env.lending.fail_next(1);
            const repaysBefore = await env.lending.repay_count();
            const x = okOf(await env.orchestrator.start_execution({ workflow_id: wf.id, input: liquidationInput(60_000_000n, 4n) }));

            const waiting = await driveUntil(env, x.id, (e) => nodeOf(e, 'repay').attempts.length === 2);
            const dueAt = nodeOf(waiting, 'repay').next_attempt_at[0] ?? 0n;
            const retryKey = { execution_id: x.id, node_id: 'repay', attempt: 2 };
            await pic.tick(2);
            expect(okOf(await asOrchestrator.get_node_attempt(retryKey))).toMatchObject({ status: { Scheduled: null }, due_at: dueAt });

            await upgradeDeflowCanister(pic, env.deployment, 'executor');

            // Not before its time: the retry is still held a second before it is due.
            await pic.advanceTime(RETRY_DELAY_MS - 1_000);
            await pic.tick(3);
            expect(okOf(await asOrchestrator.get_node_attempt(retryKey)).status).toEqual({ Scheduled: null });
            expect(await env.lending.repay_count()).toBe(repaysBefore);

            const done = await driveToEnd(env, x.id, { stepMs: 1000, maxRounds: 5 });
            expect(statusOf(done)).toBe('Succeeded');
            const retry = okOf(await asOrchestrator.get_node_attempt(retryKey));
            expect(retry.status).toEqual({ Succeeded: null });
            const startedAt = retry.started_at[0] ?? 0n;
            expect(startedAt).toBeGreaterThanOrEqual(dueAt);
            expect(startedAt - dueAt).toBeLessThan(TIMER_SLACK_MS * MS);

            await pic.advanceTime(60_000);
            await pic.tick(3);
            expect(await env.lending.repay_count()).toBe(repaysBefore + 1n);
        });
    });
});
