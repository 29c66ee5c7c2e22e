/** `deflow agent`: the caller's agent, the principal their call nodes go out from. */
import type { OwnerAgentWire } from '../../shared/workflow/owner-api';
import type { Command } from '../context';
import { formatFields, formatTime, tagText, toJson } from '../output';

/** Human view of `get_agent`. */
export function agentLines(a: OwnerAgentWire): string[] {
    const agent = a.agent[0];
    const funding = a.funding[0];
    return formatFields([
        ['owner', a.owner.toText()],
        ['status', tagText(a.status)],
        ['agent', agent === undefined ? '(being created: ask again in a moment)' : agent.toText()],
        ['cycles', funding === undefined ? '(not read yet)' : `${funding.balance} (read ${formatTime(funding.checked_at)}; new runs need ${funding.minimum})`],
        ...(funding?.underfunded === true ? ([['funding', `UNDERFUNDED: ${funding.waiting_runs} run(s) wait; top the agent up (deposit_cycles to it, or top_up_agent) and they start`]] as const) : []),
        ['note', 'every call node of yours is made by this principal: grant it access on the canisters your workflows call']
    ]);
}

export const agentCommands: Command[] = [
    {
        words: ['agent'],
        synopsis: '',
        summary: 'your agent: the principal all your call nodes go out from (known right after your first workflow)',
        options: [],
        args: { min: 0, max: 0 },
        async run(ctx) {
            const a = await (await ctx.client()).agent();
            if (ctx.json) ctx.out.out(toJson(a));
            else for (const line of agentLines(a)) ctx.out.out(line);
        }
    }
];
