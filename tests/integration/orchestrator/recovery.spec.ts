
import { NO_RETRY, type Fallback } from '../../../shared/workflow';
import { monitorActor } from '../support/monitoring';
import {
    createWorkflow,
    useWorkflowEnv,
    driveToEnd,
    driveUntil,
    errTag,
    liquidationDefinition,
    liquidationInput,
    nodeOf,
    nodeStatus,
    okOf,
    setSystemMode,
    oracleProbeDefinition,
    statusOf
} from '../support/workflows';

jest.setTimeout(240_000);

const MS = 1_000_000n;

describe('Orchestrator > recovery', () => {
    const env = useWorkflowEnv();
    let liquidationId: string;

    beforeAll(async () => {
        liquidationId = (await createWorkflow(env, liquidationDefinition(env.ids))).id;
    });

    it('retries a target failing twice with 1 s then 2 s backoff, then succeeds', async () => {
        await env.oracle.set_price(50_000_000n);
        await env.oracle.fail_next(2);
        const callsBefore = await env.oracle.calls();
        const repaysBefore = await env.lending.repay_count();
        const x = okOf(await env.orchestrator.start_execution({ workflow_id: liquidationId, input: liquidationInput(60_000_000n) }));

        const firstFailure = await driveUntil(env, x.id, (e) => nodeOf(e, 'price').attempts.length === 2);
        const price1 = nodeOf(firstFailure, 'price');
        expect(nodeStatus(firstFailure, 'price')).toBe('WaitingRetry');
        const delay1 = (price1.next_attempt_at[0] ?? 0n) - (price1.attempts[0]?.finished_at[0] ?? 0n);
        expect(delay1).toBeGreaterThanOrEqual(1000n * MS);
        expect(delay1).toBeLessThan(1100n * MS);

        // Not before the backoff: half a second later the target was still called once.
        await env.pic.advanceTime(500);
        await env.pic.tick(3);
        expect(await env.oracle.calls()).toBe(callsBefore + 1n);

        const secondFailure = await driveUntil(env, x.id, (e) => nodeOf(e, 'price').attempts.length === 3, { stepMs: 600 });
        const price2 = nodeOf(secondFailure, 'price');
        const delay2 = (price2.next_attempt_at[0] ?? 0n) - (price2.attempts[1]?.finished_at[0] ?? 0n);
        expect(delay2).toBeGreaterThanOrEqual(2000n * MS);
        expect(delay2).toBeLessThan(2100n * MS);

        const done = await driveToEnd(env, x.id, { stepMs: 1000 });
        expect(statusOf(done)).toBe('Succeeded');
        expect(nodeOf(done, 'price').attempts).toHaveLength(3);
        expect(await env.oracle.calls()).toBe(callsBefore + 3n);
        expect(await env.lending.repay_count()).toBe(repaysBefore + 1n);
    });

    it('takes the alternative node when the main oracle keeps failing', async () => {
        await env.oracle.fail_next(100);
        await env.backupOracle.set_price(40_000_000n);
        const x = okOf(await env.orchestrator.start_execution({ workflow_id: liquidationId, input: liquidationInput(60_000_000n) }));
        const done = await driveToEnd(env, x.id, { stepMs: 1000, maxRounds: 60 });
        await env.oracle.fail_next(0);
        expect(statusOf(done)).toBe('Succeeded');
        expect(nodeOf(done, 'price').fallback_taken).toEqual([{ UseAlternativeNode: null }]);
        expect(nodeStatus(done, 'backup_price')).toBe('Succeeded');
        expect(nodeOf(done, 'price').output).toEqual([JSON.stringify({ price_e8s: 40_000_000 })]);
    });

    const fallbacks: [string, Fallback, string, string][] = [
        ['SkipNode', { kind: 'SkipNode' }, 'Succeeded', JSON.stringify({ seen: null })],
        ['UseDefaultValue', { kind: 'UseDefaultValue', value: '{"price_e8s":1}' }, 'Succeeded', JSON.stringify({ seen: { price_e8s: 1 } })],
        ['NotifyAndContinue', { kind: 'NotifyAndContinue', level: 'Warning', message: 'oracle down' }, 'Succeeded', JSON.stringify({ seen: null })],
        ['StopExecution', { kind: 'StopExecution' }, 'Failed', '']
    ];

    it.each(fallbacks)('a permanent failure takes the %s fallback', async (tag, fallback, status, shaped) => {
        const wf = await createWorkflow(env, oracleProbeDefinition(env.ids, { retry: NO_RETRY, fallback, emergencyActions: [] }));
        await env.oracle.fail_next(1);
        const x = okOf(await env.orchestrator.start_execution({ workflow_id: wf.id, input: [] }));
        const done = await driveToEnd(env, x.id);
        expect(statusOf(done)).toBe(status);
        expect(nodeOf(done, 'read').fallback_taken).toEqual([{ [tag]: null }]);
        if (status === 'Succeeded') expect(nodeOf(done, 'shape').output).toEqual([shaped]);
        else expect(nodeStatus(done, 'shape')).toBe('Cancelled');
    });

    it('an emergency action of an allowed owner pauses all workflows until the monitor lifts emergency mode', async () => {
        // System-wide modes need the owner's authority, which admins grant at the monitor.
        okOf(await monitorActor(env.pic, env.deployment, env.admin).set_emergency_owner({ owner: env.owner.getPrincipal(), allowed: true }));
        await env.oracle.set_price(50_000_000n);
        await env.lending.fail_next(100);
        const x = okOf(await env.orchestrator.start_execution({ workflow_id: liquidationId, input: liquidationInput(60_000_000n) }));
        const done = await driveToEnd(env, x.id, { stepMs: 1000, maxRounds: 60 });
        await env.lending.fail_next(0);
        expect(statusOf(done)).toBe('Failed');
        expect(nodeOf(done, 'repay').attempts).toHaveLength(4);
        await env.pic.tick(5); // the request reaches the monitor, whose push reaches every canister

        const refused = await env.orchestrator.start_execution({ workflow_id: liquidationId, input: liquidationInput(60_000_000n) });
        expect(errTag(refused)).toBe('EmergencyMode');

        // Only the monitor may set it (the owner is refused); an admin lifts it through the monitor.
        const owner = await env.orchestrator.set_emergency_mode({ mode: { Normal: null }, reason: 'x', changed_at: BigInt(Date.now()) * MS * 2n, changed_by: [] });
        expect(errTag(owner)).toBe('Unauthorized');
        await setSystemMode(env, 'Normal', 'incident closed');
        const again = okOf(await env.orchestrator.start_execution({ workflow_id: liquidationId, input: liquidationInput(10n) }));
        expect(statusOf(await driveToEnd(env, again.id))).toBe('Succeeded');
    });
});
