/**
 * Drill scenarios: load the system, upgrade canisters the way dfx does (stop, install in
 * upgrade mode, start) while the other canisters keep receiving calls and IC time passes, run
 * the system on, snapshot and check. Time is driven with advanceTime/tick only.
 */
import type { AgentUpgradeReportWire } from '../shared/agent/executor-agent-api';
import type { PocketIc } from '@dfinity/pic';

import { upgradeDeflowCanister, type UpgradeTiming } from '../cli/deploy';
import { PEER_ROLES, type PeerRole } from '../shared/common/deployment';
import type { ExecutionStatusWire } from '../shared/workflow';
import { checkAgentsKeptAndUpgraded, checkAgentUpgrades, checkCallsDuringUpgrade, checkCompletion, checkNoDuplicates, checkNothingLost, checkSchedules, checkVersions, type AgentUpgradeOutcome, type CallRecord, type ExpectedVersion, type Finding } from './checks';
import { deployDrillEnv, type DrillEnv } from './env';
import { advance, loadSystem, pulse, scheduleOnceDuringDowntime, type LoadProfile, type LoadState } from './load';
import { unwrapOk } from './result';
import { listExecutions, listSchedules, takeSnapshot, type Snapshot } from './snapshot';

/** IC time between steps while a canister is down or the system runs on. */
const STEP_MS = 10_000;
/** Longest the drill runs on after the last upgrade (delays are 5 min, backoffs up to 2 min). */
const SETTLE_MAX_MS = 10 * 60_000;

/** Execution states that are not final. */
const OPEN_STATUSES: ExecutionStatusWire[] = [{ Running: null }, { Pending: null }, { Paused: null }];

/** One upgrade of one canister. */
export type UpgradeResult = {
    role: PeerRole;
    round: number;
    timing: UpgradeTiming;
    /** stop + install + start, wall clock. */
    wallMs: number;
    /** Calls made to the other canisters while this one was down. */
    calls: CallRecord[];
    /** Executions started (on an orchestrator that was up) while this canister was down. */
    startedWhileDown: string[];
    counts: { before: SystemCounts; after: SystemCounts };
    /** Why the IC refused the install (a trapping `post_upgrade`): the canister kept its old code. */
    refused: string | undefined;
    /** After an executor upgrade: the owners' agents upgraded in turn (`upgrade_agents`) while executions wait on them. */
    agents: AgentUpgradeOutcome | undefined;
};

/** Executions and schedules stored, counted around each upgrade. */
export type SystemCounts = { executions: number; schedules: number };

/** A finished drill: what was upgraded, the snapshots compared and what the checks found. */
export type DrillResult = { scenario: string; upgrades: UpgradeResult[]; before: Snapshot; after: Snapshot; findings: Finding[] };

/** How a drill runs. */
export type DrillOptions = {
    scenario: string;
    /** Canisters upgraded in this order in every round. */
    order: readonly PeerRole[];
    rounds: number;
    profile: LoadProfile;
    /** The release to install per canister (default: the current build). */
    wasm?: Partial<Record<PeerRole, Uint8Array>>;
    /** What `get_version` of an upgraded canister must show. */
    expected?: Partial<Record<PeerRole, ExpectedVersion>>;
    /** The release is expected to be refused (its `post_upgrade` traps): the old code must keep running. */
    expectRefusal?: boolean;
    /** Progress lines (the operator tool prints them). */
    log?: (line: string) => void;
};

/** Records one call made during an upgrade: its failure is data for the checks, not a crash. */
async function recordCall(calls: CallRecord[], target: string, method: string, call: () => Promise<unknown>): Promise<void> {
    try {
        await call();
        calls.push({ target, method, ok: true, detail: '' });
    } catch (error) {
        calls.push({ target, method, ok: false, detail: error instanceof Error ? error.message : String(error) });
    }
}

/** Calls every canister that is up (`down` is being upgraded): what users and dapps keep doing. */
async function callOthers(env: DrillEnv, down: PeerRole, load: LoadState, profile: LoadProfile, calls: CallRecord[], started: string[]): Promise<void> {
    for (const role of PEER_ROLES) {
        if (role === down) continue;
        switch (role) {
            case 'orchestrator':
                await recordCall(calls, role, 'start_execution', async () => started.push(...(await pulse(env, load, profile))));
                break;
            case 'scheduler':
                await recordCall(calls, role, 'list_persistent_scheduled_executions', async () => unwrapOk(await env.scheduler.list_persistent_scheduled_executions({ workflow_id: [], owner: [], cursor: [], limit: [10] })));
                break;
            case 'executor':
                await recordCall(calls, role, 'get_version', async () => env.executor.get_version());
                break;
            case 'monitor':
                await recordCall(calls, role, 'get_system_health', async () => env.monitor.get_system_health());
                break;
        }
    }
    await recordCall(calls, 'lending_position', 'repay_count', async () => env.lending.repay_count());
}

async function countSystem(env: DrillEnv): Promise<SystemCounts> {
    return { executions: (await listExecutions(env)).length, schedules: (await listSchedules(env)).length };
}

/**
 * Upgrades `role` like dfx while the rest of the system is used and `profile.downtimeMs` of IC
 * time passes; then lets it catch up for a few rounds.
 */
export async function drillUpgrade(env: DrillEnv, role: PeerRole, round: number, load: LoadState, profile: LoadProfile, wasm?: Uint8Array): Promise<UpgradeResult> {
    const before = await countSystem(env);
    const calls: CallRecord[] = [];
    const startedWhileDown: string[] = [];
    const started = performance.now();
    let timing: UpgradeTiming = { stopMs: 0, installMs: 0, startMs: 0 };
    let refused: string | undefined;
    try {
        timing = await upgradeDeflowCanister(env.pic, env.deployment, role, {
            ...(wasm === undefined ? {} : { wasm }),
            whileStopped: async () => {
                for (let elapsed = 0; elapsed < profile.downtimeMs; elapsed += STEP_MS) {
                    if (elapsed === 0) await callOthers(env, role, load, profile, calls, startedWhileDown);
                    await advance(env.pic, STEP_MS, 2);
                }
            }
        });
    } catch (error) {
        // The install was refused and the canister restarted on its old code; the checks decide whether that was expected.
        refused = error instanceof Error ? error.message : String(error);
    }
    await env.pic.tick(4);
    const agents = role === 'executor' && refused === undefined ? await upgradeAgents(env, load, profile, startedWhileDown) : undefined;
    const wallMs = refused === undefined ? timing.stopMs + timing.installMs + timing.startMs : performance.now() - started;
    return { role, round, timing, wallMs, calls, startedWhileDown, counts: { before, after: await countSystem(env) }, refused, agents };
}

/**
 * Agents are DeFlow canisters too: after the executor, the drill upgrades every owner's agent
 * (the executor stops, upgrades and starts each) with executions just started, whose call
 * nodes must wait for their agent and then run once (the nothing-lost and no-duplicate checks).
 */
async function upgradeAgents(env: DrillEnv, load: LoadState, profile: LoadProfile, started: string[]): Promise<AgentUpgradeOutcome> {
    started.push(...(await pulse(env, load, profile)));
    try {
        // One bounded batch per call: page on until the executor names no next cursor.
        const outcome = { upgraded: 0, failed: [] as { owner: string; message: string }[] };
        let cursor: [] | [string] = [];
        do {
            const report: AgentUpgradeReportWire = unwrapOk(await env.executor.upgrade_agents({ cursor, limit: [] }));
            outcome.upgraded += report.upgraded;
            outcome.failed.push(...report.failed.map((f) => ({ owner: f.owner.toText(), message: `${Object.keys(f.step)[0]} failed${f.running ? '' : ' (agent not running)'}: ${f.message}` })));
            cursor = report.next_cursor;
        } while (cursor.length > 0);
        return outcome;
    } catch (error) {
        return { error: error instanceof Error ? error.message : String(error) };
    }
}

/** Pauses every schedule and runs on until every execution is final (or the settle bound passes). */
async function settle(env: DrillEnv, pic: PocketIc, load: LoadState): Promise<void> {
    for (const id of [...load.schedules.interval, ...load.schedules.cron]) unwrapOk(await env.scheduler.pause_schedule(id));
    for (let elapsed = 0; elapsed < SETTLE_MAX_MS; elapsed += STEP_MS) {
        await advance(pic, STEP_MS, 2);
        if (elapsed % (6 * STEP_MS) !== 0) continue;
        const open = await Promise.all(
            OPEN_STATUSES.map(async (status) => unwrapOk(await env.orchestrator.list_executions({ workflow_id: [], status: [status], page: { cursor: [], limit: 1 }, order: [] })).items.length)
        );
        if (open.every((n) => n === 0)) return;
    }
}

/**
 * Runs one drill on a fresh deployment on `pic`: load, snapshot, `rounds` × upgrade every
 * canister of `order` (under continuous load), run on, snapshot, check.
 */
export async function runDrill(pic: PocketIc, options: DrillOptions): Promise<DrillResult> {
    const log = options.log ?? (() => undefined);
    const env = await deployDrillEnv(pic);
    return await runDrillOn(env, options, log);
}

/** {@link runDrill} on an environment already deployed (the migration drill installs an older release first). */
export async function runDrillOn(env: DrillEnv, options: DrillOptions, log: (line: string) => void = () => undefined): Promise<DrillResult> {
    const { profile } = options;
    const load = await loadSystem(env, profile);
    const before = await takeSnapshot(env);
    log(`${options.scenario}: loaded ${Object.keys(before.executions).length} executions, ${Object.keys(before.schedules).length} schedules`);
    const upgrades: UpgradeResult[] = [];
    for (let round = 1; round <= options.rounds; round++) {
        for (const role of options.order) {
            if (upgrades.length > 0) {
                await scheduleOnceDuringDowntime(env, load, profile);
                await pulse(env, load, profile);
                await advance(env.pic, STEP_MS, 2);
            }
            const result = await drillUpgrade(env, role, round, load, profile, options.wasm?.[role]);
            upgrades.push(result);
            log(`${options.scenario}: round ${round} upgraded ${role} in ${result.wallMs.toFixed(0)} ms`);
        }
    }
    await settle(env, env.pic, load);
    const after = await takeSnapshot(env);
    const upgraded = [...new Set(upgrades.filter((u) => u.refused === undefined).map((u) => u.role))];
    const refusals = upgrades.map((u): Finding[] => {
        if (options.expectRefusal === true) return u.refused === undefined ? [{ kind: 'violation', subject: u.role, detail: 'a release whose post_upgrade traps was installed' }] : [];
        return u.refused === undefined ? [] : [{ kind: 'violation', subject: u.role, detail: `upgrade refused: ${u.refused}` }];
    });
    const agentPasses = upgrades.flatMap((u) => (u.agents === undefined ? [] : [u.agents]));
    const findings = [
        ...refusals.flat(),
        ...checkNothingLost(before, after),
        ...checkNoDuplicates(after),
        ...checkSchedules(before, after),
        ...checkCompletion(after),
        ...checkCallsDuringUpgrade(upgrades.flatMap((u) => u.calls)),
        ...checkAgentUpgrades(agentPasses),
        ...checkAgentsKeptAndUpgraded(before, after, agentPasses),
        ...checkVersions(before, after, upgraded, options.expected)
    ];
    return { scenario: options.scenario, upgrades, before, after, findings };
}
