/**
 * Helpers for the orchestrator/executor integration tests: the four DeFlow canisters plus
 * the two demo canisters (price oracle, lending position), typed actors, workflow fixtures
 * pointing at the real demo canister ids, and time driving (advanceTime + tick, no sleeps).
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { createIdentity, type Actor, type ActorInterface, type PocketIc } from '@dfinity/pic';

import { executorIdlFactory, orchestratorIdlFactory, type ExecutionWire, type WorkflowError, type WorkflowWire } from '../../../shared/workflow';
import type { PriceOracleService } from '../../../canisters/demo/price-oracle/src/interface';
import type { LendingPositionService } from '../../../canisters/demo/lending-position/src/interface';
import { deployDemoCanisters } from '../../../drill/env';
import { liquidationDefinition } from '../../../drill/workflows';
import { deployDeflow, deflowActor, type DeflowDeployment } from './deflow';
import { monitorActor } from './monitoring';
import { createPic } from './pic';
import { tickUntil, type TickOptions } from './ticking';
import type { OrchestratorService, ExecutorService } from './workflow-services';

export type { OrchestratorService, ExecutorService } from './workflow-services';
export { delayDefinition, EMPTY_CANDID_ARGS, liquidationDefinition, liquidationInput, oracleProbeDefinition, pointAtDemo } from '../../../drill/workflows';

export type Identity = ReturnType<typeof createIdentity>;

/** Everything a workflow test needs, deployed once per test file. */
export type WorkflowEnv = {
    pic: PocketIc;
    deployment: DeflowDeployment;
    owner: Identity;
    stranger: Identity;
    /** A configured admin (emergency mode, dead letters). */
    admin: Identity;
    orchestrator: Actor<OrchestratorService>;
    executor: Actor<ExecutorService>;
    oracle: Actor<PriceOracleService>;
    backupOracle: Actor<PriceOracleService>;
    lending: Actor<LendingPositionService>;
    ids: { oracle: Principal; backupOracle: Principal; lending: Principal };
};

/**
 * The one fixture of a workflow spec (call it once, at the top of the outer `describe`): its
 * `beforeAll` starts a fresh PocketIC instance and deploys DeFlow and the demo canisters into it
 * ({@link deployWorkflowEnv}), its `afterAll` tears the instance down. The value it returns is
 * the environment of the running spec, readable in tests and in hooks registered after it;
 * reading it outside them is a mistake in the spec and throws.
 *
 * @example
 * const env = useWorkflowEnv();
 * it('starts', async () => { await env.orchestrator.start_execution(...); await env.pic.tick(); });
 */
export function useWorkflowEnv(options: { withoutAgentModule?: boolean; pic?: Parameters<typeof createPic>[0] } = {}): WorkflowEnv {
    let current: WorkflowEnv | undefined;
    beforeAll(async () => {
        current = await deployWorkflowEnv(await createPic(options.pic), options);
    });
    afterAll(async () => {
        await current?.pic.tearDown();
        current = undefined;
    });
    const live = (key: string | symbol): WorkflowEnv => {
        if (current === undefined) throw new Error(`useWorkflowEnv(): env.${String(key)} read outside a test or hook (the environment exists from its beforeAll to its afterAll)`);
        return current;
    };
    const handler: ProxyHandler<Partial<WorkflowEnv>> = {
        get: (_target, key) => live(key)[key as keyof WorkflowEnv],
        // Spreading (`{ ...env, orchestrator: other }`) copies the live environment's fields.
        ownKeys: () => Reflect.ownKeys(live('keys')),
        getOwnPropertyDescriptor: (_target, key) => {
            const env = live(key);
            return key in env ? { value: env[key as keyof WorkflowEnv], enumerable: true, configurable: true, writable: false } : undefined;
        }
    };
    // The proxy forwards every read to the live environment, so it stands for a WorkflowEnv.
    return new Proxy<Partial<WorkflowEnv>>({}, handler) as WorkflowEnv;
}

/** Deploys DeFlow and the demo canisters; the orchestrator actor speaks as `owner`. */
export async function deployWorkflowEnv(pic: PocketIc, options: { withoutAgentModule?: boolean } = {}): Promise<WorkflowEnv> {
    const admin = createIdentity('workflow-admin');
    const deployment = await deployDeflow(pic, { admins: [admin.getPrincipal()], ...options });
    const demo = await deployDemoCanisters(pic);
    const owner = createIdentity('workflow-owner');
    const stranger = createIdentity('workflow-stranger');
    return {
        pic,
        deployment,
        owner,
        stranger,
        admin,
        orchestrator: deflowActor<OrchestratorService>(pic, deployment, 'orchestrator', orchestratorIdlFactory as unknown as IDL.InterfaceFactory, owner),
        executor: deflowActor<ExecutorService>(pic, deployment, 'executor', executorIdlFactory as unknown as IDL.InterfaceFactory),
        ...demo
    };
}

/** The `Ok` of a Result, or a test failure naming the error tag. */
export function okOf<T>(r: { Ok: T } | { Err: WorkflowError | unknown }): T {
    if ('Ok' in r) return r.Ok;
    throw new Error(`expected Ok, got Err ${JSON.stringify(r.Err, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
}

/** The tag of an `Err`, for `expect(errTag(r)).toBe('Unauthorized')`. */
export function errTag(r: { Ok: unknown } | { Err: object }): string | undefined {
    return 'Err' in r ? Object.keys(r.Err)[0] : undefined;
}

export async function createWorkflow(env: WorkflowEnv, def: ReturnType<typeof liquidationDefinition>): Promise<WorkflowWire> {
    return okOf(await env.orchestrator.create_workflow(def));
}

export function statusOf(x: ExecutionWire): string {
    return Object.keys(x.status)[0] ?? '';
}

export function nodeOf(x: ExecutionWire, id: string): ExecutionWire['nodes'][number] {
    const n = x.nodes.find((s) => s.node_id === id);
    if (n === undefined) throw new Error(`no node ${id}`);
    return n;
}

export function nodeStatus(x: ExecutionWire, id: string): string {
    return Object.keys(nodeOf(x, id).status)[0] ?? '';
}

const TERMINAL = ['Succeeded', 'Failed', 'Cancelled'];

/**
 * Ticks (and optionally advances time between ticks) until `done` holds for the execution
 * (read through `env.orchestrator`: pass `{ ...env, orchestrator: actor }` to read as another
 * caller), at most `maxRounds` times; returns the last state seen.
 */
export async function driveUntil(env: WorkflowEnv, executionId: string, done: (x: ExecutionWire) => boolean, options: TickOptions = {}): Promise<ExecutionWire> {
    return await tickUntil(env.pic, async () => okOf(await env.orchestrator.get_execution({ execution_id: executionId })), done, options);
}

/** Drives until the execution finished (Succeeded, Failed or Cancelled). */
export async function driveToEnd(env: WorkflowEnv, executionId: string, options: TickOptions = {}): Promise<ExecutionWire> {
    return await driveUntil(env, executionId, (x) => TERMINAL.includes(statusOf(x)), options);
}

/** A copy of a wire definition with node `nodeId`'s timeout set to `ms`. */
export function withNodeTimeout<D extends { nodes: { id: string; timeout_ms: [] | [bigint] }[] }>(def: D, nodeId: string, ms: number): D {
    return { ...def, nodes: def.nodes.map((n) => (n.id === nodeId ? { ...n, timeout_ms: [BigInt(ms)] } : n)) };
}

function actorAs<T extends ActorInterface<T>>(env: WorkflowEnv, role: 'orchestrator' | 'executor', idlFactory: IDL.InterfaceFactory, caller: Principal): Actor<T> {
    const actor = deflowActor<T>(env.pic, env.deployment, role, idlFactory);
    actor.setPrincipal(caller);
    return actor;
}

/**
 * An orchestrator actor speaking as `caller`: a peer canister (`env.deployment.peers.monitor`)
 * or a dapp canister. PocketIC accepts any sender, so tests reach peer endpoints directly.
 */
export function orchestratorAs(env: WorkflowEnv, caller: Principal): Actor<OrchestratorService> {
    return actorAs<OrchestratorService>(env, 'orchestrator', orchestratorIdlFactory as unknown as IDL.InterfaceFactory, caller);
}

/** The principal of the agent of the owner `actor` speaks as, once `Ready` (created at their first workflow; a few rounds). */
export async function readyAgentOf(env: WorkflowEnv, actor: Actor<OrchestratorService>): Promise<Principal> {
    const a = await tickUntil(env.pic, async () => okOf(await actor.get_agent()), (a) => 'Ready' in a.status && a.agent[0] !== undefined, { maxRounds: 10 });
    if (!('Ready' in a.status) || a.agent[0] === undefined) throw new Error('agent never became Ready');
    return a.agent[0];
}

/** An executor actor speaking as `caller` (e.g. `env.deployment.peers.orchestrator`). */
export function executorAs(env: WorkflowEnv, caller: Principal): Actor<ExecutorService> {
    return actorAs<ExecutorService>(env, 'executor', executorIdlFactory as unknown as IDL.InterfaceFactory, caller);
}

/**
 * Sets the system mode the way an operator does: `env.admin` asks the monitor, which pushes
 * the state to the orchestrator, scheduler and executor; a few rounds let the pushes land.
 * (Tests no longer impersonate the monitor with a far-future `changed_at`.)
 */
export async function setSystemMode(env: WorkflowEnv, mode: 'Emergency' | 'Safe' | 'Normal', reason = 'integration test'): Promise<void> {
    const monitor = monitorActor(env.pic, env.deployment, env.admin);
    const r = mode === 'Normal' ? await monitor.disable_emergency_mode({ reason }) : await monitor.enable_emergency_mode({ mode: mode === 'Safe' ? { Safe: null } : { Emergency: null }, reason });
    okOf(r);
    await env.pic.tick(3);
}
