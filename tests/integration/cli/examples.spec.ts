/**
 * Examples > end to end: every workflow file in examples/ runs through the `deflow` binary on
 * a network deployed as `npm start` deploys it: `workflow create` fills the demo canister ids
 * from `.deflow/demo.json`, `run --input @<example>.input.* --watch` follows it to Succeeded,
 * and the demo canisters show the effect.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { EXAMPLES, jsonOf, startCliNetwork, type CliNetwork, type CliUser } from '../support/cli';

jest.setTimeout(300_000);

const workflowFiles = readdirSync(EXAMPLES).filter((f) => /\.(json|ya?ml)$/.test(f) && !f.includes('.input.'));

type Shown = { status: string; nodes: { nodeId: string; status: string; output?: string }[] };

describe('Examples > run end to end through the CLI', () => {
    let net: CliNetwork;

    beforeAll(async () => {
        net = await startCliNetwork();
    });
    afterAll(async () => {
        await net?.tearDown();
    });

    /** Creates the example as a new user and runs it with its sample input to the end; answers the final execution. */
    async function runExample(file: string): Promise<{ user: CliUser; execution: Shown }> {
        const user = net.user();
        const workflow = jsonOf<{ id: string }>(await user.deflow(['workflow', 'create', join(EXAMPLES, file), '--json']));
        const input = readdirSync(EXAMPLES).find((f) => f.startsWith(`${file.replace(/\.(json|ya?ml)$/, '')}.input.`));
        const run = await user.deflow(['run', workflow.id, '--input', `@${join(EXAMPLES, input!)}`, '--watch', '--interval', '250', '--timeout', '120', '--json']);
        if (run.code !== 0) throw new Error(`${file}: deflow run exited ${String(run.code)}\n${run.stdout}\n${run.stderr}`);
        return { user, execution: JSON.parse(run.stdout) as Shown };
    }

    function output(x: Shown, nodeId: string): unknown {
        const text = x.nodes.find((n) => n.nodeId === nodeId)?.output;
        return text === undefined ? undefined : JSON.parse(text);
    }

    it('covers every workflow file in examples/', () => {
        expect(workflowFiles.sort()).toEqual(['daily-compound.json', 'hello-deflow.yaml', 'liquidation-protection.json']);
    });

    it('hello-deflow.yaml: branches on the input and summarises', async () => {
        const { execution } = await runExample('hello-deflow.yaml');
        expect(execution.status).toBe('Succeeded');
        expect(output(execution, 'summary')).toEqual({ amount: 42, big: true });
    });

    it('liquidation-protection.json: reads the demo oracle and repays on the demo lending position', async () => {
        const before = await net.demo.lending.repay_count();
        const { execution } = await runExample('liquidation-protection.json');
        expect(execution.status).toBe('Succeeded');
        expect(output(execution, 'price')).toEqual({ price_e8s: 100_000_000 });
        expect(output(execution, 'repay')).toEqual({ Ok: Number(before) + 1 });
        expect(await net.demo.lending.repay_count()).toBe(before + 1n);
    });

    it("daily-compound.json: pays the day's slice while the price holds above the floor", async () => {
        const before = await net.demo.lending.total_repaid();
        const { execution } = await runExample('daily-compound.json');
        expect(execution.status).toBe('Succeeded');
        expect(execution.nodes.find((n) => n.nodeId === 'below_floor')?.status).toBe('Skipped');
        expect(output(execution, 'slice')).toEqual({ amount: 25_000_000, position: 'pos-1' });
        expect(await net.demo.lending.total_repaid()).toBe(before + 25_000_000n);
    });
});
