/**
 * The DeFlow client library: typed access to a DeFlow deployment for frontends and Node
 * services, over any `@dfinity/agent` agent (an `HttpAgent` against mainnet or the local
 * network, or an agent with an Internet Identity delegation in a browser).
 *
 * Actors are built from the IDL factories in `shared/` (the definitions the canisters are
 * compiled from); answers come back in the domain form of `shared/` (`Workflow`,
 * `Execution`), and every `Err` becomes a thrown {@link DeflowError} carrying the variant.
 *
 * @example
 * const agent = await HttpAgent.create({ host: 'http://127.0.0.1:4943', identity, shouldFetchRootKey: true });
 * const deflow = createDeflowClient({ agent, canisterIds: { orchestrator, scheduler, monitor } });
 * const wf = await deflow.workflows.create(definition);
 * const run = await deflow.executions.start(wf.id, { threshold_e8s: 100 });
 * const done = await deflow.executions.watch(run.id, { onUpdate: (x) => console.log(x.status) });
 */
import { Actor, type Agent } from '@dfinity/agent';
import type { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

import type { VersionInfo } from '../shared/common/version';
import type { Alert } from '../shared/monitoring/alerts';
import type { EmergencyState } from '../shared/monitoring/emergency';
import type { MetricsHistory } from '../shared/monitoring/history';
import type { SystemHealth, SystemMetrics } from '../shared/monitoring/metrics';
import { monitorIdlFactory } from '../shared/monitoring/service';
import type { Schedule, ScheduleKind, SchedulePolicies } from '../shared/scheduling/schedule';
import { schedulerIdlFactory, type ScheduleDetails, type SchedulePage } from '../shared/scheduling/service';
import { decodeWorkflow, encodeWorkflowDefinition, type Workflow, type WorkflowDefinition, type WorkflowStatus } from '../shared/workflow/definition';
import { decodeExecution, decodeExecutionStatus, decodeTrigger, encodeExecutionStatus, type Execution, type ExecutionStatus, type Trigger } from '../shared/workflow/execution';
import type { JsonValue } from '../shared/workflow/json';
import { executorIdlFactory } from '../shared/workflow/executor-api';
import { orchestratorIdlFactory } from '../shared/workflow/orchestrator-api';
import { MAX_PAGE_SIZE } from '../shared/common/page';
import type { OwnerAgentWire } from '../shared/workflow/owner-api';
import type { LiquidationLogWire, PositionManagerWire } from '../shared/workflow/liquidation';
import { fromOpt, toOpt } from '../shared/common/codec';
import { callFailureOf, DeflowCallError, isMissingSubnetKeys, unwrap, type CallFailure, type DeflowCanister } from './errors';
import type { ExecutorService, MonitorService, OrchestratorService, SchedulerService } from './services';

export * from './errors';
export type { ExecutorService, MonitorService, OrchestratorService, SchedulerService } from './services';

/** Canister ids of a deployment (principals or their text form); the executor's is needed only for `versions()`. */
export type DeflowCanisterIds = { orchestrator: Principal | string; scheduler: Principal | string; monitor: Principal | string; executor?: Principal | string };

/** `get_version` of each canister; `executor` is `undefined` when the client was not given its id. */
export type DeflowVersions = Record<'orchestrator' | 'scheduler' | 'monitor', VersionInfo> & { executor: VersionInfo | undefined };

/** Listing order by creation time. */
export type ListOrder = 'OldestFirst' | 'NewestFirst';

/** Options of {@link createDeflowClient}. */
export type DeflowClientOptions = {
    /** Any agent: its identity is the caller DeFlow sees (workflow owner). */
    agent: Agent;
    canisterIds: DeflowCanisterIds;
};

/** A page of results; pass `nextCursor` back to get the next one. */
export type Page<T> = { items: T[]; nextCursor: string | undefined };

/** A row of `workflows.list`. Times are IC nanoseconds. */
export type WorkflowSummary = { id: string; name: string; version: number; status: WorkflowStatus; nodeCount: number; updatedAt: bigint };

/** A row of `executions.list`. Times are IC nanoseconds. */
export type ExecutionSummary = {
    id: string;
    workflowId: string;
    workflowVersion: number;
    trigger: Trigger;
    status: ExecutionStatus;
    createdAt: bigint;
    finishedAt: bigint | undefined;
};

/** True for the statuses an execution never leaves. */
export function isTerminalStatus(status: ExecutionStatus): boolean {
    switch (status) {
        case 'Succeeded':
        case 'Failed':
        case 'Cancelled':
            return true;
        case 'Pending':
        case 'Running':
        case 'Paused':
        case 'Underfunded':
            return false;
    }
}

/** Options of `executions.watch`. */
export type WatchOptions = {
    /** Poll period (default 1000 ms). */
    intervalMs?: number;
    /** Called with every poll's answer whose status or node states changed. */
    onUpdate?: (execution: Execution) => void;
    /** Give up (with an `AbortError`) when aborted. */
    signal?: AbortSignal;
    /** Waits between polls; replaceable in tests. */
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
};

/** The default page size of list calls: a full page (the orchestrator's cap). */
export const DEFAULT_PAGE_LIMIT = MAX_PAGE_SIZE;

/** The typed DeFlow client: see {@link createDeflowClient}. */
export interface DeflowClient {
    /** The raw typed actors, for methods the wrappers do not cover. */
    readonly actors: { orchestrator: OrchestratorService; scheduler: SchedulerService; monitor: MonitorService };
    readonly canisterIds: { orchestrator: Principal; scheduler: Principal; monitor: Principal; executor: Principal | undefined };
    readonly workflows: {
        /** `create_workflow` (update). Errors: InvalidInput, LimitExceeded, CycleDetected, UnknownNode, Unauthorized (anonymous caller). */
        create(definition: WorkflowDefinition): Promise<Workflow>;
        /** `update_workflow` (update): a new version. `expectedVersion` guards against lost updates (Conflict). */
        update(workflowId: string, definition: WorkflowDefinition, expectedVersion?: number): Promise<Workflow>;
        /** `get_workflow` (query): the latest version, or the given one. Errors: NotFound, Unauthorized. */
        get(workflowId: string, version?: number): Promise<Workflow>;
        /** `list_workflows` (query): the caller's workflows, one page. */
        list(page?: { cursor?: string; limit?: number }): Promise<Page<WorkflowSummary>>;
        /** `pause_workflow` (update). Errors: NotFound, Unauthorized, Conflict (already paused). */
        pause(workflowId: string): Promise<Workflow>;
        /** `resume_workflow` (update). Errors: NotFound, Unauthorized, Conflict (not paused). */
        resume(workflowId: string): Promise<Workflow>;
        /** `delete_workflow` (update). Errors: NotFound, Unauthorized, Conflict (executions unfinished). */
        delete(workflowId: string): Promise<void>;
    };
    readonly executions: {
        /** `start_execution` (update). `input` is a JSON value (or JSON text). Errors: InvalidInput, NotFound, Unauthorized, Conflict, EmergencyMode. */
        start(workflowId: string, input?: JsonValue): Promise<Execution>;
        /** `get_execution` (query). Errors: NotFound, Unauthorized. */
        get(executionId: string): Promise<Execution>;
        /**
         * `list_executions` (query), filters ANDed, one page (at most 100) in `order` (default
         * oldest first); pass `nextCursor` back with the same order for the next page.
         */
        list(filter?: { workflowId?: string; status?: ExecutionStatus; cursor?: string; limit?: number; order?: ListOrder }): Promise<Page<ExecutionSummary>>;
        /** `cancel_execution` (update). Errors: NotFound, Unauthorized, Conflict (already finished). */
        cancel(executionId: string): Promise<Execution>;
        /** Polls `get_execution` until the execution reaches a terminal status; answers the final state. */
        watch(executionId: string, options?: WatchOptions): Promise<Execution>;
    };
    readonly schedules: {
        /**
         * `schedule_workflow_execution` (update): every run it starts gets `input` (default `null`).
         * Errors: InvalidInput (e.g. `kind.Cron.expression`, `input.threshold_e8s` when the
         * workflow reads a path the input lacks), NotFound (no such workflow), Unauthorized (not
         * your workflow), Unavailable (orchestrator did not answer; nothing created), LimitExceeded.
         */
        add(workflowId: string, kind: ScheduleKind, policies?: SchedulePolicies, input?: JsonValue): Promise<Schedule>;
        /** `list_persistent_scheduled_executions` (query): the caller's schedules. */
        list(filter?: { workflowId?: string; cursor?: string; limit?: number }): Promise<SchedulePage>;
        /** `get_schedule` (query): the schedule and its recent firings. */
        get(scheduleId: string): Promise<ScheduleDetails>;
        /** `cancel_persistent_execution` (update). */
        cancel(scheduleId: string): Promise<Schedule>;
        pause(scheduleId: string): Promise<Schedule>;
        resume(scheduleId: string): Promise<Schedule>;
    };
    readonly monitor: {
        /** `get_system_health` (query; anyone). */
        health(): Promise<SystemHealth>;
        /** `get_system_metrics` (query; anyone). */
        metrics(): Promise<SystemMetrics>;
        /** `get_metrics_history` (query; anyone): executions per bucket and cycles per canister over the window. */
        history(): Promise<MetricsHistory>;
        /** `check_system_alerts` (update; anyone): evaluates thresholds now, answers the open alerts. */
        alerts(): Promise<Alert[]>;
        /** `acknowledge_alert` (update; admins/controllers). */
        acknowledgeAlert(alertId: bigint): Promise<Alert>;
        /** `enable_emergency_mode` (update; admins/controllers, else Unauthorized). */
        enableEmergency(mode: 'Safe' | 'Emergency', reason: string): Promise<EmergencyState>;
        /** `disable_emergency_mode` (update; admins/controllers, else Unauthorized). */
        disableEmergency(reason: string): Promise<EmergencyState>;
    };
    /** `get_version` of every canister (the executor's only when its id was given). */
    versions(): Promise<DeflowVersions>;
    /** `get_version` of the three canisters. */
    versions(): Promise<Record<'orchestrator' | 'scheduler' | 'monitor', VersionInfo>>;
    /**
     * `get_agent` (query): the caller's agent, the principal every call node of theirs goes out
     * from (grant it access on the canisters your workflows call). `Requested` until the
     * executor has created it, right after the first workflow. Errors: NotFound (no workflow
     * yet), Unauthorized (anonymous caller).
     */
    agent(): Promise<OwnerAgentWire>;
    /** The caller's position manager, what their `LiquidatePosition` actions call (docs/workflows.md, "LiquidatePosition"). */
    positions: {
        /** `set_position_manager` (update): sets it, or with `undefined` removes it. Errors: InvalidInput (`manager.<field>`: e.g. a canister the call policy refuses), Unauthorized (anonymous). */
        setManager(manager: PositionManagerWire | undefined): Promise<PositionManagerWire | undefined>;
        /** `get_position_manager` (query): `undefined` when none is set. */
        manager(): Promise<PositionManagerWire | undefined>;
        /** `list_liquidations` (query): the caller's latest liquidations, newest first, and their total. */
        liquidations(): Promise<LiquidationLogWire>;
    };
}

function principalOf(id: Principal | string): Principal {
    return typeof id === 'string' ? Principal.fromText(id) : id;
}

/** The `read_state` path of a subnet's node keys (what the agent fetches to check query signatures). */
const SUBNET_PATH = [new TextEncoder().encode('subnet')];

/**
 * The cause of a failed call. When the agent could not check a query's signatures because its
 * fetch of the subnet's keys failed (it swallows that reason), the same `read_state` is asked
 * directly and its typed failure is the cause: for an id no subnet hosts, both the query and
 * the key fetch are refused with HTTP 400 / IC0301, and which of the two the agent reported
 * first used to depend on timing.
 */
async function diagnoseCallFailure(failure: CallFailure, agent: Agent, canisterId: Principal): Promise<CallFailure> {
    if (!isMissingSubnetKeys(failure)) return failure;
    try {
        await agent.readState(canisterId, { paths: [SUBNET_PATH] });
        return failure;
    } catch (error) {
        const cause = callFailureOf(error);
        return cause === null || isMissingSubnetKeys(cause) ? failure : cause;
    }
}

/**
 * Wraps every method of an actor so that agent failures become {@link DeflowCallError},
 * classified by cause. Canister `Err` answers are left to the caller's `unwrap`.
 */
function guarded<S extends object>(canister: DeflowCanister, actor: S, agent: Agent, canisterId: Principal): S {
    return new Proxy(actor, {
        get(target, property, receiver) {
            const value: unknown = Reflect.get(target, property, receiver);
            if (typeof value !== 'function' || typeof property !== 'string') return value;
            return async (...args: unknown[]): Promise<unknown> => {
                try {
                    return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
                } catch (error) {
                    const failure = callFailureOf(error);
                    if (failure === null) throw error;
                    throw new DeflowCallError(canister, property, await diagnoseCallFailure(failure, agent, canisterId), { cause: error, canisterId });
                }
            };
        }
    });
}

function actorOf<S extends object>(canister: DeflowCanister, idlFactory: IDL.InterfaceFactory, agent: Agent, canisterId: Principal): S {
    return guarded(canister, Actor.createActor<S>(idlFactory, { agent, canisterId }), agent, canisterId);
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal?.aborted === true) return reject(signal.reason);
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        const onAbort = (): void => {
            clearTimeout(timer);
            reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}

/** A fingerprint of what a watcher shows: status and each node's status and attempt count. */
function progressKey(execution: Execution): string {
    return [execution.status, ...execution.nodes.map((n) => `${n.nodeId}:${n.status}:${n.attempts.length}`)].join('|');
}

/**
 * Creates a typed client for one DeFlow deployment.
 *
 * @example
 * const deflow = createDeflowClient({ agent, canisterIds: deployment.peers });
 * const { items } = await deflow.workflows.list();
 */
export function createDeflowClient(options: DeflowClientOptions): DeflowClient {
    const ids = {
        orchestrator: principalOf(options.canisterIds.orchestrator),
        scheduler: principalOf(options.canisterIds.scheduler),
        monitor: principalOf(options.canisterIds.monitor),
        executor: options.canisterIds.executor === undefined ? undefined : principalOf(options.canisterIds.executor)
    };
    const orchestrator = actorOf<OrchestratorService>('orchestrator', orchestratorIdlFactory as IDL.InterfaceFactory, options.agent, ids.orchestrator);
    const scheduler = actorOf<SchedulerService>('scheduler', schedulerIdlFactory, options.agent, ids.scheduler);
    const monitor = actorOf<MonitorService>('monitor', monitorIdlFactory, options.agent, ids.monitor);
    const executor = ids.executor === undefined ? undefined : actorOf<ExecutorService>('executor', executorIdlFactory as IDL.InterfaceFactory, options.agent, ids.executor);

    const workflows: DeflowClient['workflows'] = {
        async create(definition) {
            return decodeWorkflow(unwrap(await orchestrator.create_workflow(encodeWorkflowDefinition(definition)), 'orchestrator', 'create_workflow'));
        },
        async update(workflowId, definition, expectedVersion) {
            const arg = { workflow_id: workflowId, expected_version: toOpt(expectedVersion), definition: encodeWorkflowDefinition(definition) };
            return decodeWorkflow(unwrap(await orchestrator.update_workflow(arg), 'orchestrator', 'update_workflow'));
        },
        async get(workflowId, version) {
            return decodeWorkflow(unwrap(await orchestrator.get_workflow({ workflow_id: workflowId, version: toOpt(version) }), 'orchestrator', 'get_workflow'));
        },
        async list(page = {}) {
            const r = unwrap(await orchestrator.list_workflows({ cursor: toOpt(page.cursor), limit: page.limit ?? DEFAULT_PAGE_LIMIT }), 'orchestrator', 'list_workflows');
            return {
                items: r.items.map((s) => ({ id: s.id, name: s.name, version: s.version, status: 'Active' in s.status ? 'Active' : 'Paused', nodeCount: s.node_count, updatedAt: s.updated_at })),
                nextCursor: fromOpt(r.next_cursor)
            };
        },
        async pause(workflowId) {
            return decodeWorkflow(unwrap(await orchestrator.pause_workflow({ workflow_id: workflowId }), 'orchestrator', 'pause_workflow'));
        },
        async resume(workflowId) {
            return decodeWorkflow(unwrap(await orchestrator.resume_workflow({ workflow_id: workflowId }), 'orchestrator', 'resume_workflow'));
        },
        async delete(workflowId) {
            unwrap(await orchestrator.delete_workflow({ workflow_id: workflowId }), 'orchestrator', 'delete_workflow');
        }
    };

    const executions: DeflowClient['executions'] = {
        async start(workflowId, input) {
            const arg = { workflow_id: workflowId, input: toOpt(input === undefined ? undefined : JSON.stringify(input)) };
            return decodeExecution(unwrap(await orchestrator.start_execution(arg), 'orchestrator', 'start_execution'));
        },
        async get(executionId) {
            return decodeExecution(unwrap(await orchestrator.get_execution({ execution_id: executionId }), 'orchestrator', 'get_execution'));
        },
        async list(filter = {}) {
            const arg = {
                workflow_id: toOpt(filter.workflowId),
                status: toOpt(filter.status === undefined ? undefined : encodeExecutionStatus(filter.status)),
                page: { cursor: toOpt(filter.cursor), limit: filter.limit ?? DEFAULT_PAGE_LIMIT },
                order: toOpt(filter.order === undefined ? undefined : filter.order === 'NewestFirst' ? { NewestFirst: null } : { OldestFirst: null })
            };
            const r = unwrap(await orchestrator.list_executions(arg), 'orchestrator', 'list_executions');
            return {
                items: r.items.map((s) => ({
                    id: s.id,
                    workflowId: s.workflow_id,
                    workflowVersion: s.workflow_version,
                    trigger: decodeTrigger(s.trigger),
                    status: decodeExecutionStatus(s.status),
                    createdAt: s.created_at,
                    finishedAt: fromOpt(s.finished_at)
                })),
                nextCursor: fromOpt(r.next_cursor)
            };
        },
        async cancel(executionId) {
            return decodeExecution(unwrap(await orchestrator.cancel_execution({ execution_id: executionId }), 'orchestrator', 'cancel_execution'));
        },
        async watch(executionId, watchOptions = {}) {
            const sleep = watchOptions.sleep ?? defaultSleep;
            let last = '';
            for (;;) {
                const execution = await executions.get(executionId);
                const key = progressKey(execution);
                if (key !== last) {
                    last = key;
                    watchOptions.onUpdate?.(execution);
                }
                if (isTerminalStatus(execution.status)) return execution;
                await sleep(watchOptions.intervalMs ?? 1000, watchOptions.signal);
            }
        }
    };

    const schedules: DeflowClient['schedules'] = {
        async add(workflowId, kind, policies, input) {
            const arg = { workflow_id: workflowId, kind, policies: toOpt(policies), owner: [] as [], input: toOpt(input === undefined ? undefined : JSON.stringify(input)) };
            return unwrap(await scheduler.schedule_workflow_execution(arg), 'scheduler', 'schedule_workflow_execution');
        },
        async list(filter = {}) {
            const arg = { workflow_id: toOpt(filter.workflowId), owner: [] as [], cursor: toOpt(filter.cursor), limit: toOpt(filter.limit) };
            return unwrap(await scheduler.list_persistent_scheduled_executions(arg), 'scheduler', 'list_persistent_scheduled_executions');
        },
        async get(scheduleId) {
            return unwrap(await scheduler.get_schedule(scheduleId), 'scheduler', 'get_schedule');
        },
        async cancel(scheduleId) {
            return unwrap(await scheduler.cancel_persistent_execution(scheduleId), 'scheduler', 'cancel_persistent_execution');
        },
        async pause(scheduleId) {
            return unwrap(await scheduler.pause_schedule(scheduleId), 'scheduler', 'pause_schedule');
        },
        async resume(scheduleId) {
            return unwrap(await scheduler.resume_schedule(scheduleId), 'scheduler', 'resume_schedule');
        }
    };

    const monitorApi: DeflowClient['monitor'] = {
        health: () => monitor.get_system_health(),
        metrics: () => monitor.get_system_metrics(),
        history: () => monitor.get_metrics_history(),
        async alerts() {
            return unwrap(await monitor.check_system_alerts(), 'monitor', 'check_system_alerts');
        },
        async acknowledgeAlert(alertId) {
            return unwrap(await monitor.acknowledge_alert(alertId), 'monitor', 'acknowledge_alert');
        },
        async enableEmergency(mode, reason) {
            const request = { mode: mode === 'Safe' ? { Safe: null } : { Emergency: null }, reason };
            return unwrap(await monitor.enable_emergency_mode(request), 'monitor', 'enable_emergency_mode');
        },
        async disableEmergency(reason) {
            return unwrap(await monitor.disable_emergency_mode({ reason }), 'monitor', 'disable_emergency_mode');
        }
    };

    return {
        actors: { orchestrator, scheduler, monitor },
        canisterIds: ids,
        workflows,
        executions,
        schedules,
        monitor: monitorApi,
        async versions() {
            const [o, s, m, e] = await Promise.all([orchestrator.get_version(), scheduler.get_version(), monitor.get_version(), executor?.get_version()]);
            return { orchestrator: o, scheduler: s, monitor: m, executor: e };
        },
        async agent() {
            return unwrap(await orchestrator.get_agent(), 'orchestrator', 'get_agent');
        },
        positions: {
            async setManager(manager) {
                return fromOpt(unwrap(await orchestrator.set_position_manager({ manager: toOpt(manager) }), 'orchestrator', 'set_position_manager'));
            },
            async manager() {
                return fromOpt(unwrap(await orchestrator.get_position_manager(), 'orchestrator', 'get_position_manager'));
            },
            async liquidations() {
                return unwrap(await orchestrator.list_liquidations(), 'orchestrator', 'list_liquidations');
            }
        }
    };
}
