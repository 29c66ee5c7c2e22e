/**
 * Scheduling benchmarks on the local server, with the recording fake orchestrator
 * (build it: `npx tsx scripts/build-canisters.ts --project tests/integration/support/canisters`):
 * - lateness of starts, in rounds, with 1,000 active interval schedules spread over a minute;
 * - the cost of an upgrade (post_upgrade re-arms the ONE timer from the due index) with 10
 *   and with 10,000 schedules, as a ratio: the design says it must not grow with the count.
 */
import { resolve } from 'node:path';

import { Principal } from '@dfinity/principal';
import { PocketIc, PocketIcServer } from '@dfinity/pic';

import { encodeDeploymentArg } from '../shared/common/deployment';
import { MAX_SCHEDULES } from '../canisters/scheduler/src/logic/quota';
import { deflowActor, deflowWasm } from '../tests/integration/support/deflow';
import { deployWithFakeOrchestrator, request, schedulerIdlFactory, unwrap, type SchedulerHarness, type SchedulerService } from '../tests/integration/support/scheduling';
import { formatMs, median, printSection, ratioRow, sample, type Row } from './stats';

const NS_PER_SECOND = 1_000_000_000n;

async function withPic<T>(server: PocketIcServer, body: (pic: PocketIc, h: SchedulerHarness) => Promise<T>): Promise<T> {
    const pic = await PocketIc.create(server.getUrl());
    try {
        return await body(pic, await deployWithFakeOrchestrator(pic));
    } finally {
        await pic.tearDown();
    }
}

/** Creates `count` interval schedules (every 60 s, anchored on whole seconds spread over the minute). */
async function createSchedules(pic: PocketIc, h: SchedulerHarness, count: number, anchor: bigint): Promise<void> {
    // One owner holds them all: the deployment's controller (the harness's default sender) raises the quota.
    const asController = deflowActor<SchedulerService>(pic, h.deployment, 'scheduler', schedulerIdlFactory);
    unwrap(await asController.set_schedule_quota({ owner: [], max_schedules: MAX_SCHEDULES, condition_reads_per_hour: [] }));
    const BATCH = 50;
    for (let i = 0; i < count; i += BATCH) {
        await Promise.all(Array.from({ length: Math.min(BATCH, count - i) }, (_, j) => {
            const start = anchor + BigInt((i + j) % 60) * NS_PER_SECOND;
            return h.scheduler.schedule_workflow_execution(request({ Interval: { every_seconds: 60n, start_at: [start], end_at: [] } }, { missed_run: { Skip: null }, overlap: { Allow: null } })).then(unwrap);
        }));
    }
    await pic.tick();
}

function percentile(sorted: bigint[], p: number): bigint {
    return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? 0n;
}

async function latenessRows(server: PocketIcServer): Promise<Row[]> {
    return await withPic(server, async (pic, h) => {
        const nowNs = BigInt(await pic.getTime()) * 1_000_000n;
        const anchor = ((nowNs / NS_PER_SECOND) + 120n) * NS_PER_SECOND;
        await createSchedules(pic, h, 1_000, anchor);
        // Two minutes, one second at a time; every due time is a whole second. The local server
        // runs rounds at the set time, then +1 ns per further round, so first_at - due_at counts
        // the rounds a start waited after the first round that reached its due time.
        for (let s = 0n; s < 120n; s += 1n) {
            await pic.setTime(Number((anchor + s * NS_PER_SECOND) / 1_000_000n));
            await pic.tick(25);
        }
        const starts = await h.orchestrator.starts();
        const lateness = starts.map((x) => x.first_at - x.due_at).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        return [
            { name: 'starts measured (1,000 schedules, 2 min)', value: String(starts.length) },
            { name: 'lateness p50 (rounds)', value: percentile(lateness, 0.5).toString() },
            { name: 'lateness p99 (rounds)', value: percentile(lateness, 0.99).toString() },
            { name: 'lateness max (rounds)', value: percentile(lateness, 1).toString(), note: '50 schedules per timer callback; ~17 due per second here' }
        ];
    });
}

async function upgradeMs(server: PocketIcServer, count: number): Promise<number> {
    return await withPic(server, async (pic, h) => {
        const nowNs = BigInt(await pic.getTime()) * 1_000_000n;
        await createSchedules(pic, h, count, ((nowNs / NS_PER_SECOND) + 3_600n) * NS_PER_SECOND);
        const canisterId = h.deployment.peers.scheduler;
        const wasm = deflowWasm('scheduler');
        const samples = await sample(5, async () => {
            await pic.upgradeCanister({ canisterId, wasm, arg: encodeDeploymentArg(null), sender: Principal.anonymous() });
            await pic.tick();
        });
        return median(samples);
    });
}

export async function schedulingBench(): Promise<void> {
    const server = await PocketIcServer.start({ binPath: process.env.POCKET_IC_BIN ?? resolve(__dirname, '..', 'localnet', 'bin', 'deflow-localnet.js') });
    try {
        const rows = await latenessRows(server);
        const small = await upgradeMs(server, 10);
        const large = await upgradeMs(server, 10_000);
        rows.push(
            { name: 'upgrade + first round, 10 schedules', value: formatMs(small) },
            { name: 'upgrade + first round, 10,000 schedules', value: formatMs(large) },
            ratioRow('re-arm cost 10,000 vs 10 schedules', large, small, 1.5)
        );
        printSection('scheduling (scheduler canister on the local server)', rows);
    } finally {
        await server.stop();
    }
}
