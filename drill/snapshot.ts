/**
 * Captures what a drill compares: every execution with its node attempts, every schedule with
 * its firing history, the monitor's open alerts and notification log, the demo canisters'
 * effect counters, each canister's `get_version` and each owner's agent and its subnet. Only queries: taking a snapshot changes
 * nothing. Take snapshots while every canister runs.
 */
import { PEER_ROLES, type PeerRole } from '../shared/common/deployment';
import type { VersionInfo } from '../shared/common/version';
import type { FiringEntry } from '../shared/scheduling/firing';
import type { MissedRunPolicy, Schedule, ScheduleKind } from '../shared/scheduling/schedule';
import type { ExecutionSummary, ExecutionWire } from '../shared/workflow';
import type { DrillEnv } from './env';
import { icNow } from './load';
import { unwrapOk } from './result';

/** One attempt of a node: `succeeded` is undefined while it runs. */
export type AttemptSnap = { attempt: number; started_at: bigint; finished: boolean; succeeded: boolean | undefined };
export type NodeSnap = { node_id: string; status: string; attempts: AttemptSnap[] };
export type ExecutionSnap = {
    id: string;
    workflow_id: string;
    status: string;
    /** Set for executions a schedule started: the schedule and the due time. */
    scheduled: { schedule_id: string; due_at: bigint } | undefined;
    created_at: bigint;
    finished_at: bigint | undefined;
    nodes: NodeSnap[];
};
/** One line of a schedule's firing history. */
export type FiringSnap = {
    due_at: bigint;
    started_at: bigint;
    lateness_ns: bigint;
    outcome: 'Pending' | 'Started' | 'Skipped' | 'Failed';
    execution_id: string | undefined;
    /** For `Skipped`: why, and how many due times the entry stands for. */
    skipped: { reason: string; runs: bigint } | undefined;
};
export type ScheduleSnap = {
    id: string;
    kind: ScheduleKind;
    missed_run: MissedRunPolicy;
    created_at: bigint;
    paused: boolean;
    next_due_at: bigint | undefined;
    last_due_at: bigint | undefined;
    /** Schema v2's field; undefined from a v1 scheduler (the field is absent from its replies). */
    last_fired_at: bigint | undefined;
    schema_version: number;
    firings: FiringSnap[];
};
/** An owner's agent and the subnet it lives on. */
export type AgentSnap = { owner: string; agent: string; subnet: string | undefined };
export type EffectCounters = { repay_count: bigint; total_repaid: bigint; oracle_calls: bigint; backup_oracle_calls: bigint };
export type Snapshot = {
    /** IC time of the snapshot (ns). */
    at: bigint;
    executions: Record<string, ExecutionSnap>;
    schedules: Record<string, ScheduleSnap>;
    /** Ids of the alerts the monitor reports open. */
    open_alerts: bigint[];
    /** Ids of every notification in the monitor's log. */
    notifications: bigint[];
    effects: EffectCounters;
    versions: Record<PeerRole, VersionInfo>;
    /** Every owner's agent that is ready. */
    agents: AgentSnap[];
};

const PAGE = 100;
const tagOf = (variant: object): string => Object.keys(variant)[0] ?? '';
const optOf = <T>(o: [] | [T]): T | undefined => o[0];

/** The snapshot view of an execution (exported for unit tests of the checks). */
export function executionSnap(x: ExecutionWire): ExecutionSnap {
    const trigger = 'Schedule' in x.trigger ? x.trigger.Schedule : undefined;
    return {
        id: x.id,
        workflow_id: x.workflow_id,
        status: tagOf(x.status),
        scheduled: trigger === undefined ? undefined : { schedule_id: trigger.schedule_id, due_at: trigger.due_at },
        created_at: x.created_at,
        finished_at: optOf(x.finished_at),
        nodes: x.nodes.map((n) => ({
            node_id: n.node_id,
            status: tagOf(n.status),
            attempts: n.attempts.map((a) => {
                const finished = a.finished_at.length > 0;
                return { attempt: a.attempt, started_at: a.started_at, finished, succeeded: finished ? a.error.length === 0 : undefined };
            })
        }))
    };
}

/** The snapshot view of a firing entry. */
export function firingSnap(f: FiringEntry): FiringSnap {
    const o = f.outcome;
    return {
        due_at: f.due_at,
        started_at: f.started_at,
        lateness_ns: f.lateness_ns,
        outcome: 'Pending' in o ? 'Pending' : 'Started' in o ? 'Started' : 'Skipped' in o ? 'Skipped' : 'Failed',
        execution_id: 'Started' in o ? o.Started.execution_id : undefined,
        skipped: 'Skipped' in o ? { reason: tagOf(o.Skipped.reason), runs: o.Skipped.runs } : undefined
    };
}

type Cursor = [] | [string];

/** Every item of a cursor-paged listing. */
async function allPages<T>(fetchPage: (cursor: Cursor) => Promise<{ items: T[]; next_cursor: Cursor }>): Promise<T[]> {
    const items: T[] = [];
    let cursor: Cursor = [];
    do {
        const page: { items: T[]; next_cursor: Cursor } = await fetchPage(cursor);
        items.push(...page.items);
        cursor = page.next_cursor;
    } while (cursor.length > 0);
    return items;
}

/** The orchestrator as each of the drill's owners: each sees only its own executions. */
function ownerOrchestrators(env: DrillEnv): DrillEnv['orchestrator'][] {
    return [env.orchestrator, env.partnerOrchestrator];
}

/** Summaries of every execution of `orchestrator`'s caller. */
async function listOwnExecutions(orchestrator: DrillEnv['orchestrator']): Promise<ExecutionSummary[]> {
    return await allPages(async (cursor) => unwrapOk(await orchestrator.list_executions({ workflow_id: [], status: [], page: { cursor, limit: PAGE }, order: [] })));
}

/** Summaries of every execution of the drill's owners. */
export async function listExecutions(env: DrillEnv): Promise<ExecutionSummary[]> {
    const all: ExecutionSummary[] = [];
    for (const orchestrator of ownerOrchestrators(env)) all.push(...(await listOwnExecutions(orchestrator)));
    return all;
}

/** Every schedule the owner sees. */
export async function listSchedules(env: DrillEnv): Promise<Schedule[]> {
    return await allPages(async (cursor) => unwrapOk(await env.scheduler.list_persistent_scheduled_executions({ workflow_id: [], owner: [], cursor, limit: [PAGE] })));
}

async function executions(env: DrillEnv): Promise<Record<string, ExecutionSnap>> {
    const out: Record<string, ExecutionSnap> = {};
    for (const orchestrator of ownerOrchestrators(env)) {
        for (const item of await listOwnExecutions(orchestrator)) out[item.id] = executionSnap(unwrapOk(await orchestrator.get_execution({ execution_id: item.id })));
    }
    return out;
}

async function agents(env: DrillEnv): Promise<AgentSnap[]> {
    const out: AgentSnap[] = [];
    for (const orchestrator of ownerOrchestrators(env)) {
        const a = unwrapOk(await orchestrator.get_agent());
        const agent = a.agent[0];
        if (!('Ready' in a.status) || agent === undefined) continue;
        out.push({ owner: a.owner.toText(), agent: agent.toText(), subnet: (await env.pic.getCanisterSubnetId(agent))?.toText() });
    }
    return out;
}

async function schedules(env: DrillEnv): Promise<Record<string, ScheduleSnap>> {
    const out: Record<string, ScheduleSnap> = {};
    for (const s of await listSchedules(env)) {
        const details = unwrapOk(await env.scheduler.get_schedule(s.id));
        out[s.id] = {
            id: s.id,
            kind: s.kind,
            missed_run: s.policies.missed_run,
            created_at: s.created_at,
            paused: s.paused,
            next_due_at: optOf(s.next_due_at),
            last_due_at: optOf(s.last_due_at),
            // A v1 scheduler's reply has no such field; Candid decodes the missing `opt` as none.
            last_fired_at: optOf(s.last_fired_at ?? []),
            schema_version: s.schema_version,
            firings: details.recent_firings.map(firingSnap)
        };
    }
    return out;
}

async function notifications(env: DrillEnv): Promise<bigint[]> {
    const ids: bigint[] = [];
    for (;;) {
        const last = ids[ids.length - 1];
        const batch = unwrapOk(await env.monitor.get_notifications(last === undefined ? [] : [last]));
        ids.push(...batch.map((n) => n.id));
        if (batch.length === 0) return ids;
    }
}

/** Takes a snapshot of the whole system (queries only). */
export async function takeSnapshot(env: DrillEnv): Promise<Snapshot> {
    const versions = {} as Record<PeerRole, VersionInfo>;
    const versionActors = { orchestrator: env.orchestrator, scheduler: env.scheduler, executor: env.executor, monitor: env.monitor };
    for (const role of PEER_ROLES) versions[role] = await versionActors[role].get_version();
    const health = await env.monitor.get_system_health();
    return {
        at: await icNow(env.pic),
        executions: await executions(env),
        schedules: await schedules(env),
        open_alerts: health.open_alerts.map((a) => a.id),
        notifications: await notifications(env),
        effects: {
            repay_count: await env.lending.repay_count(),
            total_repaid: await env.lending.total_repaid(),
            oracle_calls: await env.oracle.calls(),
            backup_oracle_calls: await env.backupOracle.calls()
        },
        versions,
        agents: await agents(env)
    };
}
