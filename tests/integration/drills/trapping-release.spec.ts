/**
 * A release whose post_upgrade traps, installed over the scheduler the way dfx does: the IC
 * refuses the upgrade, the scheduler is started again on its old code with all its state, and
 * the rest of the system never notices (every call to the others succeeds, nothing is lost,
 * the schedules keep firing).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { buildCanisters } from '../../../scripts/build-canisters';
import { drill, expectPassed } from '../support/drills';

jest.setTimeout(300_000);

const FIXTURE = resolve(__dirname, '..', '..', '..', 'drill', 'fixtures', 'trapping-release');

describe('Drills > a release whose post_upgrade traps', () => {
    let wasm: Uint8Array;

    beforeAll(async () => {
        await buildCanisters(FIXTURE);
        wasm = new Uint8Array(readFileSync(resolve(FIXTURE, '.azle', 'trapping_release', 'trapping_release.wasm')));
    });

    it('is refused over the scheduler; the old code keeps running with all its state', async () => {
        const result = await drill('trapping release over the scheduler', ['scheduler'], { wasm: { scheduler: wasm }, expectRefusal: true });
        expectPassed(result);
        const [upgrade] = result.upgrades;
        expect(upgrade?.refused).toContain('post_upgrade refuses on purpose');
        expect(upgrade?.calls.every((c) => c.ok)).toBe(true);
        const before = result.before.versions.scheduler;
        const after = result.after.versions.scheduler;
        expect({ canister: after.canister, schema: after.schema_version, build: after.build_id }).toEqual({ canister: before.canister, schema: before.schema_version, build: before.build_id });
        // Still the scheduler: every schedule kept, and they kept firing after the refusal.
        for (const [id, s] of Object.entries(result.before.schedules)) expect(result.after.schedules[id]?.firings.length ?? 0).toBeGreaterThanOrEqual(s.firings.length);
        const firingsAfter = Object.values(result.after.schedules).flatMap((s) => s.firings).filter((f) => f.started_at > result.before.at);
        expect(firingsAfter.length).toBeGreaterThan(0);
    });
});
