import { Principal } from '@dfinity/principal';

import { agentLines } from './agent';

const owner = Principal.fromText('2vxsx-fae');
const agent = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');

describe('CLI > agent', () => {
    it('shows the agent principal once it is ready', () => {
        const lines = agentLines({ owner, status: { Ready: null }, agent: [agent], funding: [] }).join('\n');
        expect(lines).toContain(agent.toText());
        expect(lines).toContain('Ready');
    });

    it('says the agent is being created while it is requested', () => {
        const lines = agentLines({ owner, status: { Requested: null }, agent: [], funding: [] }).join('\n');
        expect(lines).toContain('Requested');
        expect(lines).toContain('being created');
    });

    it('says runs wait while the agent is underfunded, and how many', () => {
        const short = agentLines({ owner, status: { Ready: null }, agent: [agent], funding: [{ balance: 150n, checked_at: 0n, minimum: 200n, underfunded: true, waiting_runs: 3 }] }).join('\n');
        expect(short).toContain('UNDERFUNDED: 3 run(s) wait');
        const funded = agentLines({ owner, status: { Ready: null }, agent: [agent], funding: [{ balance: 250n, checked_at: 0n, minimum: 200n, underfunded: false, waiting_runs: 0 }] }).join('\n');
        expect(funded).toContain('250');
        expect(funded).not.toContain('UNDERFUNDED');
    });
});
