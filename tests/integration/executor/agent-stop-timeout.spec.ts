/**
 * Executor > agent stop timeout: an agent whose call stays open longer than the IC lets a
 * `stop_canister` wait (5 minutes; the localnet rejects the stop with SysTransient,
 * "Stop canister request timed out", IC0206, and leaves the agent Stopping) is started again
 * by `upgrade_agents`, which names it with the failed step and `running: true`. The agent
 * keeps its old module, its open call finishes and reports once, and it serves new calls.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

import { NO_RETRY, executorIdlFactory, type ExecutionWire } from '../../../shared/workflow';
import { STOP_CANISTER_TIMEOUT_NS } from '../../../localnet/src/engine/stop-timeout';
import { okOf, oracleProbeDefinition, readyAgentOf, statusOf, useWorkflowEnv, type ExecutorService } from '../support/workflows';

jest.setTimeout(600_000);
// About a thousand of the stalled call's management calls fit in one round of the oracle's budget.

/**
 * Management calls the stalled oracle call makes before answering. A round runs only as many
 * as the oracle's round budget allows (docs/localnet.md, Round budget): enough to keep the
 * call open over the rounds before the stop times out.
 */
const STALL_ROUNDS = 20_000;
const STOP_TIMEOUT_MS = Number(STOP_CANISTER_TIMEOUT_NS / 1_000_000n);

describe('Executor > agent stop timeout', () => {
    // The upgrade call waits out the stalled call's management calls: minutes of wall clock on a loaded machine.
    const env = useWorkflowEnv({ pic: { processingTimeoutMs: 300_000 } });
    const probe = (): ReturnType<typeof oracleProbeDefinition> => oracleProbeDefinition(env.ids, { retry: NO_RETRY, fallback: { kind: 'StopExecution' }, emergencyActions: [] });
    let workflowId: string;
    let agent: Principal;

    beforeAll(async () => {
        workflowId = okOf(await env.orchestrator.create_workflow(probe())).id;
        agent = await readyAgentOf(env, env.orchestrator);
    });

    /** Drives an execution to its end, a second of IC time per step. */
    async function runToEnd(id: string): Promise<ExecutionWire> {
        let x = okOf(await env.orchestrator.get_execution({ execution_id: id }));
        for (let i = 0; i < 60 && !['Succeeded', 'Failed', 'Cancelled'].includes(statusOf(x)); i++) {
            await env.pic.advanceTime(1_000);
            await env.pic.tick(2);
            x = okOf(await env.orchestrator.get_execution({ execution_id: id }));
        }
        return x;
    }

    it('restarts an agent whose stop timed out, reports the failed stop, and the open call reports exactly once', async () => {
        const callsBefore = await env.oracle.calls();
        await env.oracle.stall_next(1, STALL_ROUNDS);
        const stalled = okOf(await env.orchestrator.start_execution({ workflow_id: workflowId, input: [] })).id;
        await env.pic.tick(4);
        expect(await env.oracle.calls()).toBe(callsBefore + 1n);

        const upgrader = env.pic.createDeferredActor<ExecutorService>(executorIdlFactory as unknown as IDL.InterfaceFactory, env.deployment.peers.executor);
        upgrader.setIdentity(env.admin);
        const upgrade = await upgrader.upgrade_agents({ cursor: [], limit: [] });
        // The stop is asked; the stalled call keeps the agent stopping until the stop times out.
        await env.pic.tick(2);
        expect((await env.pic.canisterStatus({ canisterId: agent, sender: env.deployment.peers.executor })).status).toEqual({ stopping: null });
        await env.pic.advanceTime(STOP_TIMEOUT_MS + 1_000);
        const report = okOf(await upgrade());
        expect(report.upgraded).toBe(0);
        expect(report.failed).toHaveLength(1);
        const [failure] = report.failed;
        expect(failure?.agent.toText()).toBe(agent.toText());
        expect(failure?.owner.toText()).toBe(env.owner.getPrincipal().toText());
        expect(failure?.step).toEqual({ Stop: null });
        expect(failure?.running).toBe(true);
        expect(failure?.message).toContain('Stop canister request timed out');

        // The call open during the stop ran once: meanwhile its attempt passed the node's 5-minute call timeout, so it ends TimedOut and is never sent again.
        const x = await runToEnd(stalled);
        expect(statusOf(x)).toBe('Failed');
        const attempts = x.nodes.find((n) => n.node_id === 'read')?.attempts ?? [];
        expect(attempts).toHaveLength(1);
        expect(attempts[0]?.error[0]?.kind).toEqual({ TimedOut: null });
        expect(await env.oracle.calls()).toBe(callsBefore + 1n);

        // It serves again: a new call goes out through it at once.
        const next = await runToEnd(okOf(await env.orchestrator.start_execution({ workflow_id: workflowId, input: [] })).id);
        expect(statusOf(next)).toBe('Succeeded');
        expect(await env.oracle.calls()).toBe(callsBefore + 2n);
        expect(await env.oracle.last_caller()).toEqual([agent]);
    });
});
