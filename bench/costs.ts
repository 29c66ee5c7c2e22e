/**
 * `npm run bench -- costs`: what an owner's work costs, per canister, from the server's cycle
 * accounting (the engine's canister records, read in this process: bench/scale/server.ts).
 * - The 3-node workflow of bench/workflows.ts (call the demo oracle through the owner's agent,
 *   condition, transform), started with start_execution and run to Succeeded: cycles charged to
 *   the orchestrator, scheduler, executor, monitor, the owner's agent and the target (the oracle),
 *   median of RUNS. No time is advanced, so idle charges are a few rounds' worth.
 * - An owner's agent, created by the executor at the owner's first workflow: wall time from
 *   that create_workflow to the agent `Ready` (wall clock of this process and server), the
 *   cycles taken from the executor and the agent's balance once ready, median of AGENTS owners.
 * - The deploy step's agent module upload (`installAgentModule`, as every deployment runs it):
 *   the executor's instructions per `upload_agent_module_chunk` (one 1 MiB chunk) and for
 *   `set_agent_module`, against the 40B instruction limit of an update message.
 */
import { createIdentity, PocketIc } from '@dfinity/pic';
import type { Principal } from '@dfinity/principal';

import { agentModuleBytes, installAgentModule } from '../cli/deploy';
import { AGENT_CREATION_CYCLES } from '../shared/agent/funding';
import { allowHeavyUse } from '../drill/env';
import { PEER_ROLES, type PeerRole } from '../shared/common/deployment';
import { deployWorkflowEnv, okOf, readyAgentOf, type WorkflowEnv } from '../tests/integration/support/workflows';
import { cyclesOf, startInProcessServer, type InProcessServer } from './scale/server';
import { formatMs, median, printSection, sample, type Row } from './stats';
import { threeNodeDefinition, tickUntilDone } from './workflows';

const RUNS = 7;
const AGENTS = 5;
/** USD per XDR (1 XDR buys 1T cycles); override with DEFLOW_XDR_USD. */
const XDR_USD = Number(process.env.DEFLOW_XDR_USD ?? 1.33);

const digits = (value: bigint): string => value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const medianOf = (values: bigint[]): bigint => BigInt(Math.round(median(values.map(Number))));
const usd = (cycles: bigint): string => `$${((Number(cycles) / 1e12) * XDR_USD).toFixed(6)} at ${XDR_USD} USD/XDR`;

type Payer = PeerRole | 'agent' | 'target';

/** The instruction limit of one update message (IC). */
const UPDATE_INSTRUCTION_LIMIT = 40_000_000_000n;

/** The executor's instructions for each message of the agent module upload, uploaded again by an admin of `env`. */
export async function agentModuleUploadRows(server: InProcessServer, env: WorkflowEnv): Promise<Row[]> {
    const executor = env.deployment.peers.executor;
    const instructions = (): bigint => server.instances[server.instances.length - 1]?.canisterRecord(executor.toUint8Array())?.instructionsExecuted ?? 0n;
    const measured: { method: string; instructions: bigint }[] = [];
    await installAgentModule({
        update: async (method, arg) => {
            const before = instructions();
            const reply = await env.pic.updateCall({ canisterId: executor, method, arg, sender: env.admin.getPrincipal() });
            measured.push({ method, instructions: instructions() - before });
            return reply;
        }
    });
    const share = (n: bigint): string => `${((Number(n) / Number(UPDATE_INSTRUCTION_LIMIT)) * 100).toFixed(2)}% of the 40B update limit`;
    const chunks = measured.filter((m) => m.method === 'upload_agent_module_chunk').map((m) => m.instructions);
    const set = measured.find((m) => m.method === 'set_agent_module')?.instructions ?? 0n;
    const largest = chunks.reduce((a, b) => (a > b ? a : b), 0n);
    return [
        { name: 'upload_agent_module_chunk (largest of the chunks)', value: `${digits(largest)} instr`, note: `${share(largest)}; ${chunks.length} chunks for the ${digits(BigInt(agentModuleBytes().length))}-byte gzipped module` },
        { name: 'set_agent_module', value: `${digits(set)} instr`, note: share(set) }
    ];
}

export async function costsBench(): Promise<void> {
    const server = await startInProcessServer();
    const pic = await PocketIc.create(server.url);
    try {
        const env = await deployWorkflowEnv(pic);
        printSection("costs: the deploy step's agent module upload, the executor's instructions per message", await agentModuleUploadRows(server, env));
        // Every run is kept: more executions than the default per-owner quotas allow.
        await allowHeavyUse(pic, env.deployment, env.admin, env.owner);
        const wf = okOf(await env.orchestrator.create_workflow(threeNodeDefinition(env)));
        const agent = await readyAgentOf(env, env.orchestrator);
        const payers: Record<Payer, Principal> = { ...env.deployment.peers, agent, target: env.ids.oracle };
        const names = Object.keys(payers) as Payer[];
        const balances = (): Record<Payer, bigint> => Object.fromEntries(names.map((n) => [n, cyclesOf(server, payers[n])])) as Record<Payer, bigint>;

        // Warm-up run: the first execution settles what later ones reuse.
        await tickUntilDone(env, [okOf(await env.orchestrator.start_execution({ workflow_id: wf.id, input: [] })).id]);
        const charged = Object.fromEntries(names.map((n) => [n, [] as bigint[]])) as Record<Payer, bigint[]>;
        const totals: bigint[] = [];
        for (let run = 0; run < RUNS; run++) {
            const before = balances();
            await tickUntilDone(env, [okOf(await env.orchestrator.start_execution({ workflow_id: wf.id, input: [] })).id]);
            const after = balances();
            for (const n of names) charged[n].push(before[n] - after[n]);
            totals.push(names.reduce((sum, n) => sum + before[n] - after[n], 0n));
        }
        const total = medianOf(totals);
        const deflow = medianOf(charged.orchestrator.map((_, i) => PEER_ROLES.reduce((sum, role) => sum + charged[role][i]!, 0n)));
        const rows: Row[] = names.map((n) => {
            const m = medianOf(charged[n]);
            return { name: `${n === 'agent' ? "owner's agent" : n === 'target' ? 'target (demo oracle)' : n}`, value: `${digits(m)} cycles`, note: `${((Number(m) / Number(total)) * 100).toFixed(1)}% of the execution` };
        });
        rows.push(
            { name: 'all six canisters', value: `${digits(total)} cycles`, note: usd(total) },
            { name: 'the four DeFlow canisters', value: `${digits(deflow)} cycles`, note: usd(deflow) },
            { name: "owner's agent / DeFlow canisters", value: `${(Number(medianOf(charged.agent)) / Number(deflow)).toFixed(3)}×` }
        );
        printSection(`costs: cycles charged per 3-node execution (call via agent, condition, transform), by canister, median of ${RUNS}`, rows);

        // Agents: a new owner's first workflow has the executor create and install its agent.
        const taken: bigint[] = [];
        const given: bigint[] = [];
        let made = 0;
        const times = await sample(AGENTS, async (run) => {
            const owner = createIdentity(`bench-agent-owner-${made++}`);
            env.orchestrator.setIdentity(owner);
            const executorBefore = cyclesOf(server, env.deployment.peers.executor);
            okOf(await env.orchestrator.create_workflow(threeNodeDefinition(env)));
            const created = await readyAgentOf(env, env.orchestrator);
            if (run < 0) return;
            taken.push(executorBefore - cyclesOf(server, env.deployment.peers.executor));
            given.push(cyclesOf(server, created));
        });
        env.orchestrator.setIdentity(env.owner);
        const [takenMedian, givenMedian] = [medianOf(taken), medianOf(given)];
        printSection(`costs: creating an owner's agent (first workflow of a new owner), median of ${AGENTS}`, [
            { name: 'create_workflow → agent Ready (wall clock)', value: formatMs(median(times)), note: 'create_workflow, then rounds until get_agent says Ready; pic-js over HTTP to the in-process server' },
            { name: 'cycles taken from the executor', value: `${digits(takenMedian)} cycles`, note: `${usd(takenMedian)}; the executor attaches ${digits(AGENT_CREATION_CYCLES)} to create_canister` },
            { name: "agent's balance once Ready", value: `${digits(givenMedian)} cycles`, note: 'what it has for its owner\'s calls' },
            { name: 'creation overhead (taken - balance)', value: `${digits(takenMedian - givenMedian)} cycles`, note: 'creation fee, install, the executor\'s own messages' },
            { name: 'agent creation / one 3-node execution', value: `${(Number(takenMedian) / Number(total)).toFixed(1)}×` }
        ]);
    } finally {
        await pic.tearDown();
        await server.stop();
    }
}
