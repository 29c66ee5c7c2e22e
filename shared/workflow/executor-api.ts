import { Principal } from '@dfinity/principal';
import { ListDeadLettersMethod } from '../common/dead-letter';
import { ReplyDecodingWire, type ReplyDecoding } from './node';
import { NodeErrorWire } from './execution';
import { NullApiResultWire, resultWire } from './api-common';
import { c, idlFactory, type Infer, type MethodSpec } from '../common/codec';
import { GetVersionMethod } from '../common/version';
import { EmergencyStateCodec } from '../monitoring/emergency';
import { ExecutorAgentMethods } from '../agent/executor-agent-api';
import { ReadThroughAgentMethod } from '../scheduling/agent-read';

/**
 * The executor's Candid API. Only the orchestrator (given at install time) may call
 * `run_node_attempt` and `cancel_execution_attempts`.
 */

/** The work of one attempt. Templates are already rendered: the executor sees final bytes. */
export const NodeTaskWire = c.variant({
    Call: c.record({ canister: c.principal, method: c.text, args: c.blob, cycles: c.nat, reply: ReplyDecodingWire }),
    /** A `delay` node, or any wait: succeeds with output `null` at `due_at`. */
    Wait: c.null
});
export type NodeTaskWire = Infer<typeof NodeTaskWire>;

export const AttemptKeyWire = c.record({ execution_id: c.text, node_id: c.text, attempt: c.nat32 });
export type AttemptKey = Infer<typeof AttemptKeyWire>;

/**
 * `run_node_attempt`: store the attempt, arm a timer for `due_at` (now or a backoff time),
 * run it, report the result to the orchestrator. Idempotent on (execution_id, node_id,
 * attempt): a repeated request answers the recorded attempt and never runs the effect twice.
 */
export const NodeAttemptRequestWire = c.record({
    key: AttemptKeyWire,
    due_at: c.nat64,
    timeout_ms: c.nat64,
    task: NodeTaskWire,
    /**
     * The workflow's owner: a `Call` task goes out from this owner's agent. Absent only from an
     * orchestrator older than agents; such a call is refused (the executor no longer calls as itself).
     */
    owner: c.opt(c.principal),
    /**
     * An attempt of an emergency workflow (started by a node's `ExecuteEmergencyWorkflow`):
     * it runs while emergency mode holds every other attempt. Absent: `false`.
     */
    critical: c.opt(c.bool)
});
export type NodeAttemptRequest = Infer<typeof NodeAttemptRequestWire>;

export const AttemptStatusWire = c.variant({ Scheduled: c.null, Running: c.null, Succeeded: c.null, Failed: c.null, Cancelled: c.null });

export const NodeAttemptWire = c.record({
    key: AttemptKeyWire,
    status: AttemptStatusWire,
    due_at: c.nat64,
    deadline_at: c.opt(c.nat64),
    started_at: c.opt(c.nat64),
    finished_at: c.opt(c.nat64),
    output: c.opt(c.text),
    error: c.opt(NodeErrorWire),
    reported: c.bool
});
export type NodeAttemptWire = Infer<typeof NodeAttemptWire>;

/** Method table of the executor; see {@link OrchestratorMethods} for use. */
export const ExecutorMethods = {
    run_node_attempt: { args: [NodeAttemptRequestWire], ret: resultWire(NodeAttemptWire), mode: 'update' },
    get_node_attempt: { args: [AttemptKeyWire], ret: resultWire(NodeAttemptWire), mode: 'query' },
    /** Cancels the scheduled (not yet running) attempts of an execution; answers how many. */
    cancel_execution_attempts: { args: [c.record({ execution_id: c.text })], ret: resultWire(c.nat32), mode: 'update' },
    get_version: GetVersionMethod,
    /** The monitor's emergency state; in `Emergency` no scheduled attempt starts until it is lifted. */
    set_emergency_mode: { args: [EmergencyStateCodec], ret: NullApiResultWire, mode: 'update' },
    /** Admins and controllers only: result reports refused or trapping, oldest first. */
    list_dead_letters: ListDeadLettersMethod,
    /** Scheduler only: a condition trigger's read, made by the owner's agent (see `shared/scheduling/agent-read.ts`). */
    read_through_agent: ReadThroughAgentMethod,
    ...ExecutorAgentMethods
} as const satisfies Record<string, MethodSpec>;

export type ExecutorMethodName = keyof typeof ExecutorMethods;

export const executorIdlFactory = idlFactory(ExecutorMethods);

// ---- domain form of a task, for the orchestrator's DispatchNode effect ----

/** A node attempt's work in domain form (principal as text). */
export type NodeTask =
    | { kind: 'Call'; canister: string; method: string; args: Uint8Array; cycles: bigint; reply: ReplyDecoding }
    | { kind: 'Wait' };

export function encodeNodeTask(t: NodeTask): NodeTaskWire {
    switch (t.kind) {
        case 'Call':
            return {
                Call: {
                    canister: Principal.fromText(t.canister),
                    method: t.method,
                    args: t.args,
                    cycles: t.cycles,
                    reply: t.reply.kind === 'Raw' ? { Raw: null } : { Candid: { types: t.reply.types } }
                }
            };
        case 'Wait':
            return { Wait: null };
    }
}

export function decodeNodeTask(v: NodeTaskWire): NodeTask {
    if ('Wait' in v) return { kind: 'Wait' };
    const c = v.Call;
    return {
        kind: 'Call',
        canister: c.canister.toText(),
        method: c.method,
        args: Uint8Array.from(c.args),
        cycles: c.cycles,
        reply: 'Raw' in c.reply ? { kind: 'Raw' } : { kind: 'Candid', types: c.reply.Candid.types }
    };
}
