/**
 * What success is for a call node, on the deployed system: a `variant { Err }` reply is a
 * failure (retried, then handed to a fallback that reads the error as data), a node can name
 * its own failure cases, and the error's class picks the retry rule. Real orchestrator,
 * executor and owner agent calling the demo lending-position canister.
 */
import type { PocketIc } from '@dfinity/pic';

import { after, node } from '../../../shared/workflow/testing';
import { NO_RETRY, encodeWorkflowDefinition, type FailureRule, type RecoveryPolicy, type WorkflowNode } from '../../../shared/workflow';
import { createPic } from '../support/pic';
import { createWorkflow, deployWorkflowEnv, driveToEnd, nodeOf, okOf, statusOf, type WorkflowEnv } from '../support/workflows';

jest.setTimeout(240_000);

const REPAY_RESULT = '(variant { Ok: nat; Err: text })';
const HEALTH = '(variant { Healthy: nat; AtRisk: nat; Liquidated })';
const retry = (maxRetries: number) => ({ maxRetries, initialDelayMs: 1000, backoffFactor: 1, maxDelayMs: 1000, jitter: false });
const recovery = (over: Partial<RecoveryPolicy>): RecoveryPolicy => ({ retry: NO_RETRY, fallback: { kind: 'StopExecution' }, emergencyActions: [], ...over });
const INPUT: [string] = [JSON.stringify({ repay: { amount: 5, position: 'pos-1' } })];

describe('Orchestrator > failure rules', () => {
    let pic: PocketIc;
    let env: WorkflowEnv;

    const repayNode = (over: Partial<WorkflowNode> = {}): WorkflowNode =>
        node('repay', {
            config: {
                kind: 'Call',
                canister: env.ids.lending.toText(),
                method: 'repay',
                args: { kind: 'Template', types: '(record { amount: nat; position: text })', values: [{ kind: 'Input', path: 'repay' }] },
                cycles: 0n,
                reply: { kind: 'Candid', types: REPAY_RESULT }
            },
            ...over
        });
    const healthNode = (failure?: FailureRule): WorkflowNode =>
        node('health', {
            config: {
                kind: 'Call',
                canister: env.ids.lending.toText(),
                method: 'position_health',
                args: { kind: 'Template', types: '(record { position: text })', values: [{ kind: 'Const', json: '{"position":"pos-1"}' }] },
                cycles: 0n,
                reply: { kind: 'Candid', types: HEALTH },
                failure
            }
        });
    const workflowOf = async (...nodes: WorkflowNode[]): Promise<string> => (await createWorkflow(env, encodeWorkflowDefinition({ name: 'failure rules', description: '', nodes }))).id;
    const run = async (workflowId: string) => driveToEnd(env, okOf(await env.orchestrator.start_execution({ workflow_id: workflowId, input: INPUT })).id, { stepMs: 1000, maxRounds: 60 });

    beforeAll(async () => {
        pic = await createPic();
        env = await deployWorkflowEnv(pic);
    });

    afterAll(async () => {
        await pic?.tearDown();
    });

    it('an Err reply is retried, then the alternative reads the error as data', async () => {
        const id = await workflowOf(
            repayNode({ recovery: recovery({ retry: retry(2), fallback: { kind: 'UseAlternativeNode', nodeId: 'catch' } }) }),
            node('catch', {
                config: {
                    kind: 'Transform',
                    fields: [
                        { key: 'kind', value: { kind: 'Error', nodeId: 'repay', path: 'kind' } },
                        { key: 'case', value: { kind: 'Error', nodeId: 'repay', path: 'case' } },
                        { key: 'why', value: { kind: 'Error', nodeId: 'repay', path: 'value' } }
                    ]
                }
            }),
            node('after', { config: { kind: 'Transform', fields: [{ key: 'got', value: { kind: 'Node', nodeId: 'repay', path: '' } }] }, dependsOn: after('repay') })
        );
        const repaysBefore = await env.lending.repay_count();
        await env.lending.err_next(3);

        const done = await run(id);
        expect(statusOf(done)).toBe('Succeeded');
        const repay = nodeOf(done, 'repay');
        expect(repay.status).toEqual({ Failed: null });
        expect(repay.attempts).toHaveLength(3);
        expect(repay.attempts.map((a) => a.error[0]?.kind)).toEqual([{ ReplyErr: null }, { ReplyErr: null }, { ReplyErr: null }]);
        expect(repay.error[0]).toMatchObject({ kind: { ReplyErr: null }, case: ['Err'], value: ['"position temporarily locked"'] });
        expect(repay.fallback_taken).toEqual([{ UseAlternativeNode: null }]);
        const caught = { kind: 'ReplyErr', case: 'Err', why: 'position temporarily locked' };
        expect(JSON.parse(nodeOf(done, 'catch').output[0] ?? 'null')).toEqual(caught);
        // Dependents read the alternative's output, as for any failed node.
        expect(JSON.parse(nodeOf(done, 'after').output[0] ?? 'null')).toEqual({ got: caught });
        expect(await env.lending.repay_count()).toBe(repaysBefore);
    });

    it('a node names its own failure cases; without them the same reply is a success', async () => {
        const named = await workflowOf(healthNode({ kind: 'Cases', cases: ['AtRisk', 'Liquidated'] }));
        const byDefault = await workflowOf(healthNode());
        await env.lending.set_health(80n);

        const failed = await run(named);
        expect(statusOf(failed)).toBe('Failed');
        expect(nodeOf(failed, 'health').error[0]).toMatchObject({ kind: { ReplyErr: null }, case: ['AtRisk'], value: ['80'] });
        expect(failed.failure[0]).toEqual({ NodeFailed: { node_id: 'health', message: 'reply case AtRisk: 80' } });

        const passed = await run(byDefault);
        expect(statusOf(passed)).toBe('Succeeded');
        expect(nodeOf(passed, 'health').output).toEqual(['{"AtRisk":80}']);

        await env.lending.set_health(150n);
        expect(statusOf(await run(named))).toBe('Succeeded');
    });

    it('a definition naming a case its reply does not have is refused, typed', async () => {
        const r = await env.orchestrator.create_workflow(encodeWorkflowDefinition({ name: 'bad', description: '', nodes: [healthNode({ kind: 'Cases', cases: ['Bankrupt'] })] }));
        expect(r).toEqual({ Err: { InvalidInput: { field: 'nodes.0.config.failure.cases', message: expect.stringContaining('Bankrupt') } } });
    });

    describe('retry chosen by error class', () => {
        let workflowId: string;
        beforeAll(async () => {
            // Err replies (the position is briefly locked) are worth retrying; a reject from
            // the canister itself (code 4, CANISTER_REJECT) is not: a bug, retrying repeats it.
            workflowId = await workflowOf(
                repayNode({
                    recovery: recovery({
                        retry: retry(3),
                        retryOn: [
                            { errors: [{ kind: 'RejectCode', code: 4 }], retry: NO_RETRY },
                            { errors: [{ kind: 'ErrCase', case: 'Err' }], retry: retry(1) }
                        ]
                    })
                })
            );
        });

        it('an Err case gets its own rule: one retry, which repays', async () => {
            const before = await env.lending.repay_count();
            await env.lending.err_next(1);
            const done = await run(workflowId);
            expect(statusOf(done)).toBe('Succeeded');
            expect(nodeOf(done, 'repay').attempts).toHaveLength(2);
            expect(await env.lending.repay_count()).toBe(before + 1n);
        });

        it('a canister reject (code 4) matches the no-retry rule: one attempt, then the fallback', async () => {
            await env.lending.fail_next(1);
            const done = await run(workflowId);
            expect(statusOf(done)).toBe('Failed');
            const repay = nodeOf(done, 'repay');
            expect(repay.attempts).toHaveLength(1);
            expect(repay.error[0]).toMatchObject({ kind: { Rejected: null }, reject_code: [4] });
        });

        it('two Err replies exhaust the Err rule (one retry) although the default allows three', async () => {
            await env.lending.err_next(2);
            const done = await run(workflowId);
            expect(statusOf(done)).toBe('Failed');
            expect(nodeOf(done, 'repay').attempts).toHaveLength(2);
            await env.lending.err_next(0);
        });
    });
});
