/**
 * Security > access matrix: every public method of every DeFlow canister, called by every caller
 * class, is either refused with the typed `Unauthorized` error or let through, as its caller
 * rule (docs/security.md) says; no method traps or rejects for a caller it refuses.
 *
 * The method list is read from each deployed module's own `candid:service` metadata, so a method
 * added without a rule here fails this spec. Arguments are the smallest well-typed values
 * (support/candid-defaults.ts), except where a rule tells owner from stranger: there the
 * argument names the owner's own workflow, execution, schedule or agent.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { createIdentity, type PocketIc } from '@dfinity/pic';

import { agentIdlFactory } from '../../../shared/agent/api';
import { PEER_ROLES, type PeerRole } from '../../../shared/common/deployment';
import { executorIdlFactory, orchestratorIdlFactory } from '../../../shared/workflow';
import { builtWasmPath, deployDeflow, type DeflowDeployment } from '../../../cli/deploy';
import { defaultArgs } from '../support/candid-defaults';
import { declaredMethodsOf } from '../support/candid-methods';
import { monitorIdlFactory } from '../support/monitoring';
import { createPic } from '../support/pic';
import { schedulerIdlFactory } from '../support/scheduling';
import { tickUntil } from '../support/ticking';
import { delayDefinition, okOf, type OrchestratorService } from '../support/workflows';

jest.setTimeout(300_000);

const CALLER_CLASSES = ['anonymous', 'stranger', 'admin', 'controller', 'orchestrator', 'scheduler', 'executor', 'monitor', 'agent', 'unrelatedCanister', 'owner'] as const;
type CallerClass = (typeof CALLER_CLASSES)[number];
type CanisterName = PeerRole | 'agent';

/** Who gets through; everyone else must get `Err { Unauthorized }`. */
const ANYONE: readonly CallerClass[] = CALLER_CLASSES;
const SIGNED_IN: readonly CallerClass[] = CALLER_CLASSES.filter((c) => c !== 'anonymous');
const ADMINS: readonly CallerClass[] = ['admin', 'controller'];
const only = (...classes: CallerClass[]): readonly CallerClass[] => classes;

const RULES: Record<CanisterName, Record<string, readonly CallerClass[]>> = {
    orchestrator: {
        create_workflow: SIGNED_IN,
        update_workflow: only('owner'),
        get_workflow: only('owner'),
        pause_workflow: only('owner'),
        resume_workflow: only('owner'),
        delete_workflow: only('owner'),
        list_workflows: ANYONE,
        list_executions: ANYONE,
        start_execution: only('owner'),
        start_execution_with_callback: only('owner'),
        cancel_execution: only('owner'),
        get_execution: only('owner'),
        set_call_allow_list: SIGNED_IN,
        get_call_allow_list: SIGNED_IN,
        set_position_manager: SIGNED_IN,
        get_position_manager: SIGNED_IN,
        list_liquidations: SIGNED_IN,
        get_owner_quotas: SIGNED_IN,
        set_owner_quotas: ADMINS,
        get_agent: SIGNED_IN,
        // Any canister may top up any owner's agent (only canisters can attach cycles).
        top_up_agent: ANYONE,
        list_dead_letters: ADMINS,
        start_scheduled_execution: only('scheduler'),
        check_schedule_target: only('scheduler'),
        report_node_result: only('executor'),
        set_emergency_mode: only('monitor'),
        get_version: ANYONE
    },
    executor: {
        run_node_attempt: only('orchestrator'),
        cancel_execution_attempts: only('orchestrator'),
        ensure_agent: only('orchestrator'),
        read_through_agent: only('scheduler'),
        upload_agent_module_chunk: ADMINS,
        set_agent_module: ADMINS,
        upgrade_agents: ADMINS,
        set_agent_subnets: ADMINS,
        get_agent_subnets: ANYONE,
        get_agent: ANYONE,
        get_node_attempt: only('orchestrator', 'admin', 'controller'),
        list_dead_letters: ADMINS,
        set_emergency_mode: only('monitor'),
        get_version: ANYONE
    },
    scheduler: {
        schedule_workflow_execution: SIGNED_IN,
        list_persistent_scheduled_executions: ANYONE,
        get_schedule: only('owner', 'orchestrator', 'admin', 'controller'),
        pause_schedule: only('owner', 'orchestrator', 'admin', 'controller'),
        resume_schedule: only('owner', 'orchestrator', 'admin', 'controller'),
        cancel_persistent_execution: only('owner', 'orchestrator', 'admin', 'controller'),
        notify_execution_finished: only('orchestrator'),
        notify_workflow_changed: only('orchestrator'),
        set_emergency_mode: only('monitor'),
        set_schedule_quota: ADMINS,
        get_schedule_quota: SIGNED_IN,
        list_dead_letters: ADMINS,
        get_version: ANYONE
    },
    monitor: {
        get_system_health: ANYONE,
        get_system_metrics: ANYONE,
        get_metrics_history: ANYONE,
        check_system_alerts: ANYONE,
        trigger_health_check: ADMINS,
        enable_emergency_mode: ADMINS,
        disable_emergency_mode: ADMINS,
        acknowledge_alert: ADMINS,
        get_notifications: ADMINS,
        set_dependencies: ADMINS,
        set_thresholds: ADMINS,
        set_top_up_policy: ADMINS,
        send_system_notification: only('orchestrator', 'scheduler', 'executor', 'admin', 'controller'),
        report_health: only('orchestrator', 'scheduler', 'executor'),
        raise_emergency_for_owner: only('orchestrator'),
        set_emergency_owner: ADMINS,
        get_emergency_authority: ADMINS,
        list_dead_letters: ADMINS,
        get_version: ANYONE
    },
    agent: {
        perform_call: only('executor'),
        withdraw_cycles: only('owner'),
        get_agent_info: ANYONE,
        get_version: ANYONE
    }
};

const FACTORIES: Record<CanisterName, IDL.InterfaceFactory> = {
    orchestrator: orchestratorIdlFactory as unknown as IDL.InterfaceFactory,
    executor: executorIdlFactory as unknown as IDL.InterfaceFactory,
    scheduler: schedulerIdlFactory,
    monitor: monitorIdlFactory,
    agent: agentIdlFactory as unknown as IDL.InterfaceFactory
};

/** The method names a module declares in its `candid:service` metadata. */
function declaredMethods(name: CanisterName): string[] {
    return declaredMethodsOf(builtWasmPath(name));
}

type Outcome = 'allowed' | 'Unauthorized' | `reject: ${string}`;

function outcomeOf(reply: unknown): Outcome {
    if (reply !== null && typeof reply === 'object' && 'Err' in reply) {
        const err = (reply as { Err: unknown }).Err;
        if (err !== null && typeof err === 'object' && 'Unauthorized' in err) return 'Unauthorized';
    }
    return 'allowed';
}

describe('Security > access matrix', () => {
    let pic: PocketIc;
    let deployment: DeflowDeployment;
    const principals = {} as Record<CallerClass, Principal>;
    const canisters = {} as Record<CanisterName, Principal>;
    /** Arguments naming the owner's own things (or the caller itself), per method; the rest get default values. */
    const ownArgs: Partial<Record<CanisterName, Record<string, (caller: CallerClass) => unknown[]>>> = {};

    beforeAll(async () => {
        pic = await createPic();
        const admin = createIdentity('matrix-admin');
        const controller = createIdentity('matrix-controller');
        const owner = createIdentity('matrix-owner');
        deployment = await deployDeflow(pic, { admins: [admin.getPrincipal()], controller: controller.getPrincipal() });
        for (const role of PEER_ROLES) canisters[role] = deployment.peers[role];
        const unrelated = await pic.createCanister();

        const orchestrator = pic.createActor<OrchestratorService>(FACTORIES.orchestrator, canisters.orchestrator);
        orchestrator.setIdentity(owner);
        const workflow = okOf(await orchestrator.create_workflow(delayDefinition(3_600_000)));
        const execution = okOf(await orchestrator.start_execution({ workflow_id: workflow.id, input: [] }));
        const agent = await tickUntil(pic, async () => okOf(await orchestrator.get_agent()).agent[0], (a) => a !== undefined, { maxRounds: 10 });
        if (agent === undefined) throw new Error('the owner has no agent');
        canisters.agent = agent;
        const scheduler = pic.createActor<{ schedule_workflow_execution: (r: unknown) => Promise<{ Ok: { id: string } } | { Err: unknown }> }>(FACTORIES.scheduler, canisters.scheduler);
        scheduler.setIdentity(owner);
        const schedule = okOf(await scheduler.schedule_workflow_execution({ workflow_id: workflow.id, kind: { Interval: { every_seconds: 3600n, start_at: [], end_at: [] } }, policies: [], owner: [], input: [] }));

        Object.assign(principals, {
            anonymous: Principal.anonymous(),
            stranger: createIdentity('matrix-stranger').getPrincipal(),
            admin: admin.getPrincipal(),
            controller: controller.getPrincipal(),
            orchestrator: canisters.orchestrator,
            scheduler: canisters.scheduler,
            executor: canisters.executor,
            monitor: canisters.monitor,
            agent,
            unrelatedCanister: unrelated,
            owner: owner.getPrincipal()
        });
        const fixed = (...args: unknown[]) => (): unknown[] => args;
        const workflowRef = fixed({ workflow_id: workflow.id });
        ownArgs.orchestrator = {
            update_workflow: fixed({ workflow_id: workflow.id, expected_version: [], definition: delayDefinition(3_600_000) }),
            get_workflow: fixed({ workflow_id: workflow.id, version: [] }),
            pause_workflow: workflowRef,
            resume_workflow: workflowRef,
            start_execution: fixed({ workflow_id: workflow.id, input: [] }),
            // The owner is a user: past the caller rule it is refused as a callback target (InvalidInput).
            start_execution_with_callback: fixed({ workflow_id: workflow.id, input: [], callback_method: 'on_execution_complete' }),
            get_execution: fixed({ execution_id: execution.id }),
            cancel_execution: fixed({ execution_id: execution.id }),
            // Last in the method order below: deleting it ends the other owner-scoped checks.
            delete_workflow: workflowRef
        };
        const scheduleRef = fixed(schedule.id);
        ownArgs.scheduler = { get_schedule: scheduleRef, pause_schedule: scheduleRef, resume_schedule: scheduleRef, cancel_persistent_execution: scheduleRef };
        ownArgs.agent = { withdraw_cycles: fixed({ to: unrelated, amount: 1n }) };
        // A peer reports about itself, under its own role.
        const roles: Partial<Record<CallerClass, string>> = { orchestrator: 'Orchestrator', scheduler: 'Scheduler', executor: 'Executor', monitor: 'Monitor' };
        ownArgs.monitor = {
            report_health: (caller) => [{ canister: principals[caller], role: { [roles[caller] ?? 'Orchestrator']: null }, sequence: 1n, last_heartbeat: 0n, active_executions: 0, failures_total: 0n, executions_completed_total: 0n, execution_time_ns_total: 0n, cycles_balance: 0n, heap_memory_bytes: 0n, stable_memory_bytes: 0n, canister_version: 0n }]
        };
    });

    afterAll(async () => {
        await pic?.tearDown();
    });

    it.each(Object.keys(RULES) as CanisterName[])('%s: every declared method has a caller rule', (name) => {
        expect(Object.keys(RULES[name]).sort()).toEqual(declaredMethods(name));
    });

    it.each(Object.keys(RULES) as CanisterName[])('%s: each caller class is refused or let through as its rule says', async (name) => {
        const service = FACTORIES[name]({ IDL });
        const methods = new Map(service._fields);
        const seen: string[] = [];
        const expected: string[] = [];
        // delete_workflow last, so the owner's workflow exists for every other check.
        const order = Object.keys(RULES[name]).sort((a, b) => Number(a === 'delete_workflow') - Number(b === 'delete_workflow'));
        for (const method of order) {
            const func = methods.get(method);
            if (func === undefined) throw new Error(`${name}.${method} is not in the client's interface`);
            const actor = pic.createActor<Record<string, (...args: unknown[]) => Promise<unknown>>>(FACTORIES[name], canisters[name]);
            const rule = RULES[name][method]!;
            // Refused callers first: an allowed caller's effect (a cancel, a delete) must not
            // turn a later refusal into NotFound.
            const callers = [...CALLER_CLASSES.filter((c) => !rule.includes(c)), ...CALLER_CLASSES.filter((c) => rule.includes(c))];
            for (const caller of callers) {
                const args = ownArgs[name]?.[method]?.(caller) ?? defaultArgs(func, principals.stranger);
                actor.setPrincipal(principals[caller]);
                let outcome: Outcome;
                try {
                    outcome = outcomeOf(await actor[method]!(...args));
                } catch (e) {
                    outcome = `reject: ${String(e instanceof Error ? e.message : e).split('\n')[0]}`;
                }
                const allowed = rule.includes(caller);
                seen.push(`${method} as ${caller}: ${outcome}`);
                expected.push(`${method} as ${caller}: ${allowed ? 'allowed' : 'Unauthorized'}`);
            }
        }
        expect(seen).toEqual(expected);
    });
});
