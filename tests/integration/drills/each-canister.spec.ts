/**
 * Each canister upgraded alone, the way dfx does (stop, install in upgrade mode, start),
 * while the others keep receiving calls and 90 s of IC time pass: nothing lost, nothing run
 * twice, overdue schedules handled by their policy, everything finished afterwards.
 */
import { PEER_ROLES } from '../../../shared/common/deployment';
import { drill, expectPassed } from '../support/drills';

jest.setTimeout(300_000);

describe('Drills > each canister alone', () => {
    it.each(PEER_ROLES.map((role) => [role]))('%s', async (role) => {
        const result = await drill(`${role} alone`, [role]);
        expectPassed(result);
        const [upgrade] = result.upgrades;
        expect(upgrade?.calls.every((c) => c.ok)).toBe(true);
        // Work in every state survived: the snapshot before held running and finished executions.
        const statuses = new Set(Object.values(result.before.executions).map((x) => x.status));
        expect([...statuses].sort()).toEqual(expect.arrayContaining(['Cancelled', 'Failed', 'Running', 'Succeeded']));
        expect(result.after.effects.repay_count).toBeGreaterThan(0n);
        // The once-schedule that fell due while the canister was down started exactly once.
        const once = Object.values(result.after.schedules).find((s) => 'Once' in s.kind);
        expect(once?.firings.map((f) => f.outcome)).toEqual(['Started']);
    });
});
