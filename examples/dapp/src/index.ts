/**
 * Example dapp: an Azle canister that uses DeFlow by inter-canister calls. On its first
 * `protect` it creates a workflow on the orchestrator (the dapp canister owns it), then starts
 * an execution with the caller's threshold; `execution_status` reads an execution back.
 * Calls are described with the client library's typed descriptors (`client/inter-canister`),
 * so argument and reply types come from DeFlow's shared contracts.
 */
import { call, init, postUpgrade, StableBTreeMap, type CallError } from 'azle';
import type { Principal } from 'azle';

import { orchestratorCall, type ReplyOf, type TypedCall } from '../../../client/inter-canister';
import { encodeWorkflowDefinition } from '../../../shared/workflow/definition';
import { tagOf } from '../../../shared/common/codec';
import { method } from '../../../canisters/common/method';
import { DappInitArgs, DappMethods as M, type DappError, type ExecutionStatusReply, type Protection } from './api';
import { protectionWorkflow } from './workflow';

/** Stable memory ids, each named once. */
const MEMORY = { orchestrator: 0, workflow: 1 } as const;
const orchestratorStore = new StableBTreeMap<'id', Principal>(MEMORY.orchestrator);
const workflowStore = new StableBTreeMap<'id', string>(MEMORY.workflow);

type Outcome<T> = { Ok: T } | { Err: DappError };

function isCallError(error: unknown): error is CallError {
    return typeof error === 'object' && error !== null && 'type' in error;
}

/** One typed call to the orchestrator; a reject becomes `CallRejected`, never a trap. */
async function callOrchestrator<C extends TypedCall<unknown>>(c: C): Promise<Outcome<ReplyOf<C>>> {
    const orchestrator = orchestratorStore.get('id');
    if (orchestrator === undefined) return { Err: { NotConfigured: null } };
    try {
        return { Ok: await call<unknown[], ReplyOf<C>>(orchestrator, c.method, c) };
    } catch (error) {
        if (isCallError(error) && error.type === 'CallRejected') return { Err: { CallRejected: { reject_code: error.rejectCode, message: error.rejectMessage } } };
        throw error;
    }
}

/** The dapp's workflow id, creating the workflow on first use. */
async function workflowId(): Promise<Outcome<string>> {
    const known = workflowStore.get('id');
    if (known !== undefined) return { Ok: known };
    const created = await callOrchestrator(orchestratorCall('create_workflow', encodeWorkflowDefinition(protectionWorkflow())));
    if ('Err' in created) return created;
    if ('Err' in created.Ok) return { Err: { Deflow: created.Ok.Err } };
    workflowStore.insert('id', created.Ok.Ok.id);
    return { Ok: created.Ok.Ok.id };
}

export default class {
    @init(DappInitArgs)
    init(orchestrator: Principal): void {
        orchestratorStore.insert('id', orchestrator);
    }

    @postUpgrade(DappInitArgs)
    postUpgrade(orchestrator: Principal): void {
        orchestratorStore.insert('id', orchestrator);
    }

    /** Update: creates the workflow once, then starts an execution with `{ price_e8s: 100_000_000, threshold_e8s }`. */
    @method(M.protect)
    async protect(thresholdE8s: bigint): Promise<Outcome<Protection>> {
        const wf = await workflowId();
        if ('Err' in wf) return wf;
        const input = JSON.stringify({ price_e8s: 100_000_000, threshold_e8s: Number(thresholdE8s) });
        const started = await callOrchestrator(orchestratorCall('start_execution', { workflow_id: wf.Ok, input: [input] }));
        if ('Err' in started) return started;
        if ('Err' in started.Ok) return { Err: { Deflow: started.Ok.Err } };
        return { Ok: { workflow_id: wf.Ok, execution_id: started.Ok.Ok.id, status: tagOf(started.Ok.Ok.status) } };
    }

    /** Update (calls the orchestrator's `get_execution` query): the status of one of the dapp's executions. */
    @method(M.execution_status)
    async execution_status(executionId: string): Promise<Outcome<ExecutionStatusReply>> {
        const r = await callOrchestrator(orchestratorCall('get_execution', { execution_id: executionId }));
        if ('Err' in r) return r;
        if ('Err' in r.Ok) return { Err: { Deflow: r.Ok.Err } };
        const summary = r.Ok.Ok.nodes.find((n) => n.node_id === 'summary');
        return { Ok: { execution_id: executionId, status: tagOf(r.Ok.Ok.status), output: summary?.output ?? [] } };
    }

    /** Query: the orchestrator this dapp calls. */
    @method(M.orchestrator)
    orchestrator(): [] | [Principal] {
        const id = orchestratorStore.get('id');
        return id === undefined ? [] : [id];
    }
}
