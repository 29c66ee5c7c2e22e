/** Execution methods for users: start, cancel, get, list. */

import { z } from 'zod';

import {
    JsonTextSchema,
    OrchestratorMethods,
    WORKFLOW_LIMITS,
    decodeExecutionStatus,
    encodeExecution,
    encodeExecutionStatus,
    encodeTrigger,
    fromOpt,
    type ExecutionSummary,
    type ExecutionWire,
    type ListExecutionsArg,
    type StartExecutionArg,
    type StartWithCallbackArg,
    type WorkflowResult
} from '../../../shared/workflow';
import { method } from '../../common/method';
import { commit, compiledFor, startNew } from './engine';
import { notFound, transitionConflict } from './errors';
import { parseWith } from '../../../shared/common/codec';
import { requireOwner } from './guards';
import { cancelExecution, isTerminalExecution, triggerForCaller } from './logic';
import { executionSummaryPage, getExecution, type StoredExecution, type StoredExecutionSummary } from './state';
import { PageSchema } from './workflows';
import { pageLimit } from '../../../shared/common/page';
import * as runtime from './runtime';
import { err } from '../../../shared/common/result';

const IdSchema = z.string().min(1).max(WORKFLOW_LIMITS.maxNodeIdChars);
const StartSchema = z.object({ workflow_id: IdSchema, input: z.union([z.tuple([]), z.tuple([JsonTextSchema])]) });
const StartWithCallbackSchema = StartSchema.extend({ callback_method: z.string() });
const ExecutionIdSchema = z.object({ execution_id: IdSchema });
const ListSchema = z.object({ workflow_id: z.union([z.tuple([]), z.tuple([IdSchema])]), page: PageSchema, order: z.union([z.tuple([]), z.tuple([z.union([z.object({ OldestFirst: z.null() }), z.object({ NewestFirst: z.null() })])])]) });

/** Loads an execution of one of the caller's workflows: NotFound, then Unauthorized. */
function ownedExecution(arg: { execution_id: string }): WorkflowResult<StoredExecution> {
    const valid = parseWith(ExecutionIdSchema, arg);
    if ('Err' in valid) return valid;
    const s = getExecution(arg.execution_id);
    if (s === undefined) return err(notFound.execution(arg.execution_id));
    const denied = requireOwner(runtime.caller(), s);
    return denied === undefined ? { Ok: s } : err(denied);
}

export class ExecutionMethods {
    /**
     * Starts the latest version of a workflow with an optional JSON input (default `null`).
     * Inline nodes run at once; call and delay nodes are queued for the executor, so the reply
     * shows the execution Running (or already finished if it has no dispatched node). The
     * trigger is `Dapp { canister }` when the caller is a canister, else `Manual`.
     * Call context: update; the workflow's owner only.
     * Errors: InvalidInput (input not JSON), NotFound, Unauthorized, Conflict (workflow paused),
     * EmergencyMode (emergency mode; safe mode for a workflow not marked critical).
     */
    @method(OrchestratorMethods.start_execution)
    start_execution(arg: StartExecutionArg): WorkflowResult<ExecutionWire> {
        const valid = parseWith(StartSchema, arg);
        if ('Err' in valid) return valid;
        const caller = runtime.caller();
        const r = startNew({ workflowId: arg.workflow_id, caller, trigger: triggerForCaller(caller), input: fromOpt(arg.input) ?? 'null' }, runtime.now());
        return 'Err' in r ? r : { Ok: encodeExecution(r.Ok) };
    }

    /**
     * `start_execution` for a dapp canister that wants the final result pushed to it: once the
     * execution finishes (Succeeded, Failed or Cancelled) the orchestrator calls the caller's
     * own `callback_method` with an `ExecutionCompletion`, once; a trap or reject is retried
     * (1 s doubling to 1 min, at most 10 calls), then dead-lettered (`list_dead_letters`). The
     * callback target is always the caller: a user, the management canister or a DeFlow
     * canister cannot ask for one (the call policy's rule, see `shared/workflow/completion.ts`).
     * Call context: update; the workflow's owner, a canister.
     * Errors: as `start_execution`, and InvalidInput (`callback_method` empty or over 128
     * characters, or the caller is not a canister outside DeFlow).
     */
    @method(OrchestratorMethods.start_execution_with_callback)
    start_execution_with_callback(arg: StartWithCallbackArg): WorkflowResult<ExecutionWire> {
        const valid = parseWith(StartWithCallbackSchema, arg);
        if ('Err' in valid) return valid;
        const caller = runtime.caller();
        const completionCallback = { canister: caller.toText(), method: arg.callback_method };
        const r = startNew({ workflowId: arg.workflow_id, caller, trigger: triggerForCaller(caller), input: fromOpt(arg.input) ?? 'null', completionCallback }, runtime.now());
        return 'Err' in r ? r : { Ok: encodeExecution(r.Ok) };
    }

    /**
     * Cancels an unfinished execution: its pending nodes are cancelled and the executor drops
     * attempts not yet started (an attempt already calling its target finishes; its result is ignored).
     * Call context: update; owner only. Errors: NotFound, Unauthorized, Conflict (already finished).
     */
    @method(OrchestratorMethods.cancel_execution)
    cancel_execution(arg: { execution_id: string }): WorkflowResult<ExecutionWire> {
        const s = ownedExecution(arg);
        if ('Err' in s) return s;
        const now = runtime.now();
        // A finished execution's version may have been pruned: refuse before compiling it.
        if (isTerminalExecution(s.Ok.execution.status)) return err(transitionConflict({ kind: 'IllegalExecutionTransition', from: s.Ok.execution.status, to: 'Cancelled' }));
        const wf = compiledFor(s.Ok.execution.workflowId, s.Ok.execution.workflowVersion);
        const r = cancelExecution(wf, s.Ok.execution, now);
        if ('Err' in r) return err(transitionConflict(r.Err));
        commit(s.Ok, r.Ok, now, wf);
        return { Ok: encodeExecution(r.Ok.state) };
    }

    /**
     * One execution with its per-node state.
     * Call context: query; owner only. Errors: NotFound, Unauthorized, InvalidInput.
     */
    @method(OrchestratorMethods.get_execution)
    get_execution(arg: { execution_id: string }): WorkflowResult<ExecutionWire> {
        const s = ownedExecution(arg);
        return 'Err' in s ? s : { Ok: encodeExecution(s.Ok.execution) };
    }

    /**
     * The caller's executions in creation order (oldest first, or newest first with
     * `order = NewestFirst`), filtered by workflow and status (ANDed); a page holds at most
     * `MAX_PAGE_SIZE` items and `next_cursor` continues it in the same order.
     * Call context: query; anyone (sees only executions of own workflows). Errors: InvalidInput
     * (cursor too long; a limit above the cap is served as the cap).
     */
    @method(OrchestratorMethods.list_executions)
    list_executions(arg: ListExecutionsArg): WorkflowResult<{ items: ExecutionSummary[]; next_cursor: [] | [string] }> {
        const valid = parseWith(ListSchema, arg);
        if ('Err' in valid) return valid;
        const owner = runtime.caller().toText();
        const workflowId = fromOpt(arg.workflow_id);
        const statusWire = fromOpt(arg.status);
        const status = statusWire === undefined ? undefined : decodeExecutionStatus(statusWire);
        const limit = pageLimit(arg.page.limit);
        const keep = (s: StoredExecutionSummary): boolean => status === undefined || s.status === status;
        const order = fromOpt(arg.order);
        const page = executionSummaryPage({ owner, workflowId }, order !== undefined && 'NewestFirst' in order ? 'NewestFirst' : 'OldestFirst', fromOpt(arg.page.cursor), limit, keep);
        const items = page.items.map(
            ([id, s]): ExecutionSummary => ({
                id,
                workflow_id: s.workflowId,
                workflow_version: s.workflowVersion,
                trigger: encodeTrigger(s.trigger),
                status: encodeExecutionStatus(s.status),
                created_at: s.createdAt,
                finished_at: s.finishedAt === undefined ? [] : [s.finishedAt]
            })
        );
        return { Ok: { items, next_cursor: page.next_cursor === undefined ? [] : [page.next_cursor] } };
    }
}
