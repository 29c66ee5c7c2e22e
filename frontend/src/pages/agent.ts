/** The owner's agent (the principal their call nodes go out from), its balance and how to top it up. */
import { Actor } from '@dfinity/agent';
import type { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

import { AGENT_MIN_BALANCE, agentIdlFactory, type AgentInfo } from '../../../shared/agent/api';
import { errorBox, h, mount } from '../dom';
import { formatCycles, tagOf } from '../format';
import type { Session } from '../session';

type AgentActor = { get_agent_info: () => Promise<AgentInfo> };

async function agentInfo(session: Session, agent: Principal): Promise<AgentInfo> {
    return await Actor.createActor<AgentActor>(agentIdlFactory as unknown as IDL.InterfaceFactory, { agent: session.agent, canisterId: agent }).get_agent_info();
}

export function agentPage(root: HTMLElement, session: Session): void {
    const view = h('div', {}, 'Loading…');
    mount(root, h('h2', {}, 'Your agent'), view);
    void (async () => {
        try {
            const owner = await session.client.agent();
            const principal = owner.agent[0];
            if (principal === undefined) {
                mount(view, h('p', { 'data-testid': 'agent-status' }, `Status: ${tagOf(owner.status)}. The executor creates your agent right after your first workflow.`));
                return;
            }
            const info = await agentInfo(session, principal);
            const low = info.cycles < AGENT_MIN_BALANCE * 2n;
            mount(
                view,
                h('p', {}, 'Agent ', h('strong', { class: 'mono', 'data-testid': 'agent-principal' }, principal.toText()), ` (${tagOf(owner.status)})`),
                h('p', {}, 'Balance: ', h('strong', { 'data-testid': 'agent-balance', class: low ? 'bad' : 'good' }, formatCycles(info.cycles)), ` cycles (it keeps at least ${formatCycles(AGENT_MIN_BALANCE)} for itself)`),
                h('p', { class: low ? 'warn' : 'note', 'data-testid': 'top-up-hint' }, `Top up: send cycles to ${principal.toText()} (the management canister's deposit_cycles, from a cycles wallet or a canister you control). Grant this principal access on the canisters your workflows call.`)
            );
        } catch (error) {
            mount(view, errorBox(error));
        }
    })();
}
