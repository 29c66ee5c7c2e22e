/**
 * Workflow methods: create, update (new version), get, list, pause, resume, delete.
 * Every method validates its argument and answers `Result<T, WorkflowError>`; none traps on
 * bad input.
 */
import { Principal } from 'azle';
import { z } from 'zod';

import {
    OrchestratorMethods,
    WORKFLOW_LIMITS,
    WorkflowDefinitionSchema,
    decodeWorkflowDefinition,
    encodeWorkflow,
    fromOpt,
    workflowError,
    type GetWorkflowArg,
    type PageRequest,
    type UpdateWorkflowArg,
    type WorkflowDefinition,
    type WorkflowDefinitionWire,
    type WorkflowSummary,
    type WorkflowWire,
    versionsToPrune,
    type WorkflowResult
} from '../../../shared/workflow';
import { method } from '../../common/method';
import { requestAgent } from './agents';
import { callRefusalOf } from './call-policy';
import { reconcileExecution } from './engine';
import { limitsOf } from './owner-state';
import { countFor, quotaExceeded } from './quotas';
import { notFound } from './errors';
import { deletedTarget, notifyWorkflowChanged, targetOf } from './schedule-targets';
import { parseWith } from '../../../shared/common/codec';
import { requireOwner, requireSignedIn } from './guards';
import { compileWorkflow, dagErrorToApiError } from './logic';
import {
    activeExecutionsOf,
    deleteWorkflow,
    deleteWorkflowVersion,
    getExecution,
    getWorkflow,
    getWorkflowVersion,
    hasActiveExecutionOf,
    nextWorkflowId,
    putWorkflow,
    putWorkflowVersion,
    toWorkflow,
    workflowsOf,
    type StoredWorkflow
} from './state';
import * as runtime from './runtime';
import { err } from '../../../shared/common/result';
import { pageLimit } from '../../../shared/common/page';

const WorkflowIdSchema = z.object({ workflow_id: z.string().min(1).max(WORKFLOW_LIMITS.maxNodeIdChars) });

/** Page requests: the cursor is an id; see {@link pageLimit} for the limit. */
export const PageSchema = z.object({
    cursor: z.union([z.tuple([]), z.tuple([z.string().max(WORKFLOW_LIMITS.maxNodeIdChars)])]),
    limit: z.number().int().min(0)
});

/** Schema shape check, the graph rules, then the owner's call policy: the definition is stored only if all pass. */
function validDefinition(wire: WorkflowDefinitionWire, owner: Principal): WorkflowResult<WorkflowDefinition> {
    const def = parseWith(WorkflowDefinitionSchema, decodeWorkflowDefinition(wire));
    if ('Err' in def) return def;
    const compiled = compileWorkflow(def.Ok);
    if ('Err' in compiled) return err(dagErrorToApiError(compiled.Err));
    const refused = callRefusalOf(def.Ok, owner);
    return refused === undefined ? def : err(refused);
}

/** Loads a workflow the caller owns: NotFound, then Unauthorized. */
function ownedWorkflow(id: string): WorkflowResult<StoredWorkflow> {
    const w = getWorkflow(id);
    if (w === undefined) return err(notFound.workflow(id));
    const denied = requireOwner(runtime.caller(), w);
    return denied === undefined ? { Ok: w } : err(denied);
}

function reply(w: StoredWorkflow, version = w.latestVersion): WorkflowResult<WorkflowWire> {
    const v = getWorkflowVersion(w.id, version);
    if (v === undefined) return err(workflowError.notFound('workflow_version', `${w.id}@${version}`));
    return { Ok: encodeWorkflow(toWorkflow(w, version, v)) };
}

/**
 * Keeps at most the owner's `versionsPerWorkflow` newest versions of a workflow, plus older
 * ones an unfinished execution still runs (deleted by a later update once it finished).
 */
function pruneVersions(w: StoredWorkflow): void {
    const running = new Set<number>();
    forExecutionsOf(w.id, (id) => {
        const v = getExecution(id)?.execution.workflowVersion;
        if (v !== undefined) running.add(v);
    });
    for (const v of versionsToPrune(w.latestVersion, limitsOf(w.owner).versionsPerWorkflow, running, (x) => getWorkflowVersion(w.id, x) !== undefined)) deleteWorkflowVersion(w.id, v);
}

/** Applies `change` to running executions of one workflow. */
function forExecutionsOf(workflowId: string, change: (id: string) => void): void {
    for (const id of activeExecutionsOf(workflowId)) change(id);
}

export class WorkflowMethods {
    /**
     * Registers a workflow (version 1) owned by the caller.
     * Call context: update; any non-anonymous caller.
     * Errors: Unauthorized (anonymous), InvalidInput (field path), LimitExceeded (a definition
     * limit, or `workflows`: the owner's quota), CycleDetected, UnknownNode,
     * CallRefused (a call node targets a DeFlow canister, the management canister, a non-canister
     * principal, or a canister outside the owner's allow-list; see docs/security.md).
     */
    @method(OrchestratorMethods.create_workflow)
    create_workflow(definition: WorkflowDefinitionWire): WorkflowResult<WorkflowWire> {
        const denied = requireSignedIn(runtime.caller());
        if (denied !== undefined) return err(denied);
        const def = validDefinition(definition, runtime.caller());
        if ('Err' in def) return def;
        const full = quotaExceeded(runtime.caller().toText(), 'workflows');
        if (full !== undefined) return err(full);
        const now = runtime.now();
        const w: StoredWorkflow = { schema_version: 1, id: nextWorkflowId(), owner: runtime.caller().toText(), status: 'Active', latestVersion: 1, createdAt: now, updatedAt: now };
        putWorkflowVersion(w.id, 1, { schema_version: 1, definition: def.Ok, createdAt: now });
        putWorkflow(w);
        countFor(w.owner, 'workflows', 1);
        requestAgent(w.owner, now);
        runtime.wakeOutbox();
        return reply(w);
    }

    /**
     * Stores a new version; running executions keep the version they started with. Versions
     * beyond the owner's `versions_per_workflow` newest are deleted, oldest first, except those
     * an unfinished execution runs (`get_workflow` of a deleted version answers NotFound).
     * Call context: update; owner only.
     * Errors: NotFound, Unauthorized, Conflict (`expected_version` is not the latest), and the definition errors of create_workflow.
     */
    @method(OrchestratorMethods.update_workflow)
    update_workflow(arg: UpdateWorkflowArg): WorkflowResult<WorkflowWire> {
        const w = ownedWorkflow(arg.workflow_id);
        if ('Err' in w) return w;
        const expected = fromOpt(arg.expected_version);
        if (expected !== undefined && expected !== w.Ok.latestVersion) return err(workflowError.conflict(`latest version is ${w.Ok.latestVersion}, not ${expected}`));
        const def = validDefinition(arg.definition, runtime.caller());
        if ('Err' in def) return def;
        const now = runtime.now();
        const next: StoredWorkflow = { ...w.Ok, latestVersion: w.Ok.latestVersion + 1, updatedAt: now };
        putWorkflowVersion(next.id, next.latestVersion, { schema_version: 1, definition: def.Ok, createdAt: now });
        putWorkflow(next);
        pruneVersions(next);
        // Its schedules check their input against the new version's required paths.
        notifyWorkflowChanged(targetOf(next), now);
        return reply(next);
    }

    /**
     * The latest version, or the one asked for.
     * Call context: query; owner only. Errors: NotFound, Unauthorized, InvalidInput.
     */
    @method(OrchestratorMethods.get_workflow)
    get_workflow(arg: GetWorkflowArg): WorkflowResult<WorkflowWire> {
        const valid = parseWith(WorkflowIdSchema, arg);
        if ('Err' in valid) return valid;
        const w = ownedWorkflow(arg.workflow_id);
        if ('Err' in w) return w;
        return reply(w.Ok, fromOpt(arg.version) ?? w.Ok.latestVersion);
    }

    /**
     * The caller's workflows in id order; pass `next_cursor` back for the next page.
     * Call context: query; anyone (sees only own workflows). Errors: InvalidInput (cursor too long).
     */
    @method(OrchestratorMethods.list_workflows)
    list_workflows(page: PageRequest): WorkflowResult<{ items: WorkflowSummary[]; next_cursor: [] | [string] }> {
        const valid = parseWith(PageSchema, page);
        if ('Err' in valid) return valid;
        const limit = pageLimit(page.limit);
        const found = workflowsOf(runtime.caller().toText(), fromOpt(page.cursor), limit);
        const items = found.slice(0, limit).flatMap((w): WorkflowSummary[] => {
            const v = getWorkflowVersion(w.id, w.latestVersion);
            if (v === undefined) return [];
            return [{ id: w.id, name: v.definition.name, version: w.latestVersion, status: w.status === 'Active' ? { Active: null } : { Paused: null }, node_count: v.definition.nodes.length, updated_at: w.updatedAt }];
        });
        const last = items[items.length - 1];
        return { Ok: { items, next_cursor: found.length > limit && last !== undefined ? [last.id] : [] } };
    }

    /**
     * No new execution starts; running ones pause at their next node boundary; its schedules
     * are held (`WorkflowPaused`) until it resumes (notice through the outbox).
     * Call context: update; owner only. Errors: NotFound, Unauthorized, Conflict (already paused).
     */
    @method(OrchestratorMethods.pause_workflow)
    pause_workflow(arg: { workflow_id: string }): WorkflowResult<WorkflowWire> {
        return this.setStatus(arg, 'Paused');
    }

    /**
     * Executions may start again; the ones paused by `pause_workflow` resume, except during
     * emergency mode: they stay Paused (held by it) and resume when it is lifted.
     * Call context: update; owner only. Errors: NotFound, Unauthorized, Conflict (not paused).
     */
    @method(OrchestratorMethods.resume_workflow)
    resume_workflow(arg: { workflow_id: string }): WorkflowResult<WorkflowWire> {
        return this.setStatus(arg, 'Active');
    }

    /**
     * Deletes a workflow and its versions; finished executions stay until retention drops them.
     * Its schedules are told (outbox) and held as `WorkflowDeleted`.
     * Call context: update; owner only. Errors: NotFound, Unauthorized, Conflict (executions still running or paused).
     */
    @method(OrchestratorMethods.delete_workflow)
    delete_workflow(arg: { workflow_id: string }): WorkflowResult<null> {
        const valid = parseWith(WorkflowIdSchema, arg);
        if ('Err' in valid) return valid;
        const w = ownedWorkflow(arg.workflow_id);
        if ('Err' in w) return w;
        if (hasActiveExecutionOf(w.Ok.id)) return err(workflowError.conflict(`workflow ${w.Ok.id} has unfinished executions`));
        deleteWorkflow(w.Ok);
        countFor(w.Ok.owner, 'workflows', -1);
        const now = runtime.now();
        notifyWorkflowChanged(deletedTarget(w.Ok.id, now), now);
        return { Ok: null };
    }

    private setStatus(arg: { workflow_id: string }, status: 'Active' | 'Paused'): WorkflowResult<WorkflowWire> {
        const valid = parseWith(WorkflowIdSchema, arg);
        if ('Err' in valid) return valid;
        const w = ownedWorkflow(arg.workflow_id);
        if ('Err' in w) return w;
        if (w.Ok.status === status) return err(workflowError.conflict(`workflow ${w.Ok.id} is already ${status}`));
        const now = runtime.now();
        const next: StoredWorkflow = { ...w.Ok, status, updatedAt: now };
        putWorkflow(next);
        forExecutionsOf(next.id, (id) => reconcileExecution(id, now));
        notifyWorkflowChanged(targetOf(next), now);
        return reply(next);
    }
}
