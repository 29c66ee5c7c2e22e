/**
 * Security > call policy: the attacks of issue 12 replayed. A stranger's workflow tries to
 * call DeFlow's own canisters (as the executor: forge another owner's node result, overwrite
 * the monitor's records) and the management canister (move 10T cycles out of the executor).
 * Each is refused when the definition is stored (`CallRefused` naming node, target and reason)
 * and again by the executor right before a call would go out (an attempt dispatched by the
 * orchestrator itself, as a definition stored before the rule would be): the attempt fails
 * `CallRefused`, nothing is sent, nothing changes. Owners can narrow their own targets further.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import type { Actor } from '@dfinity/pic';

import {
    NO_RETRY,
    NodeResultReportWire,
    encodeWorkflowDefinition,
    orchestratorIdlFactory,
    type NodeAttemptRequest,
    type NodeResultReport,
    type WorkflowDefinitionWire
} from '../../../shared/workflow';
import { node } from '../../../shared/workflow/testing';
import {
    createWorkflow,
    delayDefinition,
    errTag,
    executorAs,
    nodeStatus,
    okOf,
    oracleProbeDefinition,
    readyAgentOf,
    statusOf,
    type ExecutorService,
    type OrchestratorService,
    useWorkflowEnv
} from '../support/workflows';
import { deflowActor } from '../support/deflow';

jest.setTimeout(180_000);

const MS = 1_000_000n;
const ONE_HOUR_MS = 60 * 60 * 1000;
const TEN_T = 10_000_000_000_000n;
const DepositCyclesArg = IDL.Record({ canister_id: IDL.Principal });

/** A one-node workflow whose only node calls `target.method(args)` with `cycles` attached. */
function attackDefinition(target: Principal, method: string, args: Uint8Array<ArrayBuffer>, cycles = 0n): WorkflowDefinitionWire {
    return encodeWorkflowDefinition({
        name: 'attack',
        description: '',
        nodes: [node('attack', { config: { kind: 'Call', canister: target.toText(), method, args: { kind: 'Raw', bytes: args }, cycles, reply: { kind: 'Raw' } } })]
    });
}

describe('Security > call policy', () => {
    const env = useWorkflowEnv();
    let asStranger: Actor<OrchestratorService>;
    let asOrchestrator: Actor<ExecutorService>;
    /** The owner's execution waiting on a one-hour delay node: what the forged reports try to end. */
    let victimExecution: string;

    const forgedReport = (outcome: NodeResultReport['outcome']): Uint8Array<ArrayBuffer> =>
        new Uint8Array(
            IDL.encode([NodeResultReportWire.idl], [{ execution_id: victimExecution, node_id: 'wait', attempt: 1, started_at: 0n, finished_at: 1n, outcome } satisfies NodeResultReport])
        );
    const forgedSucceeded = (): Uint8Array<ArrayBuffer> => forgedReport({ Succeeded: { output: '"forged"' } });
    const forgedFailed = (): Uint8Array<ArrayBuffer> => forgedReport({ Failed: { kind: { Rejected: null }, message: 'forged', reject_code: [], case: [], detail: [], value: [] } });
    const depositTo = (canister: Principal): Uint8Array<ArrayBuffer> => new Uint8Array(IDL.encode([DepositCyclesArg], [{ canister_id: canister }]));

    async function expectVictimUntouched(): Promise<void> {
        const x = okOf(await env.orchestrator.get_execution({ execution_id: victimExecution }));
        expect(statusOf(x)).toBe('Running');
        expect(nodeStatus(x, 'wait')).toBe('Running');
    }

    beforeAll(async () => {
        asStranger = deflowActor<OrchestratorService>(env.pic, env.deployment, 'orchestrator', orchestratorIdlFactory as unknown as IDL.InterfaceFactory, env.stranger);
        asOrchestrator = executorAs(env, env.deployment.peers.orchestrator);
        const wf = await createWorkflow(env, delayDefinition(ONE_HOUR_MS));
        victimExecution = okOf(await env.orchestrator.start_execution({ workflow_id: wf.id, input: [] })).id;
        await env.pic.tick(2);
        await expectVictimUntouched();
    });

    describe('when a definition is stored (create_workflow, update_workflow)', () => {
        it.each([
            ['a forged Succeeded report', forgedSucceeded],
            ['a forged failure', forgedFailed]
        ])("refuses a stranger's call of the orchestrator's report_node_result carrying %s", async (_label, args) => {
            const r = await asStranger.create_workflow(attackDefinition(env.deployment.peers.orchestrator, 'report_node_result', args()));
            expect(r).toEqual({ Err: { CallRefused: { node_id: 'attack', target: env.deployment.peers.orchestrator, reason: { DeflowCanister: null } } } });
            await expectVictimUntouched();
        });

        it('refuses deposit_cycles with 10T attached to the management canister', async () => {
            const r = await asStranger.create_workflow(attackDefinition(Principal.managementCanister(), 'deposit_cycles', depositTo(env.ids.lending), TEN_T));
            expect(r).toEqual({ Err: { CallRefused: { node_id: 'attack', target: Principal.managementCanister(), reason: { ManagementCanister: null } } } });
        });

        it.each(['scheduler', 'executor', 'monitor'] as const)('refuses any call of the %s (health records, alerts, notifications)', async (role) => {
            const r = await asStranger.create_workflow(attackDefinition(env.deployment.peers[role], 'report_health', new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0])));
            expect(r).toEqual({ Err: { CallRefused: { node_id: 'attack', target: env.deployment.peers[role], reason: { DeflowCanister: null } } } });
        });

        it('refuses the subnet id (an alias of the management canister) and other non-canister principals', async () => {
            const subnet = await env.pic.getCanisterSubnetId(env.deployment.peers.executor);
            expect(subnet).not.toBeNull();
            for (const target of [subnet as Principal, env.stranger.getPrincipal(), Principal.anonymous()]) {
                const r = await asStranger.create_workflow(attackDefinition(target, 'deposit_cycles', depositTo(env.ids.lending), TEN_T));
                expect(r).toEqual({ Err: { CallRefused: { node_id: 'attack', target, reason: { NotACanister: null } } } });
            }
        });

        it('refuses an update that turns a harmless workflow into an attack, and keeps the stored version', async () => {
            const wf = okOf(await asStranger.create_workflow(oracleProbeDefinition(env.ids, { retry: NO_RETRY, fallback: { kind: 'StopExecution' }, emergencyActions: [] })));
            const r = await asStranger.update_workflow({ workflow_id: wf.id, expected_version: [], definition: attackDefinition(env.deployment.peers.orchestrator, 'report_node_result', forgedSucceeded()) });
            expect(errTag(r)).toBe('CallRefused');
            expect(okOf(await asStranger.get_workflow({ workflow_id: wf.id, version: [] })).version).toBe(1);
        });
    });

    describe('at run time, in the executor (defence in depth)', () => {
        const attempt = async (id: string, target: Principal, method: string, args: Uint8Array, cycles = 0n) => {
            const request: NodeAttemptRequest = {
                key: { execution_id: id, node_id: 'attack', attempt: 1 },
                due_at: BigInt(await env.pic.getTime()) * MS,
                timeout_ms: 10_000n,
                task: { Call: { canister: target, method, args, cycles, reply: { Raw: null } } },
                owner: [env.stranger.getPrincipal()],
                critical: []
            };
            okOf(await asOrchestrator.run_node_attempt(request));
            await env.pic.tick(3);
            return okOf(await asOrchestrator.get_node_attempt(request.key));
        };

        it.each([
            ['a forged Succeeded report', forgedSucceeded],
            ['a forged failure', forgedFailed]
        ])("fails an attempt calling report_node_result with %s as CallRefused; the owner's delay node keeps waiting", async (label, args) => {
            const a = await attempt(`forged-${label.length}`, env.deployment.peers.orchestrator, 'report_node_result', args());
            await expectVictimUntouched();
            expect(a.status).toEqual({ Failed: null });
            expect(a.error[0]?.kind).toEqual({ CallRefused: null });
        });

        it('fails an attempt calling deposit_cycles with 10T attached; no cycles move', async () => {
            const executorBefore = await env.pic.getCyclesBalance(env.deployment.peers.executor);
            const targetBefore = await env.pic.getCyclesBalance(env.ids.lending);
            const a = await attempt('deposit-1', Principal.managementCanister(), 'deposit_cycles', depositTo(env.ids.lending), TEN_T);
            expect(a.error[0]?.kind).toEqual({ CallRefused: null });
            // Read from the server: whatever the messages cost, 10T did not leave the executor.
            expect(executorBefore - (await env.pic.getCyclesBalance(env.deployment.peers.executor))).toBeLessThan(TEN_T / 1000n);
            expect((await env.pic.getCyclesBalance(env.ids.lending)) - targetBefore).toBeLessThan(TEN_T / 1000n);
        });

        it("refuses a condition read aimed at another owner's agent or a DeFlow canister before it reaches the reader's agent", async () => {
            const asScheduler = executorAs(env, env.deployment.peers.scheduler);
            // The stranger's first workflow gets them their agent: the reader's agent, which must never be asked.
            okOf(await asStranger.create_workflow(oracleProbeDefinition(env.ids, { retry: NO_RETRY, fallback: { kind: 'StopExecution' }, emergencyActions: [] })));
            const strangerAgent = await readyAgentOf(env, asStranger);
            const ownerAgent = await readyAgentOf(env, env.orchestrator);
            expect(strangerAgent.toText()).not.toBe(ownerAgent.toText());
            const read = (canister: Principal) => asScheduler.read_through_agent({ owner: env.stranger.getPrincipal(), schedule_id: 'sc-attack', read: { canister, method: 'perform_call', args: new Uint8Array(), reply_types: '()' } });
            for (const [target, reason] of [
                [ownerAgent, 'DeflowCanister'],
                [env.deployment.peers.orchestrator, 'DeflowCanister']
            ] as const) {
                expect(okOf(await read(target))).toEqual({ Refused: expect.stringContaining(reason) });
            }
        });

        it('fails an attempt calling the monitor, and one calling the subnet id', async () => {
            const subnet = (await env.pic.getCanisterSubnetId(env.deployment.peers.executor)) as Principal;
            expect((await attempt('monitor-1', env.deployment.peers.monitor, 'report_health', new Uint8Array())).error[0]?.kind).toEqual({ CallRefused: null });
            expect((await attempt('subnet-1', subnet, 'deposit_cycles', depositTo(env.ids.lending), TEN_T)).error[0]?.kind).toEqual({ CallRefused: null });
        });
    });

    describe('owner allow-list', () => {
        const probe = () => oracleProbeDefinition(env.ids, { retry: NO_RETRY, fallback: { kind: 'StopExecution' }, emergencyActions: [] });
        const lendingCall = () => attackDefinition(env.ids.lending, 'repay_count', new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]));

        it('is empty by default, per owner, and refused to the anonymous principal', async () => {
            expect(okOf(await env.orchestrator.get_call_allow_list())).toEqual({ targets: [] });
            const anonymous = deflowActor<OrchestratorService>(env.pic, env.deployment, 'orchestrator', orchestratorIdlFactory as unknown as IDL.InterfaceFactory);
            expect(errTag(await anonymous.set_call_allow_list({ targets: [env.ids.oracle] }))).toBe('Unauthorized');
        });

        it("restricts the owner's new definitions and starts to the listed targets, and nobody else's", async () => {
            const stored = okOf(await env.orchestrator.create_workflow(lendingCall()));
            expect(okOf(await env.orchestrator.set_call_allow_list({ targets: [env.ids.oracle, env.ids.oracle] }))).toEqual({ targets: [env.ids.oracle] });
            expect(okOf(await env.orchestrator.get_call_allow_list())).toEqual({ targets: [env.ids.oracle] });

            expect(await env.orchestrator.create_workflow(lendingCall())).toEqual({ Err: { CallRefused: { node_id: 'attack', target: env.ids.lending, reason: { NotOnAllowList: null } } } });
            okOf(await env.orchestrator.create_workflow(probe()));
            // A workflow stored before the list was narrowed does not start.
            expect(errTag(await env.orchestrator.start_execution({ workflow_id: stored.id, input: [] }))).toBe('CallRefused');
            // The stranger keeps no list: the owner's does not apply to them.
            okOf(await asStranger.create_workflow(lendingCall()));

            okOf(await env.orchestrator.set_call_allow_list({ targets: [] }));
            okOf(await env.orchestrator.create_workflow(lendingCall()));
        });

        it('cannot open what the policy closes: DeFlow canisters and the management canister are refused', async () => {
            okOf(await env.orchestrator.set_call_allow_list({ targets: [] }));
            const r = await env.orchestrator.set_call_allow_list({ targets: [env.ids.oracle, env.deployment.peers.executor] });
            expect(errTag(r)).toBe('InvalidInput');
            expect('Err' in r && 'InvalidInput' in r.Err ? r.Err.InvalidInput.field : '').toBe('targets.1');
            expect(errTag(await env.orchestrator.set_call_allow_list({ targets: [Principal.managementCanister()] }))).toBe('InvalidInput');
            expect(okOf(await env.orchestrator.get_call_allow_list())).toEqual({ targets: [] });
        });
    });
});
