/**
 * The scheduler's listing index (docs/architecture.md, Scale): `list_persistent_scheduled_executions`
 * pages through the owner's, the workflow's or all schedules from its cursor, only the caller's
 * unless privileged; after an upgrade from a release without the index, a timer rebuilds it
 * from the stored schedules.
 */
import { createIdentity } from '@dfinity/pic';

import { encodeDeploymentArg } from '../../../shared/common/deployment';
import { deflowActor, upgradeDeflowCanister } from '../../../cli/deploy';
import { deployDrillEnv, type DrillEnv, type Identity } from '../../../drill/env';
import { PRE_INDEX_RELEASE, releaseWasm } from '../../../drill/releases';
import { unwrapOk } from '../../../drill/result';
import { delayDefinition } from '../../../drill/workflows';
import type { SchedulerService } from '../../../client/services';
import { schedulerIdlFactory } from '../../../shared/scheduling/service';
import { MAX_PAGE_SIZE } from '../../../shared/common/page';
import { createPic } from '../support/pic';

jest.setTimeout(600_000);

const HOURLY = { Interval: { every_seconds: 3600n, start_at: [] as [], end_at: [] as [] } };

type Filter = { workflow_id?: string; owner?: Identity };

/** Every page of a listing, `limit` at a time, as `as` sees it. */
async function listAll(env: DrillEnv, as: Identity, filter: Filter, limit = 2): Promise<string[]> {
    const scheduler = deflowActor<SchedulerService>(env.pic, env.deployment, 'scheduler', schedulerIdlFactory, as);
    const ids: string[] = [];
    let cursor: [] | [string] = [];
    for (;;) {
        const page: { items: { id: string }[]; next_cursor: [] | [string] } = unwrapOk(
            await scheduler.list_persistent_scheduled_executions({
                workflow_id: filter.workflow_id === undefined ? [] : [filter.workflow_id],
                owner: filter.owner === undefined ? [] : [filter.owner.getPrincipal()],
                cursor,
                limit: [limit]
            })
        );
        ids.push(...page.items.map((s) => s.id));
        if (page.next_cursor.length === 0) return ids;
        cursor = page.next_cursor;
    }
}

async function schedule(env: DrillEnv, workflowId: string): Promise<string> {
    return unwrapOk(await env.scheduler.schedule_workflow_execution({ workflow_id: workflowId, kind: HOURLY, policies: [], owner: [], input: [] })).id;
}

describe('Scale > scheduler listing index', () => {
    it('lists each owner’s and each workflow’s schedules in order from a cursor, only the caller’s unless privileged', async () => {
        const pic = await createPic();
        try {
            const env = await deployDrillEnv(pic);
            const stranger = createIdentity('listing-stranger');
            const [a, b] = [unwrapOk(await env.orchestrator.create_workflow(delayDefinition(1))), unwrapOk(await env.orchestrator.create_workflow(delayDefinition(2)))];
            env.orchestrator.setIdentity(stranger);
            const theirs = unwrapOk(await env.orchestrator.create_workflow(delayDefinition(1)));
            env.orchestrator.setIdentity(env.owner);
            const mine: string[] = [];
            for (const w of [a, b, a]) mine.push(await schedule(env, w.id));
            env.scheduler.setIdentity(stranger);
            const strangers = await schedule(env, theirs.id);
            env.scheduler.setIdentity(env.owner);
            for (const w of [b, a]) mine.push(await schedule(env, w.id));

            expect(await listAll(env, env.owner, {})).toEqual(mine);
            expect(await listAll(env, env.owner, { workflow_id: a.id })).toEqual([mine[0], mine[2], mine[4]]);
            // Another owner's workflow lists nothing of theirs, and an owner filter is forced to the caller.
            expect(await listAll(env, env.owner, { workflow_id: theirs.id })).toEqual([]);
            expect(await listAll(env, env.owner, { owner: stranger })).toEqual(mine);
            expect(await listAll(env, stranger, {})).toEqual([strangers]);
            // Admins list everyone's, by owner and by workflow.
            expect(await listAll(env, env.admin, {}, 4)).toEqual([mine[0], mine[1], mine[2], strangers, mine[3], mine[4]]);
            expect(await listAll(env, env.admin, { owner: stranger })).toEqual([strangers]);
            expect(await listAll(env, env.admin, { workflow_id: b.id, owner: env.owner })).toEqual([mine[1], mine[3]]);

            // A cancelled schedule leaves every listing; its id still works as a cursor.
            unwrapOk(await env.scheduler.cancel_persistent_execution(mine[2]!));
            expect(await listAll(env, env.owner, { workflow_id: a.id })).toEqual([mine[0], mine[4]]);
            const after = unwrapOk(await env.scheduler.list_persistent_scheduled_executions({ workflow_id: [], owner: [], cursor: [mine[2]!], limit: [10] }));
            expect(after.items.map((s) => s.id)).toEqual([mine[3], mine[4]]);
            expect(after.next_cursor).toEqual([]);

            // A page holds at most MAX_PAGE_SIZE, whatever limit is asked; the cursor goes on.
            const more: string[] = [];
            for (let k = 0; k < MAX_PAGE_SIZE; k++) more.push(await schedule(env, b.id));
            const full = unwrapOk(await env.scheduler.list_persistent_scheduled_executions({ workflow_id: [b.id], owner: [], cursor: [], limit: [100] }));
            expect(full.items.map((s) => s.id)).toEqual([mine[1], mine[3], ...more].slice(0, MAX_PAGE_SIZE));
            expect(full.next_cursor).toEqual([full.items[MAX_PAGE_SIZE - 1]!.id]);
            expect(await listAll(env, env.owner, { workflow_id: b.id }, 100)).toEqual([mine[1], mine[3], ...more]);
        } finally {
            await pic.tearDown();
        }
    });

    it('is rebuilt by timer after an upgrade from a release without it, and keeps schedules created since', async () => {
        const schedulerV0 = await releaseWasm(PRE_INDEX_RELEASE, 'scheduler');
        const pic = await createPic();
        try {
            const env = await deployDrillEnv(pic);
            await pic.reinstallCode({ canisterId: env.deployment.peers.scheduler, wasm: schedulerV0, arg: encodeDeploymentArg(env.deployment.config), sender: env.deployment.controller });
            await pic.tick(3);
            const [a, b] = [unwrapOk(await env.orchestrator.create_workflow(delayDefinition(1))), unwrapOk(await env.orchestrator.create_workflow(delayDefinition(2)))];
            const before: string[] = [];
            for (const w of [a, b, a]) before.push(await schedule(env, w.id));

            await upgradeDeflowCanister(pic, env.deployment, 'scheduler');
            await pic.tick(3);
            const since = await schedule(env, b.id);
            expect(await listAll(env, env.owner, {})).toEqual([...before, since]);
            expect(await listAll(env, env.owner, { workflow_id: b.id })).toEqual([before[1], since]);
            expect(await listAll(env, env.admin, {})).toEqual([...before, since]);
        } finally {
            await pic.tearDown();
        }
    });
});
