/**
 * Every workflow file in examples/ is valid under the shared zod schema (through the CLI's
 * file loader, the same path `deflow workflow create` takes, placeholders filled in), has a
 * sample input beside it that `--input @FILE` reads, and the liquidation example is exactly
 * the shared test fixture. That they run end to end is tested in tests/integration/cli/examples.spec.ts.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { parseInput } from '../cli/commands/executions';
import { CliError } from '../cli/errors';
import { loadWorkflowFile } from '../cli/workflow-file';
import { WorkflowDefinitionSchema } from '../shared/workflow/definition';
import { BACKUP_ORACLE, LENDING, ORACLE, liquidationWorkflow } from '../shared/workflow/testing';

const entries = readdirSync(__dirname);
const files = entries.filter((f) => /\.(json|ya?ml)$/.test(f) && !f.includes('.input.'));
const DEMO: Record<string, string> = { 'demo.price_oracle': ORACLE, 'demo.backup_price_oracle': BACKUP_ORACLE, 'demo.lending_position': LENDING };
const demoIds = { lookup: (name: string): string | undefined => DEMO[name] };

/** The sample input file of an example: `<name>.input.json` or `.input.yaml`. */
function inputFileOf(file: string): string | undefined {
    const stem = file.replace(/\.(json|ya?ml)$/, '');
    return entries.find((e) => e.startsWith(`${stem}.input.`));
}

describe('Examples > workflow files', () => {
    it('has workflow files', () => {
        expect(files).toEqual(expect.arrayContaining(['liquidation-protection.json', 'daily-compound.json', 'hello-deflow.yaml']));
    });

    it.each(files)('%s is a valid workflow definition with the demo ids filled in', (file) => {
        const { definition, unresolved } = loadWorkflowFile(join(__dirname, file), demoIds);
        expect(unresolved).toEqual([]);
        expect(WorkflowDefinitionSchema.safeParse(definition).success).toBe(true);
    });

    it.each(files)('%s has a sample input that --input @FILE reads', (file) => {
        const input = inputFileOf(file);
        expect(input).toBeDefined();
        expect(parseInput(`@${join(__dirname, input!)}`)).toEqual(expect.any(Object));
    });

    it('names the demo canisters by placeholder, never by an id of some other network', () => {
        const error = (() => {
            try {
                loadWorkflowFile(join(__dirname, 'daily-compound.json'));
                return undefined;
            } catch (e) {
                return e;
            }
        })();
        expect(error).toBeInstanceOf(CliError);
        expect((error as CliError).details).toEqual([expect.stringMatching(/^\$\{demo\.lending_position\}: give it with --var demo\.lending_position=VALUE/), expect.stringMatching(/^\$\{demo\.price_oracle\}/)]);
    });

    it('liquidation-protection.json is the shared liquidation fixture', () => {
        expect(loadWorkflowFile(join(__dirname, 'liquidation-protection.json'), demoIds).definition).toEqual(liquidationWorkflow());
    });
});
