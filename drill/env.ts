/**
 * The system an upgrade drill runs against: the four DeFlow canisters wired as `dfx deploy`
 * wires them, plus the demo target canisters (a price oracle, a backup oracle, a lending
 * position), with typed actors for each. Used by `npm run drill`, the drill integration
 * tests, the upgrade benchmark and the workflow integration tests (which re-export it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import type { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';
import { createIdentity, SubnetStateType, type Actor, type CreateInstanceOptions, type PocketIc } from '@dfinity/pic';

import type { MonitorService, OrchestratorService, SchedulerService } from '../client/services';
import { deflowActor, deployDeflow, type DeflowDeployment } from '../cli/deploy';
import { deployLocalCycles, hasCyclesSubnets, LOCAL_NETWORK_SUBNETS } from '../cli/local-cycles';
import { monitorIdlFactory, type MonitorMethods } from '../shared/monitoring/service';
import { schedulerIdlFactory } from '../shared/scheduling/service';
import { tolerantScheduler, tolerantSchedulerIdlFactory } from './tolerant-scheduler';
import { MAX_OWNER_QUOTAS, encodeQuotaLimits, executorIdlFactory, orchestratorIdlFactory, type ExecutorMethods, type ServiceOf } from '../shared/workflow';
import { MAX_SCHEDULES } from '../canisters/scheduler/src/logic/quota';
import { MAX_CONDITION_READS_PER_HOUR } from '../canisters/scheduler/src/logic/read-quota';
import { priceOracleIdlFactory, type PriceOracleService } from '../canisters/demo/price-oracle/src/interface';
import { lendingPositionIdlFactory, type LendingPositionService } from '../canisters/demo/lending-position/src/interface';

const PROJECT_ROOT = resolve(__dirname, '..');

type PicIdlFactory = Parameters<PocketIc['createActor']>[0];

/** An identity pic-js actors can speak as. */
export type Identity = ReturnType<typeof createIdentity>;

/** The executor's service as an actor sees it, typed from its method table. */
export type ExecutorService = ServiceOf<typeof ExecutorMethods>;

/** The monitor's service plus the admin-only notification log a drill reads. */
export type DrillMonitorService = MonitorService & Pick<ServiceOf<typeof MonitorMethods>, 'get_notifications'>;

/**
 * The network a drill runs on: two application subnets (agents are created on both, as on an
 * IC where DeFlow spreads its owners' agents), and the NNS and fiduciary subnets with the
 * cycles minting canister that creates a canister on a chosen subnet.
 */
export const DRILL_TOPOLOGY: CreateInstanceOptions = {
    ...LOCAL_NETWORK_SUBNETS,
    application: [{ state: { type: SubnetStateType.New } }, { state: { type: SubnetStateType.New } }]
};

/** The demo canisters a drill's workflows call. */
export type DemoCanisterName = 'price_oracle' | 'lending_position';

/** The wasm `npm run build` produced for a demo canister. */
export function demoWasm(name: DemoCanisterName): Uint8Array {
    const path = resolve(PROJECT_ROOT, '.azle', name, `${name}.wasm`);
    if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build`);
    return new Uint8Array(readFileSync(path));
}

/** The demo canisters, installed and ready. */
export type DemoCanisters = {
    oracle: Actor<PriceOracleService>;
    backupOracle: Actor<PriceOracleService>;
    lending: Actor<LendingPositionService>;
    ids: { oracle: Principal; backupOracle: Principal; lending: Principal };
};

/** Installs a price oracle, a backup oracle and a lending position. */
export async function deployDemoCanisters(pic: PocketIc): Promise<DemoCanisters> {
    const oracleFactory = priceOracleIdlFactory as unknown as PicIdlFactory;
    const oracle = await pic.setupCanister<PriceOracleService>({ idlFactory: oracleFactory, wasm: demoWasm('price_oracle') });
    const backupOracle = await pic.setupCanister<PriceOracleService>({ idlFactory: oracleFactory, wasm: demoWasm('price_oracle') });
    const lending = await pic.setupCanister<LendingPositionService>({ idlFactory: lendingPositionIdlFactory as unknown as PicIdlFactory, wasm: demoWasm('lending_position') });
    // Azle seeds its PRNG from raw_rand on a timer after init; let that settle.
    await pic.tick(3);
    return {
        oracle: oracle.actor,
        backupOracle: backupOracle.actor,
        lending: lending.actor,
        ids: { oracle: oracle.canisterId, backupOracle: backupOracle.canisterId, lending: lending.canisterId }
    };
}

/** Everything a drill drives: the wired DeFlow canisters, the demo canisters and the callers. */
export type DrillEnv = DemoCanisters & {
    pic: PocketIc;
    deployment: DeflowDeployment;
    /** Owns the drill's workflows and schedules. */
    owner: Identity;
    /** A second owner whose call nodes run through its own agent (on another subnet when there are several). */
    partner: Identity;
    /** The orchestrator, speaking as `partner`. */
    partnerOrchestrator: Actor<OrchestratorService>;
    /** An admin of the deployment (reads every schedule and the notification log). */
    admin: Identity;
    orchestrator: Actor<OrchestratorService>;
    executor: Actor<ExecutorService>;
    /** The scheduler, speaking as `owner`. */
    scheduler: Actor<SchedulerService>;
    /** The monitor, speaking as `admin`. */
    monitor: Actor<DrillMonitorService>;
};

/**
 * Raises `owner`'s quotas to the most admins may set: a drill and the benchmarks built on it
 * load one owner far past the defaults, as an operator may allow a heavy user.
 */
export async function allowHeavyUse(pic: PocketIc, deployment: DeflowDeployment, admin: Identity, owner: Identity): Promise<void> {
    const orchestrator = deflowActor<OrchestratorService>(pic, deployment, 'orchestrator', orchestratorIdlFactory as unknown as IDL.InterfaceFactory, admin);
    const scheduler = deflowActor<SchedulerService>(pic, deployment, 'scheduler', schedulerIdlFactory, admin);
    const limits = await orchestrator.set_owner_quotas({ owner: [owner.getPrincipal()], limits: encodeQuotaLimits(MAX_OWNER_QUOTAS) });
    const schedules = await scheduler.set_schedule_quota({ owner: [owner.getPrincipal()], max_schedules: MAX_SCHEDULES, condition_reads_per_hour: [MAX_CONDITION_READS_PER_HOUR] });
    if ('Err' in limits || 'Err' in schedules) throw new Error(`raising the drill owner's quotas was refused: ${JSON.stringify({ limits, schedules }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
}

/**
 * On a network with several application subnets, admins name them all for new agents
 * (`set_agent_subnets`): the executor creates owners' agents on them in turn through the CMC,
 * which is deployed first. On one subnet agents are created beside the executor.
 */
async function spreadAgents(pic: PocketIc, deployment: DeflowDeployment, executor: Actor<ExecutorService>): Promise<void> {
    const subnets = (await pic.getApplicationSubnets()).map((s) => s.id);
    if (subnets.length < 2) return;
    if (!(await hasCyclesSubnets(pic))) throw new Error('a drill network with several application subnets needs the NNS and fiduciary subnets (DRILL_TOPOLOGY)');
    await deployLocalCycles(pic, deployment.controller, []);
    const set = await executor.set_agent_subnets({ subnets });
    if ('Err' in set) throw new Error(`set_agent_subnets was refused: ${JSON.stringify(set.Err)}`);
}

/**
 * Deploys DeFlow (with `admin` as its admin) and the demo canisters. The orchestrator and
 * scheduler actors speak as the workflow owner, the executor and monitor actors as the admin.
 */
export async function deployDrillEnv(pic: PocketIc): Promise<DrillEnv> {
    const owner = createIdentity('drill-owner');
    const partner = createIdentity('drill-partner');
    const admin = createIdentity('drill-admin');
    const deployment = await deployDeflow(pic, { admins: [admin.getPrincipal()] });
    const demo = await deployDemoCanisters(pic);
    await allowHeavyUse(pic, deployment, admin, owner);
    const executor = deflowActor<ExecutorService>(pic, deployment, 'executor', executorIdlFactory as unknown as IDL.InterfaceFactory, admin);
    await spreadAgents(pic, deployment, executor);
    const orchestratorAs = (identity: Identity): Actor<OrchestratorService> => deflowActor<OrchestratorService>(pic, deployment, 'orchestrator', orchestratorIdlFactory as unknown as IDL.InterfaceFactory, identity);
    return {
        ...demo,
        pic,
        deployment,
        owner,
        partner,
        admin,
        orchestrator: orchestratorAs(owner),
        partnerOrchestrator: orchestratorAs(partner),
        executor,
        // Tolerant of older releases' schedules: the migration drill loads v1 first.
        scheduler: tolerantScheduler(deflowActor<SchedulerService>(pic, deployment, 'scheduler', tolerantSchedulerIdlFactory, owner)),
        monitor: deflowActor<DrillMonitorService>(pic, deployment, 'monitor', monitorIdlFactory, admin)
    };
}
