/** `deflow run` and `deflow executions list|show|watch|cancel`. */
import { isDeepStrictEqual } from 'node:util';

import { parseDocument } from 'yaml';

import { isTerminalStatus, type DeflowClient, type ExecutionSummary, type ListOrder, type Page } from '../../client';
import { ExecutionStatusSchema, type Execution, type Trigger } from '../../shared/workflow/execution';
import { parseJson, type JsonValue } from '../../shared/workflow/json';
import { MAX_PAGE_SIZE } from '../../shared/common/page';
import { positiveInt } from '../args';
import type { Command, CommandContext } from '../context';
import { CliError, ExitCode } from '../errors';
import { formatFields, formatTable, formatTime } from '../output';
import { readUserFile } from '../workflow-file';

/** Executions per page of `executions list` unless --limit says otherwise. */
const DEFAULT_LIST_LIMIT = 20;

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

/**
 * The execution input of `--input`: JSON text, or `@FILE` for a JSON file or (`.yaml`/`.yml`)
 * a YAML file holding one JSON-compatible value.
 *
 * @example
 * parseInput('{"amount": 42}') // { amount: 42 }
 * parseInput('@examples/hello-deflow.input.json')
 */
export function parseInput(text: string | undefined): JsonValue | undefined {
    if (text === undefined) return undefined;
    if (!text.startsWith('@')) return parseJsonInput(text, '--input');
    const file = text.slice(1);
    if (file === '') throw new CliError('Usage', '--input @FILE needs a file name');
    const content = readUserFile(file, 'input file');
    if (!/\.ya?ml$/i.test(file)) return parseJsonInput(content, file);
    const doc = parseDocument(content, { prettyErrors: false });
    const first = doc.errors[0];
    if (first !== undefined) throw new CliError('BadInput', `${file} is not valid YAML: ${first.message.split('\n')[0]}`);
    // A YAML value is JSON when its JSON text reads back the same (no dates, NaN or undefined).
    const value: unknown = doc.toJS();
    const json = JSON.stringify(value);
    if (json === undefined || !isDeepStrictEqual(JSON.parse(json), value)) throw new CliError('BadInput', `${file} holds a value JSON cannot carry (a date, NaN, an infinity…); quote it`);
    return parseJsonInput(json, file);
}

function parseJsonInput(text: string, source: string): JsonValue {
    const parsed = parseJson(text);
    if (!parsed.ok) throw new CliError('BadInput', `${source} is not valid JSON: ${parsed.message}`);
    return parsed.value;
}

/** `--order newest|oldest` (default newest). */
function listOrder(value: string | undefined): ListOrder {
    if (value === undefined || value === 'newest') return 'NewestFirst';
    if (value === 'oldest') return 'OldestFirst';
    throw new CliError('Usage', `--order must be newest or oldest, got "${value}"`);
}

/** The table of one page of executions, and how to get the next. */
export function executionPageLines(page: Page<ExecutionSummary>): string[] {
    if (page.items.length === 0) return ['no executions'];
    const rows = page.items.map((x) => [x.id, x.workflowId, String(x.workflowVersion), x.status, triggerText(x.trigger), formatTime(x.createdAt), formatTime(x.finishedAt)]);
    const table = formatTable(['ID', 'WORKFLOW', 'VERSION', 'STATUS', 'TRIGGER', 'CREATED', 'FINISHED'], rows);
    return page.nextCursor === undefined ? table : [...table, '', `more: add --cursor ${page.nextCursor} for the next page`];
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
    ctx.show(final, () => ['', ...executionLines(final)]);
    return final.status === 'Succeeded' ? ExitCode.Ok : ExitCode.ExecutionUnsuccessful;
}

export const executionCommands: Command[] = [
    {
        words: ['run'],
        synopsis: '<workflow-id>',
        summary: 'start an execution (--input JSON or @FILE.json|@FILE.yaml; --watch to follow it to the end)',
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
            ctx.show(x, () => [`started execution ${x.id} (${x.status}); follow it with: deflow executions watch ${x.id}`]);
        }
    },
    {
        words: ['executions', 'list'],
        synopsis: '',
        summary: `one page of executions, newest first (--workflow ID, --status S, --limit N up to ${MAX_PAGE_SIZE}, --cursor ID for the next page, --order newest|oldest)`,
        options: ['workflow', 'status', 'limit', 'cursor', 'order'],
        args: { min: 0, max: 0 },
        async run(ctx) {
            const status = ctx.options.status === undefined ? undefined : ExecutionStatusSchema.safeParse(ctx.options.status);
            if (status !== undefined && !status.success) throw new CliError('Usage', `--status must be one of ${ExecutionStatusSchema.options.join(', ')}`);
            const limit = positiveInt(ctx.options.limit, 'limit', DEFAULT_LIST_LIMIT);
            if (limit > MAX_PAGE_SIZE) throw new CliError('Usage', `--limit is at most ${MAX_PAGE_SIZE} (one page); follow --cursor for more`);
            const order = listOrder(ctx.options.order);
            const page = await (await ctx.client()).executions.list({ workflowId: ctx.options.workflow, status: status?.data, limit, cursor: ctx.options.cursor, order });
            ctx.show(page, () => executionPageLines(page));
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
            ctx.show(x, () => executionLines(x));
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
            ctx.show(x, () => [`cancelled execution ${x.id} (${x.status}${isTerminalStatus(x.status) ? '' : ', stopping'})`]);
        }
    }
];
