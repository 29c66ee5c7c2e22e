/**
 * What an upgrade drill proves, as pure functions over snapshots (no canister, no clock):
 * nothing lost, no effect run twice, overdue schedules handled per their missed-run policy,
 * calls during the upgrade answered, work that needed the upgraded canister finished after it
 * came back, and `get_version` showing the new code. Each check returns findings; a drill
 * passes when no finding is a loss, a duplicate or a violation (lateness is reported only).
 */
import { nextDueAfter } from '../canisters/scheduler/src/logic/next-due';
import { DEFAULT_GRACE_NS } from '../canisters/scheduler/src/logic/missed-runs';
import { FIRING_HISTORY_CAP } from '../canisters/scheduler/src/logic/history';
import type { PeerRole } from '../shared/common/deployment';
import type { ExecutionSnap, FiringSnap, ScheduleSnap, Snapshot } from './snapshot';

/** Kinds of finding: `late` is informational, every other kind fails the drill. */
export const FINDING_KINDS = ['lost', 'duplicated', 'violation', 'late'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** One thing a check found, naming what it is about (an execution, schedule, call…). */
export type Finding = { kind: FindingKind; subject: string; detail: string };

/** True when a finding fails the drill. */
export const isFailure = (f: Finding): boolean => f.kind !== 'late';

const TERMINAL = new Set(['Succeeded', 'Failed', 'Cancelled']);
/** The liquidation node whose effect the lending canister counts. */
export const REPAY_NODE = 'repay';

const lost = (subject: string, detail: string): Finding => ({ kind: 'lost', subject, detail });
const duplicated = (subject: string, detail: string): Finding => ({ kind: 'duplicated', subject, detail });
const violation = (subject: string, detail: string): Finding => ({ kind: 'violation', subject, detail });

function ringIsFull(s: ScheduleSnap): boolean {
    return s.firings.length >= FIRING_HISTORY_CAP;
}

/** Earliest due time still in a schedule's ring (older entries may have rotated out of a full ring). */
function oldestKept(s: ScheduleSnap): bigint | undefined {
    return s.firings.reduce<bigint | undefined>((min, f) => (min === undefined || f.due_at < min ? f.due_at : min), undefined);
}

/**
 * Nothing recorded before is missing after: executions (and a finished one's outcome), node
 * attempts, schedules, firing entries (unless rotated out of a full ring) and notifications.
 */
export function checkNothingLost(before: Snapshot, after: Snapshot): Finding[] {
    const out: Finding[] = [];
    for (const x of Object.values(before.executions)) {
        const now = after.executions[x.id];
        if (now === undefined) {
            out.push(lost(x.id, 'execution missing'));
            continue;
        }
        if (TERMINAL.has(x.status) && now.status !== x.status) out.push(violation(x.id, `finished as ${x.status}, now ${now.status}`));
        for (const node of x.nodes) {
            const kept = now.nodes.find((n) => n.node_id === node.node_id);
            for (const a of node.attempts) {
                // An attempt not yet run carries its planned start, which moves when it really starts.
                const same = kept?.attempts.find((b) => b.attempt === a.attempt && (!a.finished || b.started_at === a.started_at));
                if (same === undefined) out.push(lost(`${x.id}/${node.node_id}#${a.attempt}`, 'node attempt missing'));
                else if (a.finished && same.succeeded !== a.succeeded) out.push(violation(`${x.id}/${node.node_id}#${a.attempt}`, 'recorded attempt outcome changed'));
            }
        }
    }
    for (const s of Object.values(before.schedules)) {
        const now = after.schedules[s.id];
        if (now === undefined) {
            out.push(lost(s.id, 'schedule missing'));
            continue;
        }
        const oldest = oldestKept(now);
        for (const f of s.firings) {
            if (now.firings.some((g) => g.due_at === f.due_at)) continue;
            if (ringIsFull(now) && oldest !== undefined && f.due_at < oldest) continue;
            out.push(lost(`${s.id}@${f.due_at}`, 'firing record missing'));
        }
    }
    const notes = new Set(after.notifications);
    for (const id of before.notifications) if (!notes.has(id)) out.push(lost(`notification ${id}`, 'notification log entry missing'));
    return out;
}

/** Succeeded attempts of the repay node over every execution: what the lending canister must have counted. */
export function succeededRepays(executions: Record<string, ExecutionSnap>): bigint {
    let count = 0n;
    for (const x of Object.values(executions)) {
        for (const n of x.nodes) if (n.node_id === REPAY_NODE) count += BigInt(n.attempts.filter((a) => a.succeeded === true).length);
    }
    return count;
}

/**
 * No effect ran twice: the lending canister counted exactly the succeeded repay attempts,
 * each (execution, node, attempt) key appears once, each scheduled start key
 * (`schedule_id:due_at`) started one execution, and each due time has one firing entry.
 */
export function checkNoDuplicates(after: Snapshot): Finding[] {
    const out: Finding[] = [];
    const expected = succeededRepays(after.executions);
    if (after.effects.repay_count > expected) out.push(duplicated('lending_position.repay', `${after.effects.repay_count} repays counted, ${expected} succeeded attempts recorded`));
    if (after.effects.repay_count < expected) out.push(violation('lending_position.repay', `${expected} succeeded attempts recorded, only ${after.effects.repay_count} repays counted`));
    const startKeys = new Map<string, string>();
    for (const x of Object.values(after.executions)) {
        for (const n of x.nodes) {
            const seen = new Set<number>();
            for (const a of n.attempts) {
                if (seen.has(a.attempt)) out.push(duplicated(`${x.id}/${n.node_id}#${a.attempt}`, 'attempt key recorded twice'));
                seen.add(a.attempt);
            }
        }
        if (x.scheduled === undefined) continue;
        const key = `${x.scheduled.schedule_id}:${x.scheduled.due_at}`;
        const first = startKeys.get(key);
        if (first !== undefined) out.push(duplicated(key, `started ${first} and ${x.id}`));
        else startKeys.set(key, x.id);
    }
    for (const s of Object.values(after.schedules)) {
        const seen = new Set<bigint>();
        for (const f of s.firings) {
            if (seen.has(f.due_at)) out.push(duplicated(`${s.id}@${f.due_at}`, 'due time fired twice'));
            seen.add(f.due_at);
        }
    }
    return out;
}

/** The due times of `s` in `(from, to]`, oldest first (bounded by `limit`). */
export function dueTimesIn(s: Pick<ScheduleSnap, 'kind' | 'created_at'>, from: bigint, to: bigint, limit = 10_000): bigint[] {
    const out: bigint[] = [];
    for (let d = nextDueAfter(s.kind, from, s.created_at); d !== undefined && d <= to && out.length < limit; d = nextDueAfter(s.kind, d, s.created_at)) out.push(d);
    return out;
}

/** Due times a firing entry stands for: itself, or `runs` due times from its own for a skip summary. */
function covered(s: ScheduleSnap, f: FiringSnap): bigint[] {
    if (f.skipped === undefined || f.skipped.runs <= 1n) return [f.due_at];
    return [f.due_at, ...dueTimesIn(s, f.due_at, BigInt(Number.MAX_SAFE_INTEGER) * 1_000_000_000n, Number(f.skipped.runs) - 1)];
}

/**
 * Every due time of the drill period was handled by the schedule's missed-run policy: each one
 * has a firing entry (started, or skipped with the reason recorded), no start is left pending,
 * every start names an execution that exists and was started for that due time, and late
 * starts respect the policy (`Skip`: none; `RunOnce`: one per catch-up; `RunAll {cap}`: at
 * most `cap` per catch-up). Starts later than the grace period are reported as `late`.
 */
export function checkSchedules(before: Snapshot, after: Snapshot, graceNs: bigint = DEFAULT_GRACE_NS): Finding[] {
    const out: Finding[] = [];
    for (const s of Object.values(after.schedules)) {
        const prior = before.schedules[s.id];
        const from = prior?.last_due_at ?? (prior === undefined ? s.created_at - 1n : before.at);
        const to = s.last_due_at;
        if (to === undefined) continue;
        const entries = s.firings.filter((f) => f.due_at > from);
        const handled = new Set(entries.flatMap((f) => covered(s, f)));
        const oldest = oldestKept(s);
        for (const d of dueTimesIn(s, from, to)) {
            if (handled.has(d)) continue;
            if (ringIsFull(s) && oldest !== undefined && d < oldest) continue;
            out.push(lost(`${s.id}@${d}`, 'due time never fired nor skipped'));
        }
        const batches = new Map<bigint, FiringSnap[]>();
        for (const f of entries) {
            if (f.outcome === 'Pending') out.push(violation(`${s.id}@${f.due_at}`, 'start still pending after the drill ran on'));
            if (f.outcome === 'Started') {
                const x = f.execution_id === undefined ? undefined : after.executions[f.execution_id];
                if (x === undefined) out.push(lost(`${s.id}@${f.due_at}`, `started execution ${f.execution_id ?? '?'} missing`));
                else if (x.scheduled?.schedule_id !== s.id || x.scheduled.due_at !== f.due_at) out.push(violation(`${s.id}@${f.due_at}`, `execution ${x.id} names another trigger`));
            }
            if (f.outcome === 'Started' && f.lateness_ns > graceNs) {
                out.push({ kind: 'late', subject: `${s.id}@${f.due_at}`, detail: `started ${f.lateness_ns / 1_000_000n} ms late` });
                batches.set(f.started_at, [...(batches.get(f.started_at) ?? []), f]);
            }
        }
        const allowed = 'Skip' in s.missed_run ? 0 : 'RunOnce' in s.missed_run ? 1 : s.missed_run.RunAll.cap;
        for (const [at, late] of batches) {
            if (late.length > allowed) out.push(violation(s.id, `${late.length} late starts in the catch-up at ${at}, policy ${Object.keys(s.missed_run)[0]} allows ${allowed}`));
        }
    }
    return out;
}

/**
 * Work that needed a canister while it was down finished after it came back: every execution
 * is final by the end of the drill (the drill runs on past every delay and backoff).
 */
export function checkCompletion(after: Snapshot): Finding[] {
    return Object.values(after.executions)
        .filter((x) => !TERMINAL.has(x.status))
        .map((x) => violation(x.id, `still ${x.status} after the drill ran on`));
}

/** A call a drill made while a canister was being upgraded. */
export type CallRecord = { target: string; method: string; ok: boolean; detail: string };

/** Calls made during an upgrade to canisters other than the upgrading one all succeeded. */
export function checkCallsDuringUpgrade(calls: readonly CallRecord[]): Finding[] {
    return calls.filter((c) => !c.ok).map((c) => violation(`${c.target}.${c.method}`, `failed during the upgrade: ${c.detail}`));
}

/** What `get_version` must show after the upgrade of one canister. */
export type ExpectedVersion = { schema_version?: number; build_id?: string; package_version?: string };

/**
 * The upgraded canisters run the new code: their canister version moved (an install happened)
 * and their version record shows what the new build declares. Canisters not upgraded keep
 * their package and schema version.
 */
export function checkVersions(before: Snapshot, after: Snapshot, upgraded: readonly PeerRole[], expected: Partial<Record<PeerRole, ExpectedVersion>> = {}): Finding[] {
    const out: Finding[] = [];
    for (const role of Object.keys(after.versions) as PeerRole[]) {
        const was = before.versions[role];
        const now = after.versions[role];
        if (upgraded.includes(role)) {
            if (now.canister_version <= was.canister_version) out.push(violation(role, `canister_version did not move (${was.canister_version} → ${now.canister_version})`));
            const want = expected[role] ?? {};
            for (const field of ['schema_version', 'build_id', 'package_version'] as const) {
                const value = want[field];
                if (value !== undefined && now[field] !== value) out.push(violation(role, `get_version ${field} is ${String(now[field])}, the new code declares ${String(value)}`));
            }
        } else if (now.schema_version !== was.schema_version || now.package_version !== was.package_version) {
            out.push(violation(role, 'version changed although it was not upgraded'));
        }
    }
    return out;
}

/** Counts of findings by kind. */
export function tally(findings: readonly Finding[]): Record<FindingKind, number> {
    const counts: Record<FindingKind, number> = { lost: 0, duplicated: 0, violation: 0, late: 0 };
    for (const f of findings) counts[f.kind] += 1;
    return counts;
}

/** What the drill's `upgrade_agents` step answered after an executor upgrade (`error`: the call itself failed). */
export type AgentUpgradeOutcome = { upgraded: number; failed: { owner: string; message: string }[] } | { error: string };

/** Every owner's agent is upgraded after the executor, like every other DeFlow canister: any agent left behind, or a refused step, is a violation. */
export function checkAgentUpgrades(outcomes: readonly AgentUpgradeOutcome[]): Finding[] {
    return outcomes.flatMap((o): Finding[] => {
        if ('error' in o) return [violation('agents', `upgrade_agents failed: ${o.error}`)];
        return o.failed.map((f) => violation(`agent of ${f.owner}`, `not upgraded: ${f.message}`));
    });
}

/**
 * Every owner's agent of the first snapshot is still that owner's agent afterwards, on
 * whichever subnet it lives, and every `upgrade_agents` pass (after an executor upgrade)
 * upgraded each of them. (An agent's `canister_version` moves with every message it runs, so
 * it cannot tell an upgraded agent from a busy one; the executor's report can.)
 */
export function checkAgentsKeptAndUpgraded(before: Snapshot, after: Snapshot, outcomes: readonly AgentUpgradeOutcome[]): Finding[] {
    const kept = before.agents.flatMap((was): Finding[] => {
        const now = after.agents.find((a) => a.owner === was.owner);
        return now === undefined || now.agent !== was.agent ? [lost(`agent of ${was.owner}`, `agent ${was.agent} (subnet ${was.subnet ?? '?'}) is no longer the owner's agent`)] : [];
    });
    const passes = outcomes.flatMap((o): Finding[] => {
        if ('error' in o || o.upgraded + o.failed.length >= before.agents.length) return [];
        return [violation('agents', `upgrade_agents upgraded ${o.upgraded} and named ${o.failed.length} failed of ${before.agents.length} agents on subnets ${[...new Set(before.agents.map((a) => a.subnet ?? '?'))].join(', ')}`)];
    });
    return [...kept, ...passes];
}
