/**
 * Loads a drill's system the way users do: workflows on the demo canisters, executions in
 * every state (finished, failed, cancelled, waiting in a retry backoff, with a node call in
 * flight, waiting on a delay), interval/cron/once schedules firing, and continuous load
 * (`pulse`) while canisters are upgraded. Sizes come from a {@link LoadProfile}: the operator
 * tool loads more than the integration tests.
 */
import type { PocketIc } from '@dfinity/pic';

import type { MissedRunPolicy, ScheduleKind } from '../shared/scheduling/schedule';
import { NO_RETRY, type ExecutionWire, type RecoveryPolicy, type WorkflowDefinitionWire } from '../shared/workflow';
import type { DrillEnv } from './env';
import { unwrapOk } from './result';
import { delayDefinition, liquidationDefinition, liquidationInput, oracleProbeDefinition } from './workflows';

/** How much a drill loads. Every count is a number of executions or schedules. */
export type LoadProfile = {
    /** Workflows created (spread over the four kinds below). */
    workflows: number;
    /** Liquidations that repay and succeed before the upgrade. */
    succeeded: number;
    /** Probes with no retry whose oracle call is rejected: Failed. */
    failed: number;
    /** Delay executions cancelled by the owner. */
    cancelled: number;
    /** Probes whose oracle call was rejected and wait in a retry backoff across the upgrade. */
    retrying: number;
    /** Probes whose oracle call is still open (the oracle stalls) when the upgrade starts. */
    inFlight: number;
    /** Executions waiting on a delay node across the upgrade. */
    delayed: number;
    /** Schedules of each kind; the once-schedules fall due while the canister is down. */
    schedules: { interval: number; cron: number; once: number };
    /** Executions started (on canisters that are up) per pulse of continuous load. */
    perPulse: number;
    /** IC time a canister stays stopped during its upgrade (ms): long enough for work to fall due. */
    downtimeMs: number;
};

/** What `npm run drill` loads: the "50 workflows" with every execution state. */
export const OPERATOR_PROFILE: LoadProfile = {
    workflows: 50,
    succeeded: 10,
    failed: 4,
    cancelled: 4,
    retrying: 6,
    inFlight: 4,
    delayed: 6,
    schedules: { interval: 4, cron: 2, once: 2 },
    perPulse: 3,
    downtimeMs: 90_000
};

/** A small load for the integration tests: every state and schedule kind once, fewer calls. */
export const TEST_PROFILE: LoadProfile = {
    workflows: 8,
    succeeded: 2,
    failed: 1,
    cancelled: 1,
    retrying: 1,
    inFlight: 1,
    delayed: 1,
    schedules: { interval: 1, cron: 1, once: 1 },
    perPulse: 1,
    downtimeMs: 90_000
};

/** The workflow kinds a drill creates. */
export const WORKFLOW_KINDS = ['liquidation', 'retrying', 'fragile', 'wait'] as const;
export type WorkflowKind = (typeof WORKFLOW_KINDS)[number];

/** The oracle price the demo canister starts with; liquidations repay below their threshold. */
const REPAY_THRESHOLD_E8S = 200_000_000n;
/** Backoff of the retrying probes: long enough to still be waiting when the upgrade starts. */
const RETRYING: RecoveryPolicy = {
    retry: { maxRetries: 4, initialDelayMs: 60_000, backoffFactor: 2, maxDelayMs: 120_000, jitter: false },
    fallback: { kind: 'StopExecution' },
    emergencyActions: []
};
/** Scheduled probes retry quickly: a start that lands on a stalled or failing oracle still finishes. */
const SCHEDULED: RecoveryPolicy = { ...RETRYING, retry: { ...RETRYING.retry, initialDelayMs: 5_000 } };
/** Rounds the stalled oracle keeps a call open. */
const STALL_ROUNDS = 8;
/** How long delay executions wait: across the upgrade. */
const DELAY_MS = 5 * 60_000;

/** What the load created, by category, so checks and reports can name it. */
export type LoadState = {
    workflows: Record<WorkflowKind, string[]>;
    /** The partner's probe (no retry): each pulse starts it too, so its call node runs through the partner's agent. */
    partnerWorkflow: string;
    /** Execution ids by the state they were put in before the first upgrade. */
    executions: Record<'succeeded' | 'failed' | 'cancelled' | 'retrying' | 'inFlight' | 'delayed' | 'pulse', string[]>;
    /** Schedule ids by kind, with each once-schedule's due time. */
    schedules: { interval: string[]; cron: string[]; once: { id: string; at: bigint }[] };
};

/** IC time now, in nanoseconds. */
export async function icNow(pic: PocketIc): Promise<bigint> {
    return BigInt(Math.round(await pic.getTime())) * 1_000_000n;
}

/** Moves time `ms` forward and runs `rounds` rounds (timers due by then fire in the first). */
export async function advance(pic: PocketIc, ms: number, rounds = 2): Promise<void> {
    await pic.advanceTime(ms);
    await pic.tick(rounds);
}

/**
 * Every drill workflow has the liquidation workflow's one-hour timeout, so execution deadlines
 * only grow in start order. Why: an earlier release's orchestrator timer called Azle 0.33's
 * `clearTimer` when an earlier deadline arrived, which traps (rquickjs BorrowMutError); the
 * drill keeps the order so it also runs against that release.
 */
const TIMEOUT = { timeoutMs: 60 * 60 * 1000 };

function definitionOf(env: DrillEnv, kind: WorkflowKind, index: number): WorkflowDefinitionWire {
    const name = { name: `drill ${kind} ${index}`, ...TIMEOUT };
    switch (kind) {
        case 'liquidation':
            return liquidationDefinition(env.ids, (d) => ({ ...d, ...name }));
        case 'retrying':
            return oracleProbeDefinition(env.ids, RETRYING, name);
        case 'fragile':
            return oracleProbeDefinition(env.ids, { retry: NO_RETRY, fallback: { kind: 'StopExecution' }, emergencyActions: [] }, name);
        case 'wait':
            return delayDefinition(DELAY_MS, name);
    }
}

/** The scheduled workflow: a probe that retries quickly (created once per drill). */
async function createScheduledWorkflow(env: DrillEnv): Promise<string> {
    return unwrapOk(await env.orchestrator.create_workflow(oracleProbeDefinition(env.ids, SCHEDULED, { name: 'drill scheduled probe', ...TIMEOUT }))).id;
}

/** Round-robin over the workflows of one kind. */
function picker(ids: string[]): () => string {
    let next = 0;
    return () => {
        const id = ids[next % ids.length];
        if (id === undefined) throw new Error('the load profile creates no workflow of a kind it starts');
        next += 1;
        return id;
    };
}

async function start(env: DrillEnv, workflowId: string, input: [] | [string] = []): Promise<ExecutionWire> {
    return unwrapOk(await env.orchestrator.start_execution({ workflow_id: workflowId, input }));
}

async function startMany(env: DrillEnv, count: number, pick: () => string, input: [] | [string] = []): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await start(env, pick(), input)).id);
    return ids;
}

/**
 * Loads the system. Ends with executions waiting in a backoff, calls open on the stalled
 * oracle, delays pending and schedules armed: the state an upgrade must carry over.
 */
export async function loadSystem(env: DrillEnv, profile: LoadProfile): Promise<LoadState> {
    const { pic } = env;
    const workflows: LoadState['workflows'] = { liquidation: [], retrying: [], fragile: [], wait: [] };
    for (let i = 0; i < Math.max(profile.workflows - 1, WORKFLOW_KINDS.length); i++) {
        const kind = WORKFLOW_KINDS[i % WORKFLOW_KINDS.length]!;
        workflows[kind].push(unwrapOk(await env.orchestrator.create_workflow(definitionOf(env, kind, i))).id);
    }
    const pick = { liquidation: picker(workflows.liquidation), retrying: picker(workflows.retrying), fragile: picker(workflows.fragile), wait: picker(workflows.wait) };

    // Finished work first, each phase settling before the next changes the oracle's behaviour.
    const succeeded = await startMany(env, profile.succeeded, pick.liquidation, liquidationInput(REPAY_THRESHOLD_E8S));
    await advance(pic, 1_000, 6);
    await env.oracle.fail_next(profile.failed);
    const failed = await startMany(env, profile.failed, pick.fragile);
    await pic.tick(6);
    const cancelled = await startMany(env, profile.cancelled, pick.wait);
    await pic.tick(2);
    for (const id of cancelled) unwrapOk(await env.orchestrator.cancel_execution({ execution_id: id }));
    await pic.tick(4);

    // Work the upgrade must carry: delays, backoffs, then calls left open on the oracle.
    const delayed = await startMany(env, profile.delayed, pick.wait);
    await env.oracle.fail_next(profile.retrying);
    const retrying = await startMany(env, profile.retrying, pick.retrying);
    await pic.tick(6);
    await env.oracle.stall_next(profile.inFlight, STALL_ROUNDS);
    const inFlight = await startMany(env, profile.inFlight, pick.retrying);
    await pic.tick(2);

    const scheduledWorkflow = await createScheduledWorkflow(env);
    // The partner's first workflow gets it its agent (on the second subnet when there are two).
    const partnerWorkflow = unwrapOk(await env.partnerOrchestrator.create_workflow(definitionOf(env, 'fragile', profile.workflows))).id;
    const now = await icNow(pic);
    const schedule = async (kind: ScheduleKind, missed_run: MissedRunPolicy): Promise<string> =>
        unwrapOk(await env.scheduler.schedule_workflow_execution({ workflow_id: scheduledWorkflow, kind, policies: [{ missed_run, overlap: { Allow: null } }], owner: [], input: [] })).id;
    const missedPolicies: MissedRunPolicy[] = [{ RunAll: { cap: 10 } }, { RunOnce: null }, { Skip: null }];
    const interval: string[] = [];
    for (let i = 0; i < profile.schedules.interval; i++) interval.push(await schedule({ Interval: { every_seconds: 30n, start_at: [], end_at: [] } }, missedPolicies[i % missedPolicies.length]!));
    const cron: string[] = [];
    for (let i = 0; i < profile.schedules.cron; i++) cron.push(await schedule({ Cron: { expression: '* * * * *' } }, missedPolicies[(i + 1) % missedPolicies.length]!));
    const once: LoadState['schedules']['once'] = [];
    for (let i = 0; i < profile.schedules.once; i++) {
        // Due half-way through the first upgrade's downtime.
        const at = now + BigInt(profile.downtimeMs / 2 + i * 1_000) * 1_000_000n;
        once.push({ id: await schedule({ Once: { at } }, { RunOnce: null }), at });
    }
    return {
        workflows,
        partnerWorkflow,
        executions: { succeeded, failed, cancelled, retrying, inFlight, delayed, pulse: [] },
        schedules: { interval, cron, once }
    };
}

/**
 * One pulse of continuous load: starts liquidations that repay, and one probe of the partner.
 * Runs while a canister is stopped, so it only calls the orchestrator when the orchestrator is
 * up; returns the executions it started.
 */
export async function pulse(env: DrillEnv, load: LoadState, profile: LoadProfile): Promise<string[]> {
    const pick = picker(load.workflows.liquidation);
    const started = await startMany(env, profile.perPulse, pick, liquidationInput(REPAY_THRESHOLD_E8S));
    started.push(unwrapOk(await env.partnerOrchestrator.start_execution({ workflow_id: load.partnerWorkflow, input: [] })).id);
    load.executions.pulse.push(...started);
    return started;
}

/** Re-arms the once-schedules of a later round so each round has one falling due while its canister is down. */
export async function scheduleOnceDuringDowntime(env: DrillEnv, load: LoadState, profile: LoadProfile): Promise<void> {
    const [first] = load.schedules.once;
    if (first === undefined) return;
    const details = unwrapOk(await env.scheduler.get_schedule(first.id));
    const at = (await icNow(env.pic)) + BigInt(profile.downtimeMs / 2) * 1_000_000n;
    const created = unwrapOk(
        await env.scheduler.schedule_workflow_execution({ workflow_id: details.schedule.workflow_id, kind: { Once: { at } }, policies: [details.schedule.policies], owner: [], input: [details.schedule.input] })
    );
    load.schedules.once.push({ id: created.id, at });
}
