/**
 * Helpers for the orchestrator/executor integration tests: the four DeFlow canisters plus
 * the two demo canisters (price oracle, lending position), typed actors, workflow fixtures
 * pointing at the real demo canister ids, and time driving (advanceTime + tick, no sleeps).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { createIdentity, type Actor, type PocketIc } from '@dfinity/pic';

import { BACKUP_ORACLE, LENDING, ORACLE, after, liquidationWorkflow, node } from '../../../shared/workflow/testing';
import {
    encodeWorkflowDefinition,
    executorIdlFactory,
    orchestratorIdlFactory,
    type ExecutionWire,
    type RecoveryPolicy,
    type WorkflowDefinition,
    type WorkflowError,
    type WorkflowWire
} from '../../../shared/workflow';
import { priceOracleIdlFactory, type PriceOracleService } from '../../../canisters/demo/price-oracle/src/interface';
import { lendingPositionIdlFactory, type LendingPositionService } from '../../../canisters/demo/lending-position/src/interface';
import { deployDeflow, deflowActor, type DeflowDeployment } from './deflow';
import type { OrchestratorService, ExecutorService } from './workflow-services';

export type { OrchestratorService, ExecutorService } from './workflow-services';

type PicIdlFactory = Parameters<PocketIc['createActor']>[0];
export type Identity = ReturnType<typeof createIdentity>;

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');

function demoWasm(name: 'price_oracle' | 'lending_position'): Uint8Array {
    const path = resolve(PROJECT_ROOT, '.azle', name, `${name}.wasm`);
    if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build`);
    return new Uint8Array(readFileSync(path));
}

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
    const oracle = await pic.setupCanister<PriceOracleService>({ idlFactory: priceOracleIdlFactory as unknown as PicIdlFactory, wasm: demoWasm('price_oracle') });
    const backupOracle = await pic.setupCanister<PriceOracleService>({ idlFactory: priceOracleIdlFactory as unknown as PicIdlFactory, wasm: demoWasm('price_oracle') });
    const lending = await pic.setupCanister<LendingPositionService>({ idlFactory: lendingPositionIdlFactory as unknown as PicIdlFactory, wasm: demoWasm('lending_position') });
    await pic.tick(3);
    const owner = createIdentity('workflow-owner');
    const stranger = createIdentity('workflow-stranger');
    return {
        pic,
        deployment,
        owner,
        stranger,
        orchestrator: deflowActor<OrchestratorService>(pic, deployment, 'orchestrator', orchestratorIdlFactory as unknown as IDL.InterfaceFactory, owner),
        executor: deflowActor<ExecutorService>(pic, deployment, 'executor', executorIdlFactory as unknown as IDL.InterfaceFactory),
        oracle: oracle.actor,
        backupOracle: backupOracle.actor,
        lending: lending.actor,
        ids: { oracle: oracle.canisterId, backupOracle: backupOracle.canisterId, lending: lending.canisterId }
    };
}

/** Replaces the placeholder canister ids of `shared/workflow/testing.ts` with the deployed demo canisters. */
export function pointAtDemo(def: WorkflowDefinition, ids: WorkflowEnv['ids']): WorkflowDefinition {
    const map: Record<string, string> = { [ORACLE]: ids.oracle.toText(), [BACKUP_ORACLE]: ids.backupOracle.toText(), [LENDING]: ids.lending.toText() };
    return {
        ...def,
        nodes: def.nodes.map((n) => (n.config.kind === 'Call' ? { ...n, config: { ...n.config, canister: map[n.config.canister] ?? n.config.canister } } : n))
    };
}

/** The liquidation-protection workflow of the shared fixtures, wired to the demo canisters. */
export function liquidationDefinition(ids: WorkflowEnv['ids'], change: (d: WorkflowDefinition) => WorkflowDefinition = (d) => d) {
    return encodeWorkflowDefinition(change(pointAtDemo(liquidationWorkflow(), ids)));
}

/** Execution input of the liquidation workflow: repay `amount` when the price is below `threshold`. */
export function liquidationInput(thresholdE8s: bigint, amount = 5n): [string] {
    return [JSON.stringify({ threshold_e8s: Number(thresholdE8s), repay: { amount: Number(amount), position: 'pos-1' } })];
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

/** A one-call workflow: read the oracle with `recovery`, then a transform reading its output. */
export function oracleProbeDefinition(ids: WorkflowEnv['ids'], recovery: RecoveryPolicy, over: Partial<WorkflowDefinition> = {}) {
    const def: WorkflowDefinition = {
        name: 'Oracle probe',
        description: 'reads the price and reshapes it',
        nodes: [
            node('read', {
                config: { kind: 'Call', canister: ids.oracle.toText(), method: 'get_price', args: { kind: 'Raw', bytes: EMPTY_CANDID_ARGS }, cycles: 0n, reply: { kind: 'Candid', types: '(record { price_e8s: nat64 })' } },
                recovery
            }),
            node('shape', { config: { kind: 'Transform', fields: [{ key: 'seen', value: { kind: 'Node', nodeId: 'read', path: '' } }] }, dependsOn: after('read') })
        ],
        ...over
    };
    return encodeWorkflowDefinition(def);
}

/** A workflow that only waits (`delay` node) for `ms`: something to cancel or pause. */
export function delayDefinition(ms: number, over: Partial<WorkflowDefinition> = {}) {
    return encodeWorkflowDefinition({ name: 'Wait', description: '', nodes: [node('wait', { config: { kind: 'Delay', durationMs: ms } })], ...over });
}

/** `DIDL` with no arguments: the Candid encoding of `()`. */
export const EMPTY_CANDID_ARGS = new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]);
