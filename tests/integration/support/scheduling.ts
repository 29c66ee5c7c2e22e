/**
 * Scheduler test support: typed actors, a deployment whose orchestrator is the recording
 * fake (`support/canisters`), and time helpers in whole seconds.
 *
 * Build the fake first: `npx tsx scripts/build-canisters.ts --project tests/integration/support/canisters`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import type { Principal } from '@dfinity/principal';
import { createIdentity, type Actor, type PocketIc } from '@dfinity/pic';

import { encodeDeploymentArg } from '../../../shared/common/deployment';
import type { ApiError } from '../../../shared/common/errors';
import type { Result } from '../../../shared/common/result';
import type { ScheduleKind, SchedulePolicies, ScheduleRequest } from '../../../shared/scheduling/schedule';
import { schedulerIdlFactory, type SchedulerMethods } from '../../../shared/scheduling/service';
import type { ServiceOf } from '../../../shared/common/codec';
import { fakeOrchestratorIdlFactory, type FakeOrchestratorMethods, type StartRecord } from './canisters/fake-orchestrator';
import { deflowActor, deployDeflow, type DeflowDeployment } from './deflow';
import { createPic } from './pic';

export type SchedulerService = ServiceOf<typeof SchedulerMethods>;
export type FakeOrchestratorService = ServiceOf<typeof FakeOrchestratorMethods>;

export { schedulerIdlFactory };

const FAKE_WASM = resolve(__dirname, 'canisters', '.azle', 'fake_orchestrator', 'fake_orchestrator.wasm');

export type SchedulerHarness = {
    deployment: DeflowDeployment;
    scheduler: Actor<SchedulerService>;
    orchestrator: Actor<FakeOrchestratorService>;
};

/** Deploys DeFlow, then replaces the orchestrator with the recording fake (same id, same wiring). */
export async function deployWithFakeOrchestrator(pic: PocketIc, options: { admins?: Principal[] } = {}): Promise<SchedulerHarness> {
    if (!existsSync(FAKE_WASM)) throw new Error(`${FAKE_WASM} is missing: npx tsx scripts/build-canisters.ts --project tests/integration/support/canisters`);
    const deployment = await deployDeflow(pic, options);
    await pic.reinstallCode({ canisterId: deployment.peers.orchestrator, wasm: new Uint8Array(readFileSync(FAKE_WASM)), arg: encodeDeploymentArg(deployment.config) });
    await pic.tick(2);
    return {
        deployment,
        // A signed-in owner: the anonymous principal may hold no schedule (the schedule quota).
        scheduler: deflowActor<SchedulerService>(pic, deployment, 'scheduler', schedulerIdlFactory, createIdentity('schedule-owner')),
        orchestrator: deflowActor<FakeOrchestratorService>(pic, deployment, 'orchestrator', fakeOrchestratorIdlFactory)
    };
}

export const NS_PER_SECOND = 1_000_000_000n;

/** Moves time forward by whole seconds, then runs `rounds` rounds (timers fire in the first). */
export async function advanceSeconds(pic: PocketIc, seconds: number | bigint, rounds = 2): Promise<void> {
    await pic.advanceTime(Number(seconds) * 1000);
    await pic.tick(rounds);
}

/**
 * Moves time to the first millisecond at or after `ns` (IC time; PocketIC sets time in ms)
 * and runs rounds: the first of them is "the first round whose time reaches `ns`".
 */
export async function advanceTo(pic: PocketIc, ns: bigint, rounds = 2): Promise<void> {
    await pic.setTime(Number((ns + 999_999n) / 1_000_000n));
    await pic.tick(rounds);
}

/** The Ok value of a Result, or a test failure naming the error tag. */
export function unwrap<T>(result: Result<T, ApiError>): T {
    if ('Err' in result) throw new Error(`expected Ok, got Err ${JSON.stringify(result.Err, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
    return result.Ok;
}

/** A schedule request owned by the caller; its runs get `input` (JSON text, default `null`). */
export function request(kind: ScheduleKind, policies?: SchedulePolicies, workflowId = 'wf-1', input?: string): ScheduleRequest {
    return { workflow_id: workflowId, kind, policies: policies === undefined ? [] : [policies], owner: [], input: input === undefined ? [] : [input] };
}

/** Start records of one schedule, oldest due time first. */
export async function startsOf(orchestrator: Actor<FakeOrchestratorService>, scheduleId: string): Promise<StartRecord[]> {
    const all = await orchestrator.starts();
    return all.filter((s) => s.schedule_id === scheduleId).sort((a, b) => (a.due_at < b.due_at ? -1 : a.due_at > b.due_at ? 1 : 0));
}

/**
 * One PocketIC instance and a fake-orchestrator deployment for a describe block: created in
 * `beforeAll`, torn down in `afterAll`. Read `env.pic` / `env.h` inside the tests.
 */
export function useSchedulerHarness(options: { admins?: Principal[] } = {}): { pic: PocketIc; h: SchedulerHarness } {
    const env = {} as { pic: PocketIc; h: SchedulerHarness };
    beforeAll(async () => {
        env.pic = await createPic();
        env.h = await deployWithFakeOrchestrator(env.pic, options);
    });
    afterAll(async () => {
        await env.pic.tearDown();
    });
    return env;
}
