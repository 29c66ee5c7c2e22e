import { Principal } from '@dfinity/principal';

import { agentLines } from './agent';

const owner = Principal.fromText('2vxsx-fae');
const agent = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');

describe('CLI > agent', () => {
    it('shows the agent principal once it is ready', () => {
        const lines = agentLines({ owner, status: { Ready: null }, agent: [agent] }).join('\n');
        expect(lines).toContain(agent.toText());
        expect(lines).toContain('Ready');
    });

    it('says the agent is being created while it is requested', () => {
        const lines = agentLines({ owner, status: { Requested: null }, agent: [] }).join('\n');
        expect(lines).toContain('Requested');
        expect(lines).toContain('being created');
    });
});
