/**
 * `npm run bench -- scale`: does every DeFlow message stay within its IC instruction limit as
 * the stored data grows? For each size in `DEFLOW_BENCH_SCALE_SIZES` (default 1000,10000;
 * add 100000 for the full run) the canisters hold that many workflows, each with one
 * execution waiting on an hour-long delay (an orchestrator execution and an executor
 * attempt), and min(size, 10,000) hourly schedules. Then, from the server's instruction count
 * of every execution (the server runs in this process, bench/scale/server.ts), it prints per
 * canister: the heaviest timer pass, every update, query and response callback seen, and
 * pre_upgrade + post_upgrade, each as a share of its limit, and the ratio largest/smallest
 * size (flat: ≤ 1.1). Plus cycles per 3-node execution and per schedule firing, and the
 * executions started per round that the system sustains without a growing backlog.
 *
 * Filling uses the bench builds' `bulk_load` (bench/scale/canisters), which exist only there.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { IDL } from '@dfinity/candid';
import { PocketIc, type Actor } from '@dfinity/pic';
import type { Principal } from '@dfinity/principal';

import type { OrchestratorService } from '../client/services';
import { deflowActor, upgradeDeflowCanister } from '../cli/deploy';
import { allowHeavyUse, deployDrillEnv, type DrillEnv } from '../drill/env';
import { unwrapOk } from '../drill/result';
import { delayDefinition } from '../drill/workflows';
import { PEER_ROLES, type PeerRole } from '../shared/common/deployment';
import type { ScheduleRequest } from '../shared/scheduling/schedule';
import { MAX_PAGE_SIZE } from '../shared/common/page';
import { idlFactory, type ArgsOf, type ReturnOf } from '../shared/common/codec';
import { encodeWorkflowDefinition, orchestratorIdlFactory } from '../shared/workflow';
import { after, node } from '../shared/workflow/testing';
import { ExecutorBulkLoadMethod, OrchestratorBulkLoadMethod, SchedulerBulkLoadMethod } from './scale/canisters/contract';
import { limitOf, Meter, type EntryKind } from './scale/meter';
import { cyclesOf as balanceOf, startInProcessServer } from './scale/server';
import { printSection, type Row } from './stats';

const SIZES = (process.env.DEFLOW_BENCH_SCALE_SIZES ?? '1000,10000').split(',').map((s) => Number(s.trim()));
/** Live schedules stop growing here: the issue's figure. */
const MAX_SCHEDULES = 10_000;
/** Workflows (each with its execution) per orchestrator bulk_load call: ~6B instructions, within one message's 40B. */
const LOAD_CHUNK = Number(process.env.DEFLOW_BENCH_SCALE_CHUNK ?? 500);
/** Schedules per scheduler bulk_load call. */
const SCHEDULE_CHUNK = 200;
/** USD per XDR (1 XDR buys 1T cycles); override with DEFLOW_XDR_USD. */
const XDR_USD = Number(process.env.DEFLOW_XDR_USD ?? 1.33);
/** Start rates (executions per round) tried for the sustained-throughput figure; override with DEFLOW_BENCH_SCALE_RATES. */
const RATES = (process.env.DEFLOW_BENCH_SCALE_RATES ?? '5,10,20').split(',').map(Number);
const HOUR_MS = 3_600_000;
/** Listing pages are measured full: every listing's cap. */
const PAGE = MAX_PAGE_SIZE;
const PROCESSING_TIMEOUT_MS = 30 * 60_000;

const BENCH_WASM_DIR = resolve(__dirname, 'scale', 'canisters', '.azle');
const benchWasm = (name: string): Uint8Array => new Uint8Array(readFileSync(resolve(BENCH_WASM_DIR, name, `${name}.wasm`)));
const benchUpgrade = (role: PeerRole): { wasm?: Uint8Array } => {
    const build = BENCH_BUILDS[role];
    return build === undefined ? {} : { wasm: benchWasm(build) };
};

type BulkLoader<S extends Parameters<typeof idlFactory>[0][string]> = { bulk_load: (...args: ArgsOf<S>) => Promise<ReturnOf<S>> };
type OrchestratorBench = BulkLoader<typeof OrchestratorBulkLoadMethod>;
type ExecutorBench = BulkLoader<typeof ExecutorBulkLoadMethod>;
type SchedulerBench = BulkLoader<typeof SchedulerBulkLoadMethod>;
const benchIdl = (spec: Parameters<typeof idlFactory>[0][string]): IDL.InterfaceFactory => idlFactory({ bulk_load: spec });

/** The bench builds: what each role is upgraded to for the run. */
const BENCH_BUILDS: Partial<Record<PeerRole, string>> = { orchestrator: 'orchestrator_bench', executor: 'executor_bench', scheduler: 'scheduler_bench' };

const digits = (value: bigint | number): string => value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const share = (instructions: bigint, limit: bigint): string => `${((Number(instructions) / Number(limit)) * 100).toFixed(3)}%`;

/**
 * The 3-node workflow whose cycles are reported: shape the input, wait 1 ms at the executor,
 * shape the result. No call node: on the in-process server the owner's agent stays in
 * `Creating` (see the report of issue 14), so the agent call path is not in these figures.
 */
function threeNodeDefinition() {
    return encodeWorkflowDefinition({
        name: 'bench 3-node',
        description: '',
        nodes: [
            node('read', { config: { kind: 'Transform', fields: [{ key: 'seen', value: { kind: 'Input', path: '' } }] } }),
            node('settle', { config: { kind: 'Delay', durationMs: 1 }, dependsOn: after('read') }),
            node('shape', { config: { kind: 'Transform', fields: [{ key: 'seen', value: { kind: 'Node', nodeId: 'read', path: '' } }] }, dependsOn: after('settle') })
        ]
    });
}

type Bench = {
    env: DrillEnv;
    orchestrator: Actor<OrchestratorService>;
    orchestratorBench: Actor<OrchestratorBench>;
    executorBench: Actor<ExecutorBench>;
    schedulerBench: Actor<SchedulerBench>;
    cycles: () => bigint;
    schedulerCycles: () => bigint;
    /** Executions loaded (each waits an hour), the loaded workflows' ids, and schedules loaded. */
    loaded: { workflows: string[]; workflowIds: string[]; schedules: number };
};

/** Fills up to `size` workflows (each with a waiting execution) and min(size, 10,000) schedules. */
async function fill(b: Bench, size: number): Promise<void> {
    const definition = delayDefinition(HOUR_MS, { name: 'bench', timeoutMs: 2 * HOUR_MS });
    const spent = { orchestrator: 0, executor: 0, scheduler: 0 };
    const fillMeter = new Meter(b.env.deployment.peers);
    const [workflowsBefore, schedulesBefore] = [b.loaded.workflows.length, b.loaded.schedules];
    fillMeter.start();
    const timed = async <T>(part: keyof typeof spent, call: () => Promise<T>): Promise<T> => {
        const started = performance.now();
        try {
            return await call();
        } finally {
            spent[part] += performance.now() - started;
        }
    };
    while (b.loaded.workflows.length < size) {
        const count = Math.min(LOAD_CHUNK, size - b.loaded.workflows.length);
        const { workflow_ids, dispatched } = unwrapOk(await timed('orchestrator', () => b.orchestratorBench.bulk_load({ definition, workflows: count })));
        const recorded = unwrapOk(await timed('executor', () => b.executorBench.bulk_load(dispatched)));
        const expected = dispatched.execution_ids.length * dispatched.requests.length;
        if (recorded !== expected) throw new Error(`executor bulk_load recorded ${recorded} attempts, not ${expected}`);
        b.loaded.workflows.push(...dispatched.execution_ids);
        b.loaded.workflowIds.push(...workflow_ids);
        debug(`records loaded: ${b.loaded.workflows.length}`);
    }
    const wanted = Math.min(size, MAX_SCHEDULES);
    // Hourly schedules of the loaded workflows, in load order (ids the measurements allocate in between are not among them).
    const request: ScheduleRequest = { workflow_id: '', kind: { Interval: { every_seconds: 3600n, start_at: [], end_at: [] } }, policies: [], owner: [], input: [] };
    while (b.loaded.schedules < wanted) {
        const batch = Math.min(SCHEDULE_CHUNK, wanted - b.loaded.schedules);
        const loaded = await timed('scheduler', () => b.schedulerBench.bulk_load({ request, workflow_ids: b.loaded.workflowIds.slice(b.loaded.schedules, b.loaded.schedules + batch) }));
        if ('Err' in loaded) throw new Error(`scheduler bulk_load: ${loaded.Err}`);
        b.loaded.schedules += batch;
    }
    await b.env.pic.tick(3);
    fillMeter.stop();
    debug(`fill wall time (s): ${Object.entries(spent).map(([part, ms]) => `${part} ${(ms / 1000).toFixed(1)}`).join(', ')}`);
    const added = { workflows: b.loaded.workflows.length - workflowsBefore, schedules: b.loaded.schedules - schedulesBefore };
    for (const t of fillMeter.totals().filter((x) => x.instructions > 1_000_000_000n)) {
        const per = t.role === 'scheduler' ? added.schedules : added.workflows;
        debug(`fill ${t.role} ${t.kind} ${t.name}: ${t.count} executions, ${digits(t.instructions)} instructions${per > 0 ? ` (${digits(t.instructions / BigInt(per))} per record)` : ''}`);
    }
}

const workflowId = (seq: number): string => `wf-${seq.toString().padStart(8, '0')}`;

async function advance(pic: PocketIc, ms: number, rounds: number): Promise<void> {
    await pic.advanceTime(ms);
    await pic.tick(rounds);
}

/** Runs rounds a second apart (as on a subnet) until `done` holds, at most `rounds`; returns the rounds taken. */
async function tickUntil(pic: PocketIc, done: () => Promise<boolean>, rounds = 200): Promise<number> {
    for (let round = 1; round <= rounds; round++) {
        await advance(pic, 1_000, 1);
        if (await done()) return round;
    }
    throw new Error(`not done within ${rounds} rounds`);
}

const debug = (text: string): void => {
    if (process.env.DEFLOW_BENCH_SCALE_DEBUG === '1') console.log(`scale: ${text}`);
};

async function finished(orchestrator: Actor<OrchestratorService>, executionId: string): Promise<boolean> {
    const x = unwrapOk(await orchestrator.get_execution({ execution_id: executionId }));
    return !('Running' in x.status) && !('Pending' in x.status) && !('Paused' in x.status);
}

/** Runs rounds until the execution finishes; fails with its record if it does not. */
async function runToEnd(b: Bench, executionId: string): Promise<void> {
    await tickUntil(b.env.pic, () => finished(b.orchestrator, executionId)).catch(async (error: unknown) => {
        const record = {
            execution: unwrapOk(await b.orchestrator.get_execution({ execution_id: executionId })),
            attempt: await b.env.executor.get_node_attempt({ execution_id: executionId, node_id: 'settle', attempt: 1 }),
            agent: await b.env.executor.get_agent({ owner: b.env.admin.getPrincipal() })
        };
        throw new Error(`execution ${executionId} did not finish: ${JSON.stringify(record, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`, { cause: error });
    });
}

export type SizeResult = { instructions: ReturnType<Meter['results']>; executionCycles: bigint; firingCycles: bigint; firingSchedulerCycles: bigint };

/** One measurement round at the current size: timers, every user-facing method, a 3-node execution, a firing, upgrades. */
async function measure(b: Bench, threeNode: string): Promise<SizeResult> {
    const { env, orchestrator } = b;
    const middle = b.loaded.workflows[Math.floor(b.loaded.workflows.length / 2)]!;
    // A meter per size: each size's figures are its own maxima, not those of every size so far.
    const meter = new Meter(env.deployment.peers);
    meter.start();
    try {
        // Timers: retention, health reports, outbox and deadline passes.
        await advance(env.pic, 61_000, 5);
        // Orchestrator: owner calls over the loaded data (the admin owns every loaded workflow).
        unwrapOk(await orchestrator.list_workflows({ cursor: [], limit: PAGE }));
        unwrapOk(await orchestrator.list_workflows({ cursor: [workflowId(Math.floor(b.loaded.workflows.length / 2))], limit: PAGE }));
        unwrapOk(await orchestrator.get_workflow({ workflow_id: workflowId(2), version: [] }));
        unwrapOk(await orchestrator.list_executions({ workflow_id: [], status: [], page: { cursor: [], limit: PAGE }, order: [] }));
        unwrapOk(await orchestrator.list_executions({ workflow_id: [], status: [], page: { cursor: [middle], limit: PAGE }, order: [{ NewestFirst: null }] }));
        unwrapOk(await orchestrator.list_executions({ workflow_id: [workflowId(3)], status: [], page: { cursor: [], limit: PAGE }, order: [] }));
        unwrapOk(await orchestrator.list_executions({ workflow_id: [], status: [{ Succeeded: null }], page: { cursor: [], limit: PAGE }, order: [] }));
        unwrapOk(await orchestrator.get_execution({ execution_id: middle }));
        const made = unwrapOk(await orchestrator.create_workflow(delayDefinition(HOUR_MS, { name: 'bench extra', timeoutMs: 2 * HOUR_MS })));
        unwrapOk(await orchestrator.update_workflow({ workflow_id: made.id, definition: delayDefinition(HOUR_MS, { name: 'bench extra v2', timeoutMs: 2 * HOUR_MS }), expected_version: [] }));
        unwrapOk(await orchestrator.pause_workflow({ workflow_id: workflowId(4) }));
        unwrapOk(await orchestrator.resume_workflow({ workflow_id: workflowId(4) }));
        unwrapOk(await orchestrator.cancel_execution({ execution_id: b.loaded.workflows.pop()! }));
        unwrapOk(await orchestrator.delete_workflow({ workflow_id: made.id }));
        // Executor, scheduler and monitor reads.
        unwrapOk(await env.executor.get_node_attempt({ execution_id: middle, node_id: 'wait', attempt: 1 }));
        const schedules = unwrapOk(await env.scheduler.list_persistent_scheduled_executions({ workflow_id: [], owner: [], cursor: [], limit: [MAX_PAGE_SIZE] }));
        const schedule = schedules.items[0]!;
        unwrapOk(await env.scheduler.get_schedule(schedule.id));
        unwrapOk(await env.scheduler.pause_schedule(schedule.id));
        unwrapOk(await env.scheduler.resume_schedule(schedule.id));
        await env.monitor.get_system_health();
        await env.monitor.get_system_metrics();
        await env.monitor.check_system_alerts();
        // A 3-node execution, end to end: cycles of the four DeFlow canisters.
        const before = b.cycles();
        const x = unwrapOk(await orchestrator.start_execution({ workflow_id: threeNode, input: [] }));
        await runToEnd(b, x.id);
        const executionCycles = before - b.cycles();
        // One schedule firing (every 60 s), with the execution it starts.
        const firing = unwrapOk(await env.scheduler.schedule_workflow_execution({ workflow_id: threeNode, kind: { Interval: { every_seconds: 60n, start_at: [], end_at: [] } }, policies: [], owner: [], input: [] }));
        await env.pic.tick(2);
        await env.pic.advanceTime(60_000);
        const [all, sched] = [b.cycles(), b.schedulerCycles()];
        await tickUntil(env.pic, async () => {
            const d = unwrapOk(await env.scheduler.get_schedule(firing.id));
            const latest = d.recent_firings[d.recent_firings.length - 1]?.outcome;
            return latest !== undefined && 'Started' in latest && (await finished(orchestrator, latest.Started.execution_id));
        });
        const [firingCycles, firingSchedulerCycles] = [all - b.cycles(), sched - b.schedulerCycles()];
        unwrapOk(await env.scheduler.cancel_persistent_execution(firing.id));
        // Upgrades (stop, upgrade, start), each canister once.
        for (const role of PEER_ROLES) await upgradeDeflowCanister(env.pic, env.deployment, role, benchUpgrade(role));
        await env.pic.tick(3);
        return { instructions: meter.results(), executionCycles, firingCycles, firingSchedulerCycles };
    } finally {
        meter.stop();
    }
}

/**
 * The highest start rate (executions per round: that many concurrent start_execution calls,
 * then one round a second later) for which the unfinished executions stop growing: after 20
 * and after 40 rounds of starting (longer than one execution takes) they differ by at most
 * 10% plus one round's starts.
 */
async function sustainedRate(b: Bench, workflow: string): Promise<{ rate: number; tried: string[] }> {
    const tried: string[] = [];
    let best = 0;
    const unfinished = async (): Promise<number> => {
        let count = 0;
        let cursor: [] | [string] = [];
        for (;;) {
            const page: { items: unknown[]; next_cursor: [] | [string] } = unwrapOk(await b.orchestrator.list_executions({ workflow_id: [workflow], status: [{ Running: null }], page: { cursor, limit: PAGE }, order: [] }));
            count += page.items.length;
            if (page.next_cursor.length === 0) return count;
            cursor = page.next_cursor;
        }
    };
    for (const rate of RATES) {
        const counts: number[] = [];
        for (let round = 1; round <= 40; round++) {
            await Promise.all(Array.from({ length: rate }, () => b.orchestrator.start_execution({ workflow_id: workflow, input: [] }).then(unwrapOk)));
            await advance(b.env.pic, 1_000, 1);
            if (round === 20 || round === 40) counts.push(await unfinished());
        }
        const [at20, at40] = counts as [number, number];
        const steady = at40 <= at20 * 1.1 + rate;
        tried.push(`${rate}/round: ${at20} → ${at40} unfinished ${steady ? '(steady)' : '(growing)'}`);
        // Drain before the next rate.
        await tickUntil(b.env.pic, async () => (await unfinished()) === 0, 2_000);
        if (!steady) break;
        best = rate;
    }
    return { rate: best, tried };
}

function instructionRows(results: Map<number, SizeResult>): Row[] {
    const sizes = [...results.keys()];
    const smallest = sizes[0]!;
    const largest = sizes[sizes.length - 1]!;
    const keyOf = (r: { role: string; kind: EntryKind; name: string }): string => `${r.role}\t${r.kind}\t${r.name}`;
    const byKey = new Map<string, Map<number, bigint>>();
    for (const [size, result] of results) {
        for (const r of result.instructions) {
            if (r.kind === 'other') continue;
            const entry = byKey.get(keyOf(r)) ?? new Map<number, bigint>();
            entry.set(size, r.instructions);
            byKey.set(keyOf(r), entry);
        }
    }
    const order: Record<string, number> = { timer: 0, update: 1, callback: 2, query: 3, upgrade: 4 };
    const rows: Row[] = [];
    for (const role of PEER_ROLES) {
        const keys = [...byKey.keys()].filter((k) => k.startsWith(`${role}\t`)).sort((a, b) => order[a.split('\t')[1]!]! - order[b.split('\t')[1]!]! || a.localeCompare(b));
        for (const key of keys) {
            const [, kind, name] = key.split('\t') as [PeerRole, EntryKind, string];
            const perSize = byKey.get(key)!;
            const limit = limitOf(kind);
            const values = sizes.map((s) => (perSize.has(s) ? `${digits(perSize.get(s)!)} (${share(perSize.get(s)!, limit)})` : '-'));
            const [lo, hi] = [perSize.get(smallest), perSize.get(largest)];
            const ratio = lo !== undefined && hi !== undefined && lo > 0n ? Number(hi) / Number(lo) : undefined;
            rows.push({
                name: `${role} ${kind === 'timer' ? `heaviest timer pass (${name})` : `${kind} ${name}`}`,
                value: values.join(' | '),
                note: ratio === undefined ? undefined : `${largest}/${smallest} ${ratio.toFixed(2)}× ${ratio <= 1.1 ? '(flat)' : '(NOT flat)'}`
            });
        }
    }
    return rows;
}

/** What one scale run measured: per size, every entry's instructions; the sustained rate (when asked for). */
export type ScaleRun = { results: Map<number, SizeResult>; sustained?: { rate: number; tried: string[] } };

/**
 * Deploys DeFlow on an in-process server, then per size in `sizes` (ascending) fills and
 * measures; `sustained` also measures the sustained start rate. Used by the bench section and
 * the guard test (tests/integration/scale/guard.spec.ts).
 */
export async function runScale(sizes: number[], options: { sustained: boolean; onSize?: (results: Map<number, SizeResult>) => void }): Promise<ScaleRun> {
    const server = await startInProcessServer();
    const pic = await PocketIc.create(server.url, { processingTimeoutMs: PROCESSING_TIMEOUT_MS });
    try {
        const env = await deployDrillEnv(pic);
        const { peers } = env.deployment;
        for (const role of PEER_ROLES) if (BENCH_BUILDS[role] !== undefined) await upgradeDeflowCanister(pic, env.deployment, role, benchUpgrade(role));
        const cyclesOf = (id: Principal): bigint => balanceOf(server, id);
        const b: Bench = {
            env,
            orchestrator: deflowActor<OrchestratorService>(pic, env.deployment, 'orchestrator', orchestratorIdlFactory as unknown as IDL.InterfaceFactory, env.admin),
            orchestratorBench: deflowActor<OrchestratorBench>(pic, env.deployment, 'orchestrator', benchIdl(OrchestratorBulkLoadMethod), env.admin),
            executorBench: deflowActor<ExecutorBench>(pic, env.deployment, 'executor', benchIdl(ExecutorBulkLoadMethod), env.admin),
            schedulerBench: deflowActor<SchedulerBench>(pic, env.deployment, 'scheduler', benchIdl(SchedulerBulkLoadMethod), env.admin),
            cycles: () => PEER_ROLES.reduce((sum, role) => sum + cyclesOf(peers[role]), 0n),
            schedulerCycles: () => cyclesOf(peers.scheduler),
            loaded: { workflows: [], workflowIds: [], schedules: 0 }
        };
        // wf-00000001: the 3-node workflow; the scheduler actor speaks as the admin, who owns everything here.
        const threeNode = unwrapOk(await b.orchestrator.create_workflow(threeNodeDefinition())).id;
        env.scheduler.setIdentity(env.admin);
        // The admin owns everything loaded here: far past the per-owner defaults (100 schedules).
        await allowHeavyUse(pic, env.deployment, env.admin, env.admin);
        // Warm-up: the first run settles what later runs reuse (the owner's agent request).
        await runToEnd(b, unwrapOk(await b.orchestrator.start_execution({ workflow_id: threeNode, input: [] })).id);
        const results = new Map<number, SizeResult>();
        for (const size of sizes) {
            const started = performance.now();
            await fill(b, size);
            console.log(`scale: ${size} workflows/executions and ${b.loaded.schedules} schedules loaded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
            results.set(size, await measure(b, threeNode));
            options.onSize?.(results);
        }
        return options.sustained ? { results, sustained: await sustainedRate(b, threeNode) } : { results };
    } finally {
        await pic.tearDown();
        await server.stop();
    }
}

const usd = (cycles: bigint): string => `$${((Number(cycles) / 1e12) * XDR_USD).toFixed(8)}`;

/** The cycles figures of one size's measurement. */
function cycleRows(result: SizeResult): Row[] {
    return [
        { name: '3-node execution (4 DeFlow canisters)', value: `${digits(result.executionCycles)} cycles`, note: `${usd(result.executionCycles)} at ${XDR_USD} USD/XDR` },
        { name: 'schedule firing, scheduler only', value: `${digits(result.firingSchedulerCycles)} cycles`, note: usd(result.firingSchedulerCycles) },
        { name: 'schedule firing with its 3-node execution', value: `${digits(result.firingCycles)} cycles`, note: usd(result.firingCycles) }
    ];
}

/** The `scale` section of `npm run bench`. */
export async function scaleBench(): Promise<void> {
    // Each size's figures as soon as they are measured (cycles too): a long run stopped early still reports.
    const onSize = (sofar: Map<number, SizeResult>): void => {
        const [size, latest] = [...sofar.entries()][sofar.size - 1]!;
        printSection(`scale so far (sizes ${[...sofar.keys()].join(' | ')}; cycles at ${size})`, [...instructionRows(sofar), ...cycleRows(latest)]);
    };
    const { results, sustained } = await runScale(SIZES, { sustained: true, onSize });
    const rows = [...instructionRows(results), ...cycleRows(results.get(SIZES[SIZES.length - 1]!)!)];
    rows.push({ name: 'sustained executions started per round', value: String(sustained?.rate ?? '-'), note: sustained?.tried.join('; ') });
    printSection(`scale (instructions, share of the IC limit; sizes ${SIZES.join(' | ')} workflows+executions, schedules up to ${MAX_SCHEDULES})`, rows);
}
