/**
 * The executor's adapter: one wake timer runs due attempts, performs their target calls,
 * enforces timeouts and delivers results to the orchestrator. Every state change is written
 * before the call it leads to, and re-read after the call returns.
 */
import { Principal } from 'azle';

import { OrchestratorMethods, encodeNodeError, type WorkflowError } from '../../../shared/workflow';
import { callTyped } from '../../common/outbox/calls';
import { failedCall, type HandleOutcome } from '../../common/outbox/delivery';
import { DurableOutbox } from '../../common/outbox/outbox';
import { ReArmableTimer } from '../../common/outbox/timer';
import { callThroughAgent, ensureAgent } from './agents';
import { refusedTarget } from './call-policy';
import { AGENT_WAIT_MS, attemptKeyText, type AttemptKey, type CallResult, completeCall, deferCall, isFinished, runDue, REPORT_RESEND_AFTER_NS, REPORT_RETRY, type ExecutorEffect, type StoredAttempt } from './logic';
import { deployment, dueAttempts, emergency, getAttempt, nextWakeTime, putAttempt, reportsStore, updateMeta } from './state';
import * as runtime from './runtime';
import type { Result } from '../../../shared/common/result';

/** Attempts started per timer run, so one message's work stays bounded. */
const BATCH = 20;

const wake = new ReArmableTimer(() => runTimer());

/** Results waiting for the orchestrator's acknowledgement: the shared durable outbox, one message per report. */
export const reports = new DurableOutbox<StoredAttempt>({
    store: reportsStore,
    handle: sendReport,
    policyOf: () => REPORT_RETRY,
    batch: BATCH,
    resendAfterNs: REPORT_RESEND_AFTER_NS,
    now: () => runtime.now()
});

/** In emergency mode scheduled attempts are held (not started) until the mode is lifted. */
function holdScheduled(): boolean {
    return 'Emergency' in emergency.current.mode;
}

/**
 * Runs the timer pass at once; it re-arms itself for the next thing due. Call context:
 * init and post_upgrade, which must not read every stored attempt (an upgrade's cost must
 * not grow with the data).
 */
export function wakeNow(now: bigint): void {
    wake.armAt(now, now);
    reports.armNow();
}

/** Arms the wake timer for the next thing due (call context: any update or timer). */
export function armWake(now: bigint): void {
    const at = nextWakeTime(holdScheduled());
    if (at !== undefined) wake.armAt(at, now);
}

/** Writes an attempt; counts it once when it becomes finished. */
function save(previous: StoredAttempt | undefined, next: StoredAttempt): void {
    putAttempt(next);
    if (previous !== undefined && isFinished(previous)) return;
    if (next.status !== 'Succeeded' && next.status !== 'Failed') return;
    const ran = next.finishedAt !== undefined && next.startedAt !== undefined ? next.finishedAt - next.startedAt : 0n;
    updateMeta((m) => ({
        ...m,
        counters: {
            ...m.counters,
            completedTotal: m.counters.completedTotal + 1n,
            failuresTotal: m.counters.failuresTotal + (next.status === 'Failed' ? 1n : 0n),
            runTimeNsTotal: m.counters.runTimeNsTotal + ran
        }
    }));
}

function saveAll(changed: StoredAttempt[]): void {
    for (const a of changed) save(getAttempt(attemptKeyText(a.key)), a);
}

/**
 * Call context: timer. The wake is re-armed before the calls go out, not only after they
 * return: a target that never answers must not keep its attempt's timeout from firing.
 */
export async function runTimer(): Promise<void> {
    const now = runtime.now();
    const step = runDue(dueAttempts(now, BATCH, holdScheduled()), now, BATCH, refusedTarget);
    saveAll(step.changed);
    armWake(now);
    await Promise.all(step.effects.map(perform));
    armWake(runtime.now());
}

async function perform(e: ExecutorEffect): Promise<void> {
    if (e.kind === 'ReportResult') {
        reports.arm();
        return;
    }
    const agent = await ensureAgent(Principal.fromText(e.owner));
    // No agent module installed, or one whose chunk is not what its hash says or whose chunks
    // do not assemble into the module hash it names: no agent can be created, and none will be
    // until an operator deploys one, so the call fails now (CallRefused, nothing sent) instead
    // of waiting for the node's deadline.
    if ('Err' in agent && 'NotFound' in agent.Err) return complete(e.key, { kind: 'Refused', message: `the owner has no agent to make the call: ${agent.Err.NotFound.id}` });
    // No agent yet (being created, the management canister refused) or being upgraded: the
    // call waits, unsent and not counted as a failure; the orchestrator's node deadline bounds the wait.
    if ('Err' in agent || agent.Ok.canisterId === undefined) return waitForAgent(e.key);
    const result = await callThroughAgent(Principal.fromText(agent.Ok.canisterId), e.key, e.canister, e.method, e.args, e.cycles);
    if (result.kind === 'AgentStopped') return waitForAgent(e.key);
    await complete(e.key, result);
}

/** Applies what the call came to (or why it was not sent) to its attempt and reports it. */
async function complete(key: AttemptKey, result: CallResult): Promise<void> {
    const current = getAttempt(attemptKeyText(key));
    if (current === undefined) return;
    const step = completeCall(current, result, runtime.now());
    saveAll(step.changed);
    await Promise.all(step.effects.map(perform));
}

/** The attempt's call goes to its agent later (it waits unsent, {@link AGENT_WAIT_MS}). */
function waitForAgent(key: AttemptKey): void {
    const waiting = getAttempt(attemptKeyText(key));
    if (waiting !== undefined) putAttempt(deferCall(waiting, runtime.now(), AGENT_WAIT_MS));
    armWake(runtime.now());
}

/**
 * Sends a finished attempt's result to the orchestrator (call context: the outbox's own timer
 * message). A typed refusal (Unauthorized after a bad deployment, InvalidInput) will not change
 * by retrying: it is dead-lettered, visible in `list_dead_letters`; a reject is judged by the
 * one reject rule (the orchestrator stopped or upgrading: retried with backoff).
 */
async function sendReport(a: StoredAttempt): Promise<HandleOutcome> {
    const outcome = a.error !== undefined ? { Failed: encodeNodeError(a.error) } : { Succeeded: { output: a.output ?? 'null' } };
    const request = {
        execution_id: a.key.executionId,
        node_id: a.key.nodeId,
        attempt: a.key.attempt,
        started_at: a.startedAt ?? a.dueAt,
        finished_at: a.finishedAt ?? runtime.now(),
        outcome
    };
    const r = await callTyped<Result<null, WorkflowError>>(deployment.peer('orchestrator'), 'report_node_result', OrchestratorMethods.report_node_result, [request]);
    if (r.kind === 'Rejected') return failedCall(r);
    if ('Err' in r.value) return { kind: 'Failed', retryable: false, reason: `refused: ${Object.keys(r.value.Err)[0] ?? 'unknown'}` };
    return { kind: 'Done' };
}
