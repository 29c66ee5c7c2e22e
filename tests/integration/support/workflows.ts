/**
 * Helpers for the orchestrator/executor integration tests: the four DeFlow canisters plus
 * the two demo canisters (price oracle, lending position), typed actors, workflow fixtures
 * pointing at the real demo canister ids, and time driving (advanceTime + tick, no sleeps).
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { createIdentity, type Actor, type PocketIc } from '@dfinity/pic';

import { executorIdlFactory, orchestratorIdlFactory, type ExecutionWire, type WorkflowError, type WorkflowWire } from '../../../shared/workflow';
import type { PriceOracleService } from '../../../canisters/demo/price-oracle/src/interface';
import type { LendingPositionService } from '../../../canisters/demo/lending-position/src/interface';
import { deployDemoCanisters } from '../../../drill/env';
import { liquidationDefinition } from '../../../drill/workflows';
import { deployDeflow, deflowActor, type DeflowDeployment } from './deflow';
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
    orchestrator: Actor<OrchestratorService>;
    executor: Actor<ExecutorService>;
    oracle: Actor<PriceOracleService>;
    backupOracle: Actor<PriceOracleService>;
    lending: Actor<LendingPositionService>;
    ids: { oracle: Principal; backupOracle: Principal; lending: Principal };
};

/** Deploys DeFlow and the demo canisters; the orchestrator actor speaks as `owner`. */
export async function deployWorkflowEnv(pic: PocketIc): Promise<WorkflowEnv> {
    const deployment = await deployDeflow(pic);
    const demo = await deployDemoCanisters(pic);
    const owner = createIdentity('workflow-owner');
    const stranger = createIdentity('workflow-stranger');
    return {
        pic,
        deployment,
        owner,
        stranger,
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
 * Ticks (and optionally advances time between ticks) until `done` holds for the execution,
 * at most `maxRounds` times; returns the last state seen.
 */
export async function driveUntil(env: WorkflowEnv, executionId: string, done: (x: ExecutionWire) => boolean, options: { stepMs?: number; maxRounds?: number } = {}): Promise<ExecutionWire> {
    const maxRounds = options.maxRounds ?? 40;
    let last = okOf(await env.orchestrator.get_execution({ execution_id: executionId }));
    for (let i = 0; i < maxRounds && !done(last); i++) {
        if (options.stepMs !== undefined) await env.pic.advanceTime(options.stepMs);
        await env.pic.tick(2);
        last = okOf(await env.orchestrator.get_execution({ execution_id: executionId }));
    }
    return last;
}

/** Drives until the execution finished (Succeeded, Failed or Cancelled). */
export async function driveToEnd(env: WorkflowEnv, executionId: string, options: { stepMs?: number; maxRounds?: number } = {}): Promise<ExecutionWire> {
    return await driveUntil(env, executionId, (x) => TERMINAL.includes(statusOf(x)), options);
}
