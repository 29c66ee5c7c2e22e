import { createWorkflow, driveToEnd, liquidationDefinition, liquidationInput, nodeOf, nodeStatus, okOf, statusOf, useWorkflowEnv } from '../support/workflows';

jest.setTimeout(180_000);

describe('Orchestrator > liquidation protection', () => {
    const env = useWorkflowEnv();
    let workflowId: string;

    beforeAll(async () => {
        workflowId = (await createWorkflow(env, liquidationDefinition(env.ids))).id;
    });

    it('reads the price, takes the repay branch below the threshold and repays once', async () => {
        await env.oracle.set_price(50_000_000n);
        const started = okOf(await env.orchestrator.start_execution({ workflow_id: workflowId, input: liquidationInput(60_000_000n, 7n) }));
        expect(statusOf(started)).toBe('Running');

        const done = await driveToEnd(env, started.id);
        expect(statusOf(done)).toBe('Succeeded');
        expect(nodeOf(done, 'price').output).toEqual([JSON.stringify({ price_e8s: 50_000_000 })]);
        expect(nodeOf(done, 'check').output).toEqual(['true']);
        expect(nodeStatus(done, 'repay')).toBe('Succeeded');
        expect(nodeStatus(done, 'all_good')).toBe('Skipped');
        expect(nodeStatus(done, 'backup_price')).toBe('Standby');
        expect(await env.lending.repay_count()).toBe(1n);
        expect(await env.lending.total_repaid()).toBe(7n);
    });

    it('takes the notify branch above the threshold and does not repay', async () => {
        await env.oracle.set_price(90_000_000n);
        const before = await env.lending.repay_count();
        const started = okOf(await env.orchestrator.start_execution({ workflow_id: workflowId, input: liquidationInput(60_000_000n) }));
        const done = await driveToEnd(env, started.id);
        expect(statusOf(done)).toBe('Succeeded');
        expect(nodeStatus(done, 'repay')).toBe('Skipped');
        expect(nodeStatus(done, 'all_good')).toBe('Succeeded');
        expect(await env.lending.repay_count()).toBe(before);
    });
});
