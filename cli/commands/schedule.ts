/** `deflow schedule add|list|show|pause|resume|cancel`. */
import type { DeflowClient } from '../../client';
import type { FiringOutcome } from '../../shared/scheduling/firing';
import type { MissedRunPolicy, OverlapPolicy, Schedule, ScheduleHold, ScheduleKind, SchedulePolicies } from '../../shared/scheduling/schedule';
import { DEFAULT_POLICIES } from '../../shared/scheduling/schedule';
import type { ScheduleDetails } from '../../shared/scheduling/service';
import { MAX_PAGE_SIZE } from '../../shared/common/page';
import type { OptionValues } from '../args';
import { parseTime, positiveInt } from '../args';
import type { Command } from '../context';
import { CliError } from '../errors';
import { formatFields, formatTable, formatTime, tagText } from '../output';
import { conditionText, conditionTriggerOf } from './condition';
import { parseInput } from './executions';

/**
 * The schedule kind from exactly one of `--cron EXPR`, `--every SECONDS`, `--at TIME`,
 * `--heartbeat`, `--when JSON|@FILE` (a condition trigger, see `./condition.ts`).
 *
 * @example
 * scheduleKindOf({ every: '3600' }) // { Interval: { every_seconds: 3600n, start_at: [], end_at: [] } }
 */
export function scheduleKindOf(options: OptionValues): ScheduleKind {
    const given = (['cron', 'every', 'at', 'heartbeat', 'when'] as const).filter((k) => options[k] !== undefined);
    if (given.length !== 1) throw new CliError('Usage', 'give exactly one of --cron EXPR, --every SECONDS, --at TIME, --heartbeat, --when JSON|@FILE');
    if (options.when !== undefined) return { Condition: conditionTriggerOf(parseInput(options.when)!) };
    if (options.cron !== undefined) return { Cron: { expression: options.cron } };
    if (options.every !== undefined) return { Interval: { every_seconds: BigInt(positiveInt(options.every, 'every', 1)), start_at: [], end_at: [] } };
    if (options.at !== undefined) return { Once: { at: parseTime(options.at, 'at') } };
    return { EveryHeartbeat: null };
}

/** `--missed skip|once|all:N` and `--overlap skip|buffer|allow` over the defaults. */
export function schedulePoliciesOf(options: OptionValues): SchedulePolicies | undefined {
    if (options.missed === undefined && options.overlap === undefined) return undefined;
    let missed: MissedRunPolicy = DEFAULT_POLICIES.missed_run;
    if (options.missed !== undefined) {
        const m = /^(skip|once|all:(\d+))$/.exec(options.missed);
        if (m === null) throw new CliError('Usage', `--missed must be skip, once or all:N, got "${options.missed}"`);
        missed = m[1] === 'skip' ? { Skip: null } : m[1] === 'once' ? { RunOnce: null } : { RunAll: { cap: Number(m[2]) } };
    }
    let overlap: OverlapPolicy = DEFAULT_POLICIES.overlap;
    if (options.overlap !== undefined) {
        const table: Record<string, OverlapPolicy> = { skip: { Skip: null }, buffer: { BufferOne: null }, allow: { Allow: null } };
        const o = table[options.overlap];
        if (o === undefined) throw new CliError('Usage', `--overlap must be skip, buffer or allow, got "${options.overlap}"`);
        overlap = o;
    }
    return { missed_run: missed, overlap };
}

/** `cron 0 9 * * *`, `every 3600s`, `once 2030-…`, `every heartbeat`. */
export function kindText(kind: ScheduleKind): string {
    if ('Cron' in kind) return `cron ${kind.Cron.expression}`;
    if ('Interval' in kind) return `every ${kind.Interval.every_seconds}s`;
    if ('Once' in kind) return `once ${formatTime(kind.Once.at)}`;
    if ('Condition' in kind) return conditionText(kind.Condition);
    return 'every heartbeat';
}

/** `paused`, `held: workflow paused`, `ended`, `active`. The owner's pause shows first. */
export function stateText(s: Schedule): string {
    if (s.paused) return 'paused';
    const hold = s.hold[0];
    if (hold !== undefined) return `held: ${holdText(hold)}`;
    return s.next_due_at.length === 0 ? 'ended' : 'active';
}

/** Why a schedule follows its workflow, in a few words. */
export function holdText(hold: ScheduleHold): string {
    if ('WorkflowPaused' in hold) return 'workflow paused';
    if ('WorkflowDeleted' in hold) return 'workflow deleted';
    return `input rejected (${hold.InputRejected.field} ${hold.InputRejected.message})`;
}

function scheduleRow(s: Schedule): string[] {
    return [s.id, s.workflow_id, kindText(s.kind), stateText(s), formatTime(s.next_due_at[0]), `${tagText(s.policies.missed_run)}/${tagText(s.policies.overlap)}`];
}

const HEADERS = ['ID', 'WORKFLOW', 'WHEN', 'STATE', 'NEXT DUE', 'MISSED/OVERLAP'];

/** What became of one due time, in a few words. */
export function outcomeText(outcome: FiringOutcome): string {
    if ('Started' in outcome) return `started ${outcome.Started.execution_id}`;
    if ('Pending' in outcome) return 'starting';
    if ('Skipped' in outcome) return `skipped (${tagText(outcome.Skipped.reason)}${outcome.Skipped.runs > 1n ? `, ${outcome.Skipped.runs} runs` : ''})`;
    const failure = outcome.Failed.failure;
    return `failed after ${outcome.Failed.attempts} attempts: ${'Refused' in failure ? `refused (${tagText(failure.Refused.error)})` : `unreachable (${failure.Unreachable.message})`}`;
}

/** Human view of `get_schedule`: the schedule and its recent firings, newest last. */
export function scheduleDetailLines(d: ScheduleDetails): string[] {
    const s = d.schedule;
    const fields = formatFields([
        ['id', s.id],
        ['workflow', s.workflow_id],
        ['owner', s.owner.toText()],
        ['when', kindText(s.kind)],
        ['state', stateText(s)],
        ['input', s.input],
        ['next due', formatTime(s.next_due_at[0])],
        ['last fired', formatTime(s.last_fired_at[0])],
        ['missed/overlap', `${tagText(s.policies.missed_run)}/${tagText(s.policies.overlap)}`],
        ['in flight', s.in_flight.length === 0 ? '-' : s.in_flight.join(', ')]
    ]);
    const firings = d.recent_firings.length === 0 ? ['no firings yet'] : formatTable(['DUE', 'ACTED', 'OUTCOME'], d.recent_firings.map((f) => [formatTime(f.due_at), formatTime(f.started_at), outcomeText(f.outcome)]));
    return [...fields, '', ...firings];
}

/** `schedule cancel|pause|resume <id>`: one call that answers the schedule. */
function scheduleChange(verb: 'cancel' | 'pause' | 'resume', summary: string, done: string, call: (client: DeflowClient, id: string) => Promise<Schedule>): Command {
    return {
        words: ['schedule', verb],
        synopsis: '<schedule-id>',
        summary,
        options: [],
        args: { min: 1, max: 1 },
        async run(ctx, [id]) {
            const s = await call(await ctx.client(), id!);
            ctx.show(s, () => [`${done} schedule ${s.id}${s.paused || verb === 'cancel' ? '' : `, next due ${formatTime(s.next_due_at[0])}`}`]);
        }
    };
}

export const scheduleCommands: Command[] = [
    {
        words: ['schedule', 'add'],
        synopsis: '<workflow-id>',
        summary: 'schedule a workflow: --cron EXPR | --every SECONDS | --at TIME | --heartbeat | --when JSON|@FILE (condition trigger) [--missed skip|once|all:N] [--overlap skip|buffer|allow] [--input JSON|@FILE]',
        options: ['cron', 'every', 'at', 'heartbeat', 'when', 'missed', 'overlap', 'input'],
        args: { min: 1, max: 1 },
        async run(ctx, [workflowId]) {
            const kind = scheduleKindOf(ctx.options);
            const policies = schedulePoliciesOf(ctx.options);
            const input = parseInput(ctx.options.input);
            const s = await (await ctx.client()).schedules.add(workflowId!, kind, policies, input);
            const hold = s.hold[0];
            ctx.show(s, () => [`created schedule ${s.id}: ${kindText(s.kind)}, ${hold === undefined ? `next due ${formatTime(s.next_due_at[0])}` : `held (${holdText(hold)})`}`]);
        }
    },
    {
        words: ['schedule', 'list'],
        synopsis: '',
        summary: `the caller's schedules (--workflow ID, --limit N up to ${MAX_PAGE_SIZE}, --cursor ID for the next page)`,
        options: ['workflow', 'limit', 'cursor'],
        args: { min: 0, max: 0 },
        async run(ctx) {
            const limit = ctx.options.limit === undefined ? undefined : positiveInt(ctx.options.limit, 'limit', MAX_PAGE_SIZE);
            if (limit !== undefined && limit > MAX_PAGE_SIZE) throw new CliError('Usage', `--limit is at most ${MAX_PAGE_SIZE} (one page); follow --cursor for more`);
            const page = await (await ctx.client()).schedules.list({ workflowId: ctx.options.workflow, limit, cursor: ctx.options.cursor });
            const next = page.next_cursor[0];
            ctx.show({ items: page.items, nextCursor: next }, () => {
                if (page.items.length === 0) return ['no schedules'];
                const table = formatTable(HEADERS, page.items.map(scheduleRow));
                return next === undefined ? table : [...table, '', `more: add --cursor ${next} for the next page`];
            });
        }
    },
    {
        words: ['schedule', 'show'],
        synopsis: '<schedule-id>',
        summary: 'a schedule and what became of its recent due times',
        options: [],
        args: { min: 1, max: 1 },
        async run(ctx, [id]) {
            const d = await (await ctx.client()).schedules.get(id!);
            ctx.show(d, () => scheduleDetailLines(d));
        }
    },
    scheduleChange('pause', 'pause a schedule (due times pass without runs until resumed)', 'paused', (client, id) => client.schedules.pause(id)),
    scheduleChange('resume', 'resume a paused schedule', 'resumed', (client, id) => client.schedules.resume(id)),
    scheduleChange('cancel', 'cancel a schedule', 'cancelled', (client, id) => client.schedules.cancel(id))
];
