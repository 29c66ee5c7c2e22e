/**
 * The orchestrator's and executor's indexes (docs/architecture.md, Scale): listings read
 * through them, and after an upgrade from the last release that kept none, a timer rebuilds
 * them from the stored records so that listings, deadlines and scheduled attempts carry on.
 */
import { createIdentity } from '@dfinity/pic';

import { encodeDeploymentArg } from '../../../shared/common/deployment';
import { upgradeDeflowCanister } from '../../../cli/deploy';
import { deployDrillEnv, type DrillEnv } from '../../../drill/env';
import { advance } from '../../../drill/load';
import { PRE_INDEX_RELEASE, releaseWasm } from '../../../drill/releases';
import { unwrapOk } from '../../../drill/result';
import { delayDefinition } from '../../../drill/workflows';
import { MAX_PAGE_SIZE } from '../../../shared/common/page';
import { createPic } from '../support/pic';

jest.setTimeout(600_000);

const HOUR_MS = 3_600_000;

type Page = { items: { id: string }[]; next_cursor: [] | [string] };

async function listAll(env: DrillEnv, arg: { workflow_id?: string; order?: 'NewestFirst'; succeeded?: boolean }, limit = 2): Promise<string[]> {
    const ids: string[] = [];
    let cursor: [] | [string] = [];
    for (;;) {
        const page: Page = unwrapOk(
            await env.orchestrator.list_executions({
                workflow_id: arg.workflow_id === undefined ? [] : [arg.workflow_id],
                status: arg.succeeded === true ? [{ Succeeded: null }] : [],
                page: { cursor, limit },
                order: arg.order === undefined ? [] : [{ NewestFirst: null }]
            })
        );
        ids.push(...page.items.map((x) => x.id));
        if (page.next_cursor.length === 0) return ids;
        cursor = page.next_cursor;
    }
}

async function workflowIds(env: DrillEnv): Promise<string[]> {
    const ids: string[] = [];
    let cursor: [] | [string] = [];
    for (;;) {
        const page: Page = unwrapOk(await env.orchestrator.list_workflows({ cursor, limit: 2 }));
        ids.push(...page.items.map((w) => w.id));
        if (page.next_cursor.length === 0) return ids;
        cursor = page.next_cursor;
    }
}

describe('Scale > indexes', () => {
    it('listings page through each owner’s and each workflow’s records in order, both ways, and only the caller’s', async () => {
        const pic = await createPic();
        try {
            const env = await deployDrillEnv(pic);
            const stranger = createIdentity('index-stranger');
            const [a, b] = [unwrapOk(await env.orchestrator.create_workflow(delayDefinition(HOUR_MS))), unwrapOk(await env.orchestrator.create_workflow(delayDefinition(1)))];
            env.orchestrator.setIdentity(stranger);
            const theirs = unwrapOk(await env.orchestrator.create_workflow(delayDefinition(HOUR_MS)));
            unwrapOk(await env.orchestrator.start_execution({ workflow_id: theirs.id, input: [] }));
            env.orchestrator.setIdentity(env.owner);
            const started: string[] = [];
            for (const w of [a, b, a, b, a]) started.push(unwrapOk(await env.orchestrator.start_execution({ workflow_id: w.id, input: [] })).id);
            await advance(pic, 2_000, 8);

            expect(await workflowIds(env)).toEqual([a.id, b.id]);
            expect(await listAll(env, {})).toEqual(started);
            expect(await listAll(env, { order: 'NewestFirst' })).toEqual([...started].reverse());
            expect(await listAll(env, { workflow_id: a.id })).toEqual([started[0], started[2], started[4]]);
            expect(await listAll(env, { workflow_id: b.id, succeeded: true })).toEqual([started[1], started[3]]);
            // Another owner's workflow id lists nothing of theirs.
            expect(await listAll(env, { workflow_id: theirs.id })).toEqual([]);
            // A workflow with unfinished executions cannot be deleted; one whose executions finished can.
            expect(await env.orchestrator.delete_workflow({ workflow_id: a.id })).toMatchObject({ Err: { Conflict: {} } });
            unwrapOk(await env.orchestrator.delete_workflow({ workflow_id: b.id }));
            expect(await workflowIds(env)).toEqual([a.id]);

            // A page holds at most the cap, whatever limit is asked; its cursor goes on.
            const cap = MAX_PAGE_SIZE;
            const made: string[] = [a.id];
            for (let k = 0; k < cap; k++) made.push(unwrapOk(await env.orchestrator.create_workflow(delayDefinition(1))).id);
            const firstPage = unwrapOk(await env.orchestrator.list_workflows({ cursor: [], limit: 100 }));
            expect(firstPage.items.map((w) => w.id)).toEqual(made.slice(0, cap));
            expect(firstPage.next_cursor).toEqual([made[cap - 1]]);
            expect(await workflowIds(env)).toEqual(made);
            for (let k = started.length; k <= cap; k++) started.push(unwrapOk(await env.orchestrator.start_execution({ workflow_id: a.id, input: [] })).id);
            const executions = unwrapOk(await env.orchestrator.list_executions({ workflow_id: [], status: [], page: { cursor: [], limit: 100 }, order: [] }));
            expect(executions.items.map((x) => x.id)).toEqual(started.slice(0, cap));
            expect(executions.next_cursor).toEqual([started[cap - 1]]);
        } finally {
            await pic.tearDown();
        }
    });

    it('are rebuilt by timer after an upgrade from a release without them: listings complete, waits and deadlines fire', async () => {
        const [orchestratorV0, executorV0] = [await releaseWasm(PRE_INDEX_RELEASE, 'orchestrator'), await releaseWasm(PRE_INDEX_RELEASE, 'executor')];
        const pic = await createPic();
        try {
            const env = await deployDrillEnv(pic);
            for (const [role, wasm] of [['orchestrator', orchestratorV0], ['executor', executorV0]] as const) {
                await pic.reinstallCode({ canisterId: env.deployment.peers[role], wasm, arg: encodeDeploymentArg(env.deployment.config), sender: env.deployment.controller });
            }
            await pic.tick(3);
            const waits = unwrapOk(await env.orchestrator.create_workflow(delayDefinition(30_000)));
            const timesOut = unwrapOk(await env.orchestrator.create_workflow(delayDefinition(HOUR_MS, { timeoutMs: 20_000 })));
            const started: string[] = [];
            for (const w of [waits, timesOut, waits]) started.push(unwrapOk(await env.orchestrator.start_execution({ workflow_id: w.id, input: [] })).id);
            await pic.tick(6);

            await upgradeDeflowCanister(pic, env.deployment, 'executor');
            await upgradeDeflowCanister(pic, env.deployment, 'orchestrator');
            await pic.tick(5);
            expect(await workflowIds(env)).toEqual([waits.id, timesOut.id]);
            expect(await listAll(env, {})).toEqual(started);
            expect(await listAll(env, { workflow_id: waits.id, order: 'NewestFirst' })).toEqual([started[2], started[0]]);

            // The executor's scheduled waits and the orchestrator's execution deadline come from the rebuilt indexes.
            await advance(pic, 31_000, 10);
            const status = async (id: string): Promise<string> => Object.keys(unwrapOk(await env.orchestrator.get_execution({ execution_id: id })).status)[0]!;
            expect([await status(started[0]!), await status(started[1]!), await status(started[2]!)]).toEqual(['Succeeded', 'Failed', 'Succeeded']);
        } finally {
            await pic.tearDown();
        }
    });
});
