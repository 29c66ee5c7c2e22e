/**
 * Every workflow file in examples/ is valid under the shared zod schema (through the CLI's
 * file loader, the same path `deflow workflow create` takes), and the liquidation example is
 * exactly the shared test fixture.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { WorkflowDefinitionSchema } from '../shared/workflow/definition';
import { liquidationWorkflow } from '../shared/workflow/testing';
import { loadWorkflowFile } from '../cli/workflow-file';

const files = readdirSync(__dirname).filter((f) => /\.(json|ya?ml)$/.test(f));

describe('Examples > workflow files', () => {
    it('has workflow files', () => {
        expect(files).toEqual(expect.arrayContaining(['liquidation-protection.json', 'daily-compound.json', 'hello-deflow.yaml']));
    });

    it.each(files)('%s is a valid workflow definition', (file) => {
        const definition = loadWorkflowFile(join(__dirname, file));
        expect(WorkflowDefinitionSchema.safeParse(definition).success).toBe(true);
    });

    it('liquidation-protection.json is the shared liquidation fixture', () => {
        expect(loadWorkflowFile(join(__dirname, 'liquidation-protection.json'))).toEqual(liquidationWorkflow());
    });
});
