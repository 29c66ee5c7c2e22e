/** `deflow workflow create|validate|list|show|pause|resume`. */
import type { Workflow } from '../../shared/workflow/definition';
import { positiveInt } from '../args';
import type { Command, CommandContext } from '../context';
import { formatFields, formatTable, formatTime, toJson } from '../output';
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

function print(ctx: CommandContext, wf: Workflow, headline: string): void {
    if (ctx.json) ctx.out.out(toJson(wf));
    else {
        ctx.out.out(headline);
        for (const line of workflowLines(wf)) ctx.out.out(line);
    }
}

export const workflowCommands: Command[] = [
    {
        words: ['workflow', 'create'],
        synopsis: '<file.json|file.yaml>',
        summary: 'validate a workflow file with the shared schema and create the workflow',
        options: [],
        args: { min: 1, max: 1 },
        async run(ctx, [file]) {
            const definition = loadWorkflowFile(file!);
            const wf = await (await ctx.client()).workflows.create(definition);
            print(ctx, wf, `created workflow ${wf.id} (version ${wf.version})`);
        }
    },
    {
        words: ['workflow', 'validate'],
        synopsis: '<file.json|file.yaml>',
        summary: 'check a workflow file offline (shape and bounds; graph rules are checked on create)',
        options: [],
        args: { min: 1, max: 1 },
        async run(ctx, [file]) {
            const definition = loadWorkflowFile(file!);
            if (ctx.json) ctx.out.out(toJson({ valid: true, name: definition.name, nodes: definition.nodes.length }));
            else ctx.out.out(`${file}: valid (${definition.nodes.length} nodes)`);
        }
    },
    {
        words: ['workflow', 'list'],
        synopsis: '',
        summary: "list the caller's workflows",
        options: ['limit'],
        args: { min: 0, max: 0 },
        async run(ctx) {
            const client = await ctx.client();
            const limit = positiveInt(ctx.options.limit, 'limit', 100);
            const items = [];
            let cursor: string | undefined;
            do {
                const page = await client.workflows.list({ cursor, limit: Math.min(limit - items.length, 100) });
                items.push(...page.items);
                cursor = page.nextCursor;
            } while (cursor !== undefined && items.length < limit);
            if (ctx.json) return ctx.out.out(toJson(items));
            if (items.length === 0) return ctx.out.out('no workflows');
            for (const line of formatTable(['ID', 'NAME', 'VERSION', 'STATUS', 'NODES', 'UPDATED'], items.map((w) => [w.id, w.name, String(w.version), w.status, String(w.nodeCount), formatTime(w.updatedAt)]))) ctx.out.out(line);
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
            print(ctx, wf, `workflow ${wf.id}`);
        }
    },
    {
        words: ['workflow', 'pause'],
        synopsis: '<workflow-id>',
        summary: 'pause a workflow (no new executions)',
        options: [],
        args: { min: 1, max: 1 },
        async run(ctx, [id]) {
            const wf = await (await ctx.client()).workflows.pause(id!);
            if (ctx.json) ctx.out.out(toJson(wf));
            else ctx.out.out(`paused workflow ${wf.id}`);
        }
    },
    {
        words: ['workflow', 'resume'],
        synopsis: '<workflow-id>',
        summary: 'resume a paused workflow',
        options: [],
        args: { min: 1, max: 1 },
        async run(ctx, [id]) {
            const wf = await (await ctx.client()).workflows.resume(id!);
            if (ctx.json) ctx.out.out(toJson(wf));
            else ctx.out.out(`resumed workflow ${wf.id}`);
        }
    }
];
