import { AGENT_UPGRADE_MAX_BATCH } from '../../../../shared/agent/executor-agent-api';
import { agentUpgradeBatch, firstIndexAfter, isRefusedUnrun, upgradeInSteps, type UpgradeStepCall } from './agent-upgrade';

const AGENT = 'rrkah-fqaaa-aaaaa-aaaaq-cai';

describe('upgrade_agents batches', () => {
    it('clamps the limit to the maximum, takes the maximum by default and refuses 0', () => {
        expect(agentUpgradeBatch(undefined)).toEqual({ Ok: AGENT_UPGRADE_MAX_BATCH });
        expect(agentUpgradeBatch(3)).toEqual({ Ok: 3 });
        expect(agentUpgradeBatch(1_000_000)).toEqual({ Ok: AGENT_UPGRADE_MAX_BATCH });
        expect(Object.keys(agentUpgradeBatch(0))).toEqual(['Err']);
    });

    it('continues after the cursor, whether or not it is a stored key', () => {
        const keys = ['a', 'c', 'e', 'g'];
        const at = (i: number): string => keys[i];
        expect(firstIndexAfter(keys.length, at, undefined)).toBe(0);
        expect(firstIndexAfter(keys.length, at, 'c')).toBe(2);
        expect(firstIndexAfter(keys.length, at, 'd')).toBe(2);
        expect(firstIndexAfter(keys.length, at, 'g')).toBe(4);
        expect(firstIndexAfter(0, at, 'a')).toBe(0);
    });
});

describe('a reject of a call to an agent', () => {
    it('proves the call never ran only when the IC refused it for a stopping or stopped agent', () => {
        expect(isRefusedUnrun(AGENT, 5, `Canister ${AGENT} is stopped`)).toBe(true);
        expect(isRefusedUnrun(AGENT, 5, `Canister ${AGENT} is stopping`)).toBe(true);
    });

    it('is the outcome of the attempt otherwise: a trap after the agent called its target, another canister, another code', () => {
        expect(isRefusedUnrun(AGENT, 5, `Error from Canister ${AGENT}: Canister called \`ic0.trap\` with message: 'Canister ${AGENT} is stopped'.`)).toBe(false);
        expect(isRefusedUnrun(AGENT, 5, 'Canister aaaaa-aa is stopped')).toBe(false);
        expect(isRefusedUnrun(AGENT, 4, `Canister ${AGENT} is stopped`)).toBe(false);
        expect(isRefusedUnrun(AGENT, 2, 'call_perform failed (queue full or canister stopping)')).toBe(false);
    });
});

describe("an agent's upgrade", () => {
    /** Steps that record their order and fail where `failing` says. */
    function steps(failing: Partial<Record<'stop' | 'install' | 'start', string>>): { calls: string[]; steps: Record<'stop' | 'install' | 'start', UpgradeStepCall> } {
        const calls: string[] = [];
        const step = (name: 'stop' | 'install' | 'start'): UpgradeStepCall => async () => {
            calls.push(name);
            return failing[name];
        };
        return { calls, steps: { stop: step('stop'), install: step('install'), start: step('start') } };
    }

    it('stops, installs and starts', async () => {
        const s = steps({});
        expect(await upgradeInSteps(s.steps)).toEqual({ upgraded: true });
        expect(s.calls).toEqual(['stop', 'install', 'start']);
    });

    it('starts the agent again after a failed stop, and reports the stop', async () => {
        const s = steps({ stop: 'stop rejected' });
        expect(await upgradeInSteps(s.steps)).toEqual({ upgraded: false, step: { Stop: null }, message: 'stop rejected', running: true });
        expect(s.calls).toEqual(['stop', 'start']);
    });

    it('starts the agent again after a failed install, and says when that start failed too', async () => {
        const s = steps({ install: 'post_upgrade trapped', start: 'start rejected' });
        expect(await upgradeInSteps(s.steps)).toEqual({ upgraded: false, step: { Install: null }, message: 'post_upgrade trapped', running: false });
        expect(s.calls).toEqual(['stop', 'install', 'start']);
    });

    it('reports a failed start as not running', async () => {
        expect(await upgradeInSteps(steps({ start: 'start rejected' }).steps)).toEqual({ upgraded: false, step: { Start: null }, message: 'start rejected', running: false });
    });
});
