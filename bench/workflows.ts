/**
 * workflows benchmark: a 3-node workflow (call the demo oracle, branch on the price, reshape)
 * run through the real orchestrator and executor wasm on localnet, driven by pic-js.
 * Reports executions per second (a batch started together) and the wall time from
 * start_execution to completion, as medians.
 */
import { resolve } from 'node:path';

import { PocketIc, PocketIcServer } from '@dfinity/pic';

import { encodeWorkflowDefinition } from '../shared/workflow';
import { after, node } from '../shared/workflow/testing';
import { EMPTY_CANDID_ARGS, deployWorkflowEnv, okOf, statusOf, type WorkflowEnv } from '../tests/integration/support/workflows';
import { formatMs, median, printSection, sample } from './stats';

const RUNS = 7;
const BATCH = 10;

/** The benchmarked 3-node workflow (also measured for cycles by bench/costs.ts). */
export function threeNodeDefinition(env: WorkflowEnv) {
    return encodeWorkflowDefinition({
        name: 'bench: price check',
        description: 'call, condition, transform',
        nodes: [
            node('price', { config: { kind: 'Call', canister: env.ids.oracle.toText(), method: 'get_price', args: { kind: 'Raw', bytes: EMPTY_CANDID_ARGS }, cycles: 0n, reply: { kind: 'Candid', types: '(record { price_e8s: nat64 })' } } }),
            node('low', { config: { kind: 'Condition', mode: 'All', clauses: [{ left: { kind: 'Node', nodeId: 'price', path: 'price_e8s' }, op: 'Lt', right: { kind: 'Const', json: '1' } }] }, dependsOn: after('price') }),
            node('report', { config: { kind: 'Transform', fields: [{ key: 'low', value: { kind: 'Node', nodeId: 'low', path: '' } }] }, dependsOn: after('low') })
        ]
    });
}

/** Ticks until every execution succeeded; throws if one ended otherwise or none within 200 rounds. */
export async function tickUntilDone(env: WorkflowEnv, ids: string[]): Promise<void> {
    for (let round = 0; round < 200; round++) {
        await env.pic.tick(1);
        const states = await Promise.all(ids.map(async (id) => statusOf(okOf(await env.orchestrator.get_execution({ execution_id: id })))));
        if (states.every((s) => s === 'Succeeded')) return;
        if (states.some((s) => s === 'Failed' || s === 'Cancelled')) throw new Error(`bench execution ended ${states.join(',')}`);
    }
    throw new Error('bench executions did not finish within 200 rounds');
}

export async function workflowsBench(): Promise<void> {
    const server = await PocketIcServer.start({ binPath: process.env.POCKET_IC_BIN ?? resolve(__dirname, '..', 'localnet', 'bin', 'deflow-localnet.js') });
    const pic = await PocketIc.create(server.getUrl());
    try {
        const env = await deployWorkflowEnv(pic);
        const wf = okOf(await env.orchestrator.create_workflow(threeNodeDefinition(env)));
        const single = await sample(RUNS, async () => {
            const x = okOf(await env.orchestrator.start_execution({ workflow_id: wf.id, input: [] }));
            await tickUntilDone(env, [x.id]);
        });
        const batches = await sample(RUNS, async () => {
            const ids: string[] = [];
            for (let i = 0; i < BATCH; i++) ids.push(okOf(await env.orchestrator.start_execution({ workflow_id: wf.id, input: [] })).id);
            await tickUntilDone(env, ids);
        });
        printSection('workflows (3-node workflow: call, condition, transform; localnet via pic-js)', [
            { name: 'start_execution → Succeeded (median)', value: formatMs(median(single)) },
            { name: `executions per second (batches of ${BATCH}, median)`, value: (BATCH / (median(batches) / 1000)).toFixed(1) }
        ]);
    } finally {
        await pic.tearDown();
        await server.stop();
    }
}
