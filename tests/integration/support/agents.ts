/** Helpers for specs about owners' agents: find an owner's agent, run one of its workflows. */
import type { Actor } from '@dfinity/pic';
import type { Principal } from '@dfinity/principal';

import type { ExecutionWire, WorkflowDefinitionWire } from '../../../shared/workflow';
import { okOf, statusOf, type OrchestratorService, type WorkflowEnv } from './workflows';

const TERMINAL = ['Succeeded', 'Failed', 'Cancelled'];

/** The agent of `actor`'s owner once the executor reports it `Ready` (it is created at the first workflow). */
export async function agentOf(env: WorkflowEnv, actor: Actor<OrchestratorService>): Promise<Principal> {
    for (let i = 0; i < 10; i++) {
        const a = okOf(await actor.get_agent());
        if ('Ready' in a.status && a.agent[0] !== undefined) return a.agent[0];
        await env.pic.tick(2);
    }
    throw new Error('agent never became Ready');
}

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
