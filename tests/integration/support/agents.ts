/** Helpers for specs about owners' agents: run one of an owner's workflows (find the agent with `readyAgentOf`). */
import type { Actor } from '@dfinity/pic';

import type { AgentUpgradeFailure, AgentUpgradeReportWire } from '../../../shared/agent/executor-agent-api';
import type { ExecutionWire, WorkflowDefinitionWire } from '../../../shared/workflow';
import { driveToEnd, okOf, type ExecutorService, type OrchestratorService, type WorkflowEnv } from './workflows';

/** Creates a workflow of `actor`'s owner and runs it once to its end, reading the execution as its owner. */
export async function runOnce(env: WorkflowEnv, actor: Actor<OrchestratorService>, def: WorkflowDefinitionWire): Promise<ExecutionWire> {
    const wf = okOf(await actor.create_workflow(def));
    const x = okOf(await actor.start_execution({ workflow_id: wf.id, input: [] }));
    return await driveToEnd({ ...env, orchestrator: actor }, x.id, { maxRounds: 20 });
}

/** Pages `upgrade_agents` through to its end (batches of `limit`, default the maximum): the agents upgraded, the failures and the batches called. */
export async function upgradeEveryAgent(executor: Pick<ExecutorService, 'upgrade_agents'>, limit?: number): Promise<{ upgraded: number; failed: AgentUpgradeFailure[]; batches: number }> {
    const total = { upgraded: 0, failed: [] as AgentUpgradeFailure[], batches: 0 };
    let cursor: [] | [string] = [];
    do {
        const report: AgentUpgradeReportWire = okOf(await executor.upgrade_agents({ cursor, limit: limit === undefined ? [] : [limit] }));
        total.upgraded += report.upgraded;
        total.failed.push(...report.failed);
        total.batches += 1;
        cursor = report.next_cursor;
    } while (cursor.length > 0);
    return total;
}
