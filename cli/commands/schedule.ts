/** `deflow schedule add|list|cancel`. */
import type { MissedRunPolicy, OverlapPolicy, Schedule, ScheduleKind, SchedulePolicies } from '../../shared/scheduling/schedule';
import { DEFAULT_POLICIES } from '../../shared/scheduling/schedule';
import type { OptionValues } from '../args';
import { parseTime, positiveInt } from '../args';
import type { Command } from '../context';
import { CliError } from '../errors';
import { formatTable, formatTime, tagText, toJson } from '../output';

/**
 * The schedule kind from exactly one of `--cron EXPR`, `--every SECONDS`, `--at TIME`, `--heartbeat`.
 *
 * @example
 * scheduleKindOf({ every: '3600' }) // { Interval: { every_seconds: 3600n, start_at: [], end_at: [] } }
 */
export function scheduleKindOf(options: OptionValues): ScheduleKind {
    const given = (['cron', 'every', 'at', 'heartbeat'] as const).filter((k) => options[k] !== undefined);
    if (given.length !== 1) throw new CliError('Usage', 'give exactly one of --cron EXPR, --every SECONDS, --at TIME, --heartbeat');
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
    return 'every heartbeat';
}

function scheduleRow(s: Schedule): string[] {
    return [s.id, s.workflow_id, kindText(s.kind), s.paused ? 'paused' : s.next_due_at.length === 0 ? 'ended' : 'active', formatTime(s.next_due_at[0]), `${tagText(s.policies.missed_run)}/${tagText(s.policies.overlap)}`];
}

const HEADERS = ['ID', 'WORKFLOW', 'WHEN', 'STATE', 'NEXT DUE', 'MISSED/OVERLAP'];

export const scheduleCommands: Command[] = [
    {
        words: ['schedule', 'add'],
        synopsis: '<workflow-id>',
        summary: 'schedule a workflow: --cron EXPR | --every SECONDS | --at TIME | --heartbeat [--missed skip|once|all:N] [--overlap skip|buffer|allow]',
        options: ['cron', 'every', 'at', 'heartbeat', 'missed', 'overlap'],
        args: { min: 1, max: 1 },
        async run(ctx, [workflowId]) {
            const kind = scheduleKindOf(ctx.options);
            const policies = schedulePoliciesOf(ctx.options);
            const s = await (await ctx.client()).schedules.add(workflowId!, kind, policies);
            if (ctx.json) ctx.out.out(toJson(s));
            else ctx.out.out(`created schedule ${s.id}: ${kindText(s.kind)}, next due ${formatTime(s.next_due_at[0])}`);
        }
    },
    {
        words: ['schedule', 'list'],
        synopsis: '',
        summary: "list the caller's schedules (--workflow ID)",
        options: ['workflow', 'limit'],
        args: { min: 0, max: 0 },
        async run(ctx) {
            const limit = ctx.options.limit === undefined ? undefined : positiveInt(ctx.options.limit, 'limit', 100);
            const page = await (await ctx.client()).schedules.list({ workflowId: ctx.options.workflow, limit });
            if (ctx.json) return ctx.out.out(toJson(page.items));
            if (page.items.length === 0) return ctx.out.out('no schedules');
            for (const line of formatTable(HEADERS, page.items.map(scheduleRow))) ctx.out.out(line);
        }
    },
    {
        words: ['schedule', 'cancel'],
        synopsis: '<schedule-id>',
        summary: 'cancel a schedule',
        options: [],
        args: { min: 1, max: 1 },
        async run(ctx, [id]) {
            const s = await (await ctx.client()).schedules.cancel(id!);
            if (ctx.json) ctx.out.out(toJson(s));
            else ctx.out.out(`cancelled schedule ${s.id}`);
        }
    }
];
