/**
 * Schema migration under load: the scheduler of the last v1 release (built from git history,
 * see drill/releases.ts) writes schedules and firings, then is upgraded like dfx to the
 * current code (schema v2, `last_fired_at`). Old records read correctly, a timer rewrites them
 * all in v2, new records carry the field, and the drill finds nothing lost or run twice.
 */
import { liquidationInput } from '../../../drill/workflows';
import { encodeDeploymentArg } from '../../../shared/common/deployment';
import { deployDrillEnv } from '../../../drill/env';
import { advance, icNow, TEST_PROFILE } from '../../../drill/load';
import { releaseWasm, SCHEDULER_V1_RELEASE } from '../../../drill/releases';
import { unwrapOk } from '../../../drill/result';
import { runDrillOn } from '../../../drill/run';
import { SCHEDULE_SCHEMA_VERSION } from '../../../shared/scheduling/schedule';
import { expectPassed } from '../support/drills';
import { createPic } from '../support/pic';

jest.setTimeout(300_000);

describe('Drills > scheduler schema migration v1 → v2', () => {
    it('upgrades v1 records in place: read correctly, migrated by timer, new ones carry last_fired_at', async () => {
        const v1 = await releaseWasm(SCHEDULER_V1_RELEASE, 'scheduler');
        const pic = await createPic();
        try {
            const env = await deployDrillEnv(pic);
            await pic.reinstallCode({ canisterId: env.deployment.peers.scheduler, wasm: v1, arg: encodeDeploymentArg(env.deployment.config), sender: env.deployment.controller });
            await pic.tick(3);

            const result = await runDrillOn(env, { scenario: 'scheduler v1 → v2', order: ['scheduler'], rounds: 1, profile: TEST_PROFILE, expected: { scheduler: { schema_version: SCHEDULE_SCHEMA_VERSION } } });
            expectPassed(result);
            expect(result.before.versions.scheduler.schema_version).toBe(1);
            expect(result.after.versions.scheduler.schema_version).toBe(SCHEDULE_SCHEMA_VERSION);

            for (const old of Object.values(result.before.schedules)) {
                expect(old.schema_version).toBe(1);
                expect(old.last_fired_at).toBeUndefined();
                const now = result.after.schedules[old.id]!;
                // Read correctly: the v1 fields are unchanged, the record is rewritten in v2 by the migration timer.
                expect({ kind: now.kind, created_at: now.created_at, missed_run: now.missed_run }).toEqual({ kind: old.kind, created_at: old.created_at, missed_run: old.missed_run });
                expect(now.schema_version).toBe(SCHEDULE_SCHEMA_VERSION);
                const newest = now.firings.reduce<bigint | undefined>((m, f) => (m === undefined || f.started_at > m ? f.started_at : m), undefined);
                expect(now.last_fired_at).toEqual(newest);
            }

            const at = (await icNow(pic)) + 5_000_000_000n;
            const workflowId = Object.values(result.after.executions)[0]!.workflow_id;
            const created = unwrapOk(await env.scheduler.schedule_workflow_execution({ workflow_id: workflowId, kind: { Once: { at } }, policies: [], owner: [], input: liquidationInput(1n) }));
            expect({ version: created.schema_version, last: created.last_fired_at }).toEqual({ version: SCHEDULE_SCHEMA_VERSION, last: [] });
            await advance(pic, 10_000, 3);
            const fired = unwrapOk(await env.scheduler.get_schedule(created.id));
            expect(fired.schedule.last_fired_at).toEqual([fired.recent_firings[0]!.started_at]);
        } finally {
            await pic.tearDown();
        }
    });
});
