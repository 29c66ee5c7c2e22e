/** `deflow run` and `deflow executions list|show|watch|cancel`. */
import { isTerminalStatus, type DeflowClient } from '../../client';
import { ExecutionStatusSchema, type Execution, type Trigger } from '../../shared/workflow/execution';
import { parseJson, type JsonValue } from '../../shared/workflow/json';
import { positiveInt } from '../args';
import type { Command, CommandContext } from '../context';
import { CliError, ExitCode } from '../errors';
import { formatFields, formatTable, formatTime, toJson } from '../output';

function triggerText(t: Trigger): string {
    switch (t.kind) {
        case 'Manual':
            return 'manual';
        case 'Schedule':
            return `schedule ${t.scheduleId}`;
        case 'Workflow':
            return `workflow ${t.executionId}`;
        case 'Dapp':
            return `dapp ${t.canister}`;
    }
}

/** The per-node table of an execution. */
export function executionLines(x: Execution): string[] {
    const fields = formatFields([
        ['id', x.id],
        ['workflow', `${x.workflowId} (version ${x.workflowVersion})`],
        ['status', x.status],
        ['trigger', triggerText(x.trigger)],
        ['input', x.input],
        ['created', formatTime(x.createdAt)],
        ['finished', formatTime(x.finishedAt)],
        ...(x.failure === undefined ? [] : [['failure', x.failure.kind === 'NodeFailed' ? `node ${x.failure.nodeId}: ${x.failure.message}` : `timed out at ${formatTime(x.failure.deadlineAt)}`] as const])
    ]);
    const rows = x.nodes.map((n) => [n.nodeId, n.status, String(n.attempts.length), n.error?.message ?? n.output ?? '-']);
    return [...fields, '', ...formatTable(['NODE', 'STATUS', 'ATTEMPTS', 'OUTPUT/ERROR'], rows)];
}

/** One progress line of `watch`: the status and each node's status. */
export function progressLine(x: Execution, now: Date = new Date()): string {
    return `${now.toISOString().slice(11, 19)} ${x.status.padEnd(9)} ${x.nodes.map((n) => `${n.nodeId}:${n.status}`).join(' ')}`;
}

function parseInput(text: string | undefined): JsonValue | undefined {
    if (text === undefined) return undefined;
    const parsed = parseJson(text);
    if (!parsed.ok) throw new CliError('BadInput', `--input is not valid JSON: ${parsed.message}`);
    return parsed.value;
}

/** Follows an execution to its end; the exit code says how it ended. */
async function watch(ctx: CommandContext, client: DeflowClient, executionId: string): Promise<ExitCode> {
    const intervalMs = positiveInt(ctx.options.interval, 'interval', 1000);
    const timeoutS = ctx.options.timeout === undefined ? undefined : positiveInt(ctx.options.timeout, 'timeout', 1);
    const signal = timeoutS === undefined ? undefined : AbortSignal.timeout(timeoutS * 1000);
    let final: Execution;
    try {
        final = await client.executions.watch(executionId, { intervalMs, signal, onUpdate: (x) => (ctx.json ? undefined : ctx.out.out(progressLine(x))) });
    } catch (error) {
        if (signal?.aborted === true && error === signal.reason) throw new CliError('ExecutionUnsuccessful', `execution ${executionId} did not finish within ${timeoutS}s`);
        throw error;
    }
    if (ctx.json) ctx.out.out(toJson(final));
    else for (const line of ['', ...executionLines(final)]) ctx.out.out(line);
    return final.status === 'Succeeded' ? ExitCode.Ok : ExitCode.ExecutionUnsuccessful;
}

export const executionCommands: Command[] = [
    {
        words: ['run'],
        synopsis: '<workflow-id>',
        summary: 'start an execution (--input JSON; --watch to follow it to the end)',
        options: ['input', 'watch', 'interval', 'timeout'],
        args: { min: 1, max: 1 },
        async run(ctx, [workflowId]) {
            const input = parseInput(ctx.options.input);
            const client = await ctx.client();
            const x = await client.executions.start(workflowId!, input);
            if (ctx.options.watch === true) {
                if (!ctx.json) ctx.out.out(`started execution ${x.id}`);
                return watch(ctx, client, x.id);
            }
            if (ctx.json) ctx.out.out(toJson(x));
            else ctx.out.out(`started execution ${x.id} (${x.status}); follow it with: deflow executions watch ${x.id}`);
        }
    },
    {
        words: ['executions', 'list'],
        synopsis: '',
        summary: 'list executions (--workflow ID, --status S, --limit N)',
        options: ['workflow', 'status', 'limit'],
        args: { min: 0, max: 0 },
        async run(ctx) {
            const status = ctx.options.status === undefined ? undefined : ExecutionStatusSchema.safeParse(ctx.options.status);
            if (status !== undefined && !status.success) throw new CliError('Usage', `--status must be one of ${ExecutionStatusSchema.options.join(', ')}`);
            const limit = positiveInt(ctx.options.limit, 'limit', 50);
            const page = await (await ctx.client()).executions.list({ workflowId: ctx.options.workflow, status: status?.data, limit });
            if (ctx.json) return ctx.out.out(toJson(page.items));
            if (page.items.length === 0) return ctx.out.out('no executions');
            const rows = page.items.map((x) => [x.id, x.workflowId, String(x.workflowVersion), x.status, triggerText(x.trigger), formatTime(x.createdAt), formatTime(x.finishedAt)]);
            for (const line of formatTable(['ID', 'WORKFLOW', 'VERSION', 'STATUS', 'TRIGGER', 'CREATED', 'FINISHED'], rows)) ctx.out.out(line);
        }
    },
    {
        words: ['executions', 'show'],
        synopsis: '<execution-id>',
        summary: 'show an execution with its per-node state',
        options: [],
        args: { min: 1, max: 1 },
        async run(ctx, [id]) {
            const x = await (await ctx.client()).executions.get(id!);
            if (ctx.json) ctx.out.out(toJson(x));
            else for (const line of executionLines(x)) ctx.out.out(line);
        }
    },
    {
        words: ['executions', 'watch'],
        synopsis: '<execution-id>',
        summary: 'follow an execution until it ends (--interval MS, --timeout S); exit 5 if it did not succeed',
        options: ['interval', 'timeout'],
        args: { min: 1, max: 1 },
        async run(ctx, [id]) {
            const client = await ctx.client();
            return watch(ctx, client, id!);
        }
    },
    {
        words: ['executions', 'cancel'],
        synopsis: '<execution-id>',
        summary: 'cancel an unfinished execution',
        options: [],
        args: { min: 1, max: 1 },
        async run(ctx, [id]) {
            const x = await (await ctx.client()).executions.cancel(id!);
            if (ctx.json) ctx.out.out(toJson(x));
            else ctx.out.out(`cancelled execution ${x.id} (${x.status}${isTerminalStatus(x.status) ? '' : ', stopping'})`);
        }
    }
];
