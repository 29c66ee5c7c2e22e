/** A rolling upgrade of all four canisters (and both owners' agents, on two subnets), then upgrades in a row under continuous load. */
import { PEER_ROLES } from '../../../shared/common/deployment';
import { drill, expectPassed } from '../support/drills';

jest.setTimeout(600_000);

describe('Drills > rolling upgrades', () => {
    it('upgrades all four in turn with nothing lost or run twice', async () => {
        const result = await drill('rolling', PEER_ROLES);
        expectPassed(result);
        expect(result.upgrades.map((u) => u.role)).toEqual([...PEER_ROLES]);
        for (const role of PEER_ROLES) expect(result.after.versions[role].canister_version).toBeGreaterThan(result.before.versions[role].canister_version);
        // Both owners' agents, one on each application subnet, are upgraded after the executor with executions waiting on them (none failed).
        const subnets = result.before.agents.map((a) => a.subnet);
        expect(subnets).toHaveLength(2);
        expect(new Set(subnets).size).toBe(2);
        expect(result.after.agents.map((a) => a.subnet)).toEqual(subnets);
        const executorUpgrade = result.upgrades.find((u) => u.role === 'executor');
        expect(executorUpgrade?.agents).toEqual({ upgraded: 2, failed: [] });
        expect(executorUpgrade?.startedWhileDown.length).toBeGreaterThan(0);
    });

    it('survives two rolling rounds in a row under continuous load', async () => {
        const result = await drill('two rounds', PEER_ROLES, { rounds: 2 });
        expectPassed(result);
        expect(result.upgrades).toHaveLength(8);
        expect(result.upgrades.flatMap((u) => u.startedWhileDown).length).toBeGreaterThan(0);
    });
});
