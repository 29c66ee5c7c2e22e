import { Principal } from '@dfinity/principal';

import { roundTrip } from '../scheduling/round-trip';
import { AgentUpgradeArgsWire, AgentUpgradeReportWire, ExecutorAgentMethods } from './executor-agent-api';

const p = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');

describe('executor agent contracts', () => {
    it('lists the executor methods for agents', () => {
        expect(Object.keys(ExecutorAgentMethods).sort()).toEqual(['ensure_agent', 'get_agent', 'get_agent_subnets', 'set_agent_module', 'set_agent_subnets', 'upgrade_agents', 'upload_agent_module_chunk']);
    });

    it('round-trips an upgrade batch request and its report (Candid and zod agree)', () => {
        for (const args of [{ cursor: [] as [], limit: [] as [] }, { cursor: ['owner'] as [string], limit: [3] as [number] }]) expect(roundTrip(AgentUpgradeArgsWire, args)).toEqual(args);
        const report = { upgraded: 1, failed: [{ owner: p, agent: p, step: { Stop: null }, running: true, message: 'stop rejected' }], next_cursor: ['owner'] as [string] };
        expect(roundTrip(AgentUpgradeReportWire, report)).toEqual(report);
    });

    it('refuses a report whose failure names no step', () => {
        expect(() => AgentUpgradeReportWire.schema.parse({ upgraded: 0, failed: [{ owner: p, agent: p, running: false, message: 'x' }], next_cursor: [] })).toThrow();
    });
});
