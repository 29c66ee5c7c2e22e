/** Helpers for specs about owners' agents: run one of an owner's workflows (find the agent with `readyAgentOf`). */
import type { Actor } from '@dfinity/pic';

import type { ExecutionWire, WorkflowDefinitionWire } from '../../../shared/workflow';
import { okOf, statusOf, type OrchestratorService, type WorkflowEnv } from './workflows';

const TERMINAL = ['Succeeded', 'Failed', 'Cancelled'];

/** Creates a workflow of `actor`'s owner and runs it once to its end, reading the execution as its owner. */
export async function runOnce(env: WorkflowEnv, actor: Actor<OrchestratorService>, def: WorkflowDefinitionWire): Promise<ExecutionWire> {
    const wf = okOf(await actor.create_workflow(def));
    let x = okOf(await actor.start_execution({ workflow_id: wf.id, input: [] }));
    for (let i = 0; i < 20 && !TERMINAL.includes(statusOf(x)); i++) {
        await env.pic.tick(2);
        x = okOf(await actor.get_execution({ execution_id: x.id }));
    }
    return x;
}
