/** `deflow workflow create|validate|list|show|update|pause|resume|delete`. */
import type { DeflowClient, WorkflowSummary } from '../../client';
import type { Workflow, WorkflowDefinition } from '../../shared/workflow/definition';
import { MAX_PAGE_SIZE } from '../../shared/common/page';
import { positiveInt } from '../args';
import type { Command, CommandContext } from '../context';
import { formatFields, formatTable, formatTime } from '../output';
import { loadWorkflowFile } from '../workflow-file';

/** Human summary of a workflow (used by create/show/pause/resume). */
export function workflowLines(wf: Workflow): string[] {
    const lines = formatFields([
        ['id', wf.id],
        ['name', wf.definition.name],
        ['version', String(wf.version)],
        ['status', wf.status],
        ['owner', wf.owner],
        ['critical', wf.definition.critical === true ? 'yes' : 'no'],
        ['created', formatTime(wf.createdAt)],
        ['updated', formatTime(wf.updatedAt)]
    ]);
    const rows = wf.definition.nodes.map((n) => [n.id, n.config.kind, n.dependsOn.map((d) => (d.when === 'Always' ? d.nodeId : `${d.nodeId}(${d.when})`)).join(',') || '-', String(n.recovery.retry.maxRetries), n.recovery.fallback.kind]);
    return [...lines, '', ...formatTable(['NODE', 'KIND', 'AFTER', 'RETRIES', 'FALLBACK'], rows)];
}

/** The workflow file named on the command line, its placeholders filled from the context. */
function loadFile(ctx: CommandContext, file: string): WorkflowDefinition {
    return loadWorkflowFile(file, { lookup: (name) => ctx.placeholder(name) }).definition;
}

/** Reads every page of the caller's workflows, up to `limit`. */
async function listWorkflows(client: DeflowClient, limit: number): Promise<WorkflowSummary[]> {
    const items: WorkflowSummary[] = [];
    let cursor: string | undefined;
    do {
        const page = await client.workflows.list({ cursor, limit: Math.min(limit - items.length, MAX_PAGE_SIZE) });
        items.push(...page.items);
        cursor = page.nextCursor;
    } while (cursor !== undefined && items.length < limit);
    return items;
}

/** `workflow pause|resume <id>`: one call that answers the workflow. */
function workflowChange(verb: 'pause' | 'resume', summary: string, done: string, call: (client: DeflowClient, id: string) => Promise<Workflow>): Command {
    return {
        words: ['workflow', verb],
        synopsis: '<workflow-id>',
        summary,
        options: [],
        args: { min: 1, max: 1 },
        async run(ctx, [id]) {
            const wf = await call(await ctx.client(), id!);
            ctx.show(wf, () => [`${done} workflow ${wf.id}`]);
        }
    };
}

/** What `workflow validate` puts where a placeholder has no value: the management canister's id, a valid principal. */
const STAND_IN_ID = 'aaaaa-aa';


export const workflowCommands: Command[] = [
    {
        words: ['workflow', 'create'],
        synopsis: '<file.json|file.yaml>',
        summary: 'create a workflow from a file (placeholders such as ${demo.price_oracle} are filled in)',
        options: [],
        args: { min: 1, max: 1 },
        async run(ctx, [file]) {
            const definition = loadFile(ctx, file!); // before any network call: a bad file never waits on the network
            const wf = await (await ctx.client()).workflows.create(definition);
            ctx.show(wf, () => [`created workflow ${wf.id} (version ${wf.version})`, ...workflowLines(wf)]);
        }
    },
    {
        words: ['workflow', 'validate'],
        synopsis: '<file.json|file.yaml>',
        summary: 'check a workflow file offline (shape and bounds; graph rules are checked on create)',
        options: [],
        args: { min: 1, max: 1 },
        async run(ctx, [file]) {
            // Offline: a placeholder with no value is checked with a stand-in canister id and reported.
            const { definition, unresolved } = loadWorkflowFile(file!, { lookup: (name) => ctx.placeholder(name), standIn: STAND_IN_ID });
            ctx.show({ valid: true, name: definition.name, nodes: definition.nodes.length, unresolved }, () => [
                `${file}: valid (${definition.nodes.length} nodes)`,
                ...(unresolved.length === 0 ? [] : [`  placeholders without a value here (checked with a stand-in id): ${unresolved.map((n) => `\${${n}}`).join(', ')}`])
            ]);
        }
    },
    {
        words: ['workflow', 'list'],
        synopsis: '',
        summary: "list the caller's workflows (--limit N, default 100)",
        options: ['limit'],
        args: { min: 0, max: 0 },
        async run(ctx) {
            const items = await listWorkflows(await ctx.client(), positiveInt(ctx.options.limit, 'limit', 100));
            ctx.show(items, () =>
                items.length === 0 ? ['no workflows'] : formatTable(['ID', 'NAME', 'VERSION', 'STATUS', 'NODES', 'UPDATED'], items.map((w) => [w.id, w.name, String(w.version), w.status, String(w.nodeCount), formatTime(w.updatedAt)]))
            );
        }
    },
    {
        words: ['workflow', 'show'],
        synopsis: '<workflow-id>',
        summary: 'show a workflow (latest version, or --version N)',
        options: ['version'],
        args: { min: 1, max: 1 },
        async run(ctx, [id]) {
            const version = ctx.options.version === undefined ? undefined : positiveInt(ctx.options.version, 'version', 1);
            const wf = await (await ctx.client()).workflows.get(id!, version);
            ctx.show(wf, () => [`workflow ${wf.id}`, ...workflowLines(wf)]);
        }
    },
    {
        words: ['workflow', 'update'],
        synopsis: '<workflow-id> <file.json|file.yaml>',
        summary: 'a new version from a file (--expected-version N refuses if someone else updated it first); running executions keep their version',
        options: ['expected-version'],
        args: { min: 2, max: 2 },
        async run(ctx, [id, file]) {
            const expected = ctx.options['expected-version'] === undefined ? undefined : positiveInt(ctx.options['expected-version'], 'expected-version', 1);
            const definition = loadFile(ctx, file!);
            const wf = await (await ctx.client()).workflows.update(id!, definition, expected);
            ctx.show(wf, () => [`updated workflow ${wf.id} to version ${wf.version}`, ...workflowLines(wf)]);
        }
    },
    workflowChange('pause', 'pause a workflow (no new executions)', 'paused', (client, id) => client.workflows.pause(id)),
    workflowChange('resume', 'resume a paused workflow', 'resumed', (client, id) => client.workflows.resume(id)),
    {
        words: ['workflow', 'delete'],
        synopsis: '<workflow-id>',
        summary: 'delete a workflow and its versions (refused while any of its executions is unfinished)',
        options: [],
        args: { min: 1, max: 1 },
        async run(ctx, [id]) {
            await (await ctx.client()).workflows.delete(id!);
            ctx.show({ deleted: id }, () => [`deleted workflow ${id}`]);
        }
    }
];
