import { Principal } from '@dfinity/principal';
import { z } from 'zod';
import { WORKFLOW_LIMITS } from './limits';
import { NodeSchema, NodeWire, PrincipalTextSchema, decodeNode, encodeNode } from './node';
import { fromOpt, toOpt, c, type Infer } from '../common/codec';

// ---- definition: what a user submits to create_workflow / update_workflow ----

export const WorkflowDefinitionWire = c.record({
    name: c.text,
    description: c.text,
    nodes: c.vec(NodeWire),
    timeout_ms: c.opt(c.nat64),
    /** Critical workflows still start in safe mode; absent means false. */
    critical: c.opt(c.bool)
});
export type WorkflowDefinitionWire = Infer<typeof WorkflowDefinitionWire>;

/**
 * The user-authored part of a workflow. The schema checks shapes and bounds; graph rules
 * (cycles, references) are checked by the orchestrator's `validateDag`, which needs the
 * whole node list.
 *
 * @example
 * const r = WorkflowDefinitionSchema.safeParse(decodeWorkflowDefinition(arg));
 * if (!r.success) return err(zodIssueToApiError(r.error.issues[0]));
 */
export const WorkflowDefinitionSchema = z.object({
    name: z.string().trim().min(1).max(WORKFLOW_LIMITS.maxNameChars),
    description: z.string().max(WORKFLOW_LIMITS.maxDescriptionChars),
    nodes: z.array(NodeSchema).min(1).max(WORKFLOW_LIMITS.maxNodes),
    timeoutMs: z.number().int().min(1).max(WORKFLOW_LIMITS.maxExecutionTimeoutMs).optional(),
    /** Only critical workflows start while the system is in safe mode. */
    critical: z.boolean().optional()
});
export type WorkflowDefinition = z.infer<typeof WorkflowDefinitionSchema>;

export function encodeWorkflowDefinition(d: WorkflowDefinition): WorkflowDefinitionWire {
    return {
        name: d.name,
        description: d.description,
        nodes: d.nodes.map(encodeNode),
        timeout_ms: toOpt(d.timeoutMs === undefined ? undefined : BigInt(d.timeoutMs)),
        critical: toOpt(d.critical)
    };
}

/** Total (never throws); validate the result with {@link WorkflowDefinitionSchema}. */
export function decodeWorkflowDefinition(v: WorkflowDefinitionWire): WorkflowDefinition {
    const timeout = fromOpt(v.timeout_ms);
    return { name: v.name, description: v.description, nodes: v.nodes.map(decodeNode), timeoutMs: timeout === undefined ? undefined : Number(timeout), critical: fromOpt(v.critical) };
}

// ---- workflow: a stored definition version with its metadata ----

export const WorkflowStatus = { Active: 'Active', Paused: 'Paused' } as const;
export type WorkflowStatus = (typeof WorkflowStatus)[keyof typeof WorkflowStatus];
export const WorkflowStatusWire = c.variant({ Active: c.null, Paused: c.null });

export const WorkflowWire = c.record({
    id: c.text,
    owner: c.principal,
    version: c.nat32,
    status: WorkflowStatusWire,
    definition: WorkflowDefinitionWire,
    created_at: c.nat64,
    updated_at: c.nat64
});
export type WorkflowWire = Infer<typeof WorkflowWire>;

/** A workflow as the orchestrator keeps and returns it. Times are IC nanoseconds. */
export const WorkflowSchema = z.object({
    id: z.string().min(1).max(WORKFLOW_LIMITS.maxNodeIdChars),
    owner: PrincipalTextSchema,
    version: z.number().int().min(1),
    status: z.enum(['Active', 'Paused']),
    definition: WorkflowDefinitionSchema,
    createdAt: z.bigint().min(0n),
    updatedAt: z.bigint().min(0n)
});
export type Workflow = z.infer<typeof WorkflowSchema>;

export function encodeWorkflow(x: Workflow): WorkflowWire {
    return {
        id: x.id,
        owner: Principal.fromText(x.owner),
        version: x.version,
        status: x.status === 'Active' ? { Active: null } : { Paused: null },
        definition: encodeWorkflowDefinition(x.definition),
        created_at: x.createdAt,
        updated_at: x.updatedAt
    };
}

export function decodeWorkflow(v: WorkflowWire): Workflow {
    return {
        id: v.id,
        owner: v.owner.toText(),
        version: v.version,
        status: 'Active' in v.status ? 'Active' : 'Paused',
        definition: decodeWorkflowDefinition(v.definition),
        createdAt: v.created_at,
        updatedAt: v.updated_at
    };
}
