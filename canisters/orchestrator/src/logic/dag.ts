import { WORKFLOW_LIMITS, workflowError, type Operand, type WorkflowDefinition, type WorkflowError, type WorkflowNode } from '../../../../shared/workflow';
import { assertNever, type Result, err } from '../../../../shared/common/result';

/**
 * Why a definition's graph is invalid. Each member is one rule, with the ids a user needs to
 * fix it; {@link dagErrorToApiError} maps them to the Candid error variant.
 */
export type DagError =
    | { kind: 'TooManyNodes'; count: number; max: number }
    | { kind: 'DuplicateNodeId'; nodeId: string }
    | { kind: 'UnknownNode'; nodeId: string; referencedBy: string }
    | { kind: 'Cycle'; path: string[] }
    | { kind: 'DuplicateDependency'; nodeId: string; dependency: string }
    | { kind: 'BranchFromNonCondition'; nodeId: string; dependency: string }
    | { kind: 'AlternativeIsSelf'; nodeId: string }
    | { kind: 'AlternativeShared'; alternative: string; usedBy: [string, string] }
    | { kind: 'DependsOnStandby'; nodeId: string; standby: string }
    | { kind: 'OperandNotAncestor'; nodeId: string; reads: string };

/** What validation learns about a valid graph, reused by the execution logic. */
export type DagIndex = {
    /** Node ids in a topological order (dependencies first), definition order among equals. */
    order: string[];
    /** Nodes that run only as some node's alternative. */
    standby: ReadonlySet<string>;
};

/** Every operand of a node: its templates, clauses, fields, input and failure condition. */
export function nodeOperands(n: WorkflowNode): Operand[] {
    const c = n.config;
    const clauses = (k: { left: Operand; right?: Operand }): Operand[] => (k.right === undefined ? [k.left] : [k.left, k.right]);
    switch (c.kind) {
        case 'Call': {
            const args = c.args.kind === 'Template' ? c.args.values : [];
            return c.failure?.kind === 'Condition' ? [...args, ...c.failure.clauses.flatMap(clauses)] : args;
        }
        case 'Condition':
            return c.clauses.flatMap(clauses);
        case 'Transform':
            return c.fields.map((f) => f.value);
        case 'StartWorkflow':
            return c.input === undefined ? [] : [c.input];
        case 'Delay':
        case 'Notify':
            return [];
        default:
            return assertNever(c, 'node config');
    }
}

/**
 * Every node whose output `n` reads at run time. A call's failure condition reads the call's
 * own reply as `Node` operands naming the call itself: that is not a read of an earlier output.
 */
export function nodeReads(n: WorkflowNode): string[] {
    return nodeOperands(n).flatMap((o) => (o.kind === 'Node' && o.nodeId !== n.id ? [o.nodeId] : []));
}

/** Every node whose error `n` reads (`Error` operands). */
export function nodeErrorReads(n: WorkflowNode): string[] {
    return nodeOperands(n).flatMap((o) => (o.kind === 'Error' ? [o.nodeId] : []));
}

/** Whether `n` reads its own output outside a failure condition (where it means the reply). */
function readsOwnOutput(n: WorkflowNode): boolean {
    const c = n.config;
    const outsideFailureRule = c.kind === 'Call' ? (c.args.kind === 'Template' ? c.args.values : []) : nodeOperands(n);
    return outsideFailureRule.some((o) => o.kind === 'Node' && o.nodeId === n.id);
}

/**
 * Checks the graph rules of a definition that already passed `WorkflowDefinitionSchema`.
 * Rules are checked in a fixed order and the first broken one is returned, so the same
 * definition always gets the same error.
 *
 * Edges: a node depends on its `dependsOn`; a node whose fallback is `UseAlternativeNode`
 * also depends on that alternative (its result is the alternative's), so a loop through an
 * alternative is a cycle too.
 *
 * @example
 * const r = validateDag(def);
 * if ('Err' in r) return err(dagErrorToApiError(r.Err));
 * const { order, standby } = r.Ok;
 */
export function validateDag(def: WorkflowDefinition): Result<DagIndex, DagError> {
    const fail = (e: DagError): { Err: DagError } => err(e);
    if (def.nodes.length > WORKFLOW_LIMITS.maxNodes) return fail({ kind: 'TooManyNodes', count: def.nodes.length, max: WORKFLOW_LIMITS.maxNodes });

    const byId = new Map<string, WorkflowNode>();
    for (const n of def.nodes) {
        if (byId.has(n.id)) return fail({ kind: 'DuplicateNodeId', nodeId: n.id });
        byId.set(n.id, n);
    }

    const standbyOwner = new Map<string, string>();
    for (const n of def.nodes) {
        const seen = new Set<string>();
        for (const d of n.dependsOn) {
            const dep = byId.get(d.nodeId);
            if (dep === undefined) return fail({ kind: 'UnknownNode', nodeId: d.nodeId, referencedBy: n.id });
            if (seen.has(d.nodeId)) return fail({ kind: 'DuplicateDependency', nodeId: n.id, dependency: d.nodeId });
            seen.add(d.nodeId);
            if (d.when !== 'Always' && dep.config.kind !== 'Condition') return fail({ kind: 'BranchFromNonCondition', nodeId: n.id, dependency: d.nodeId });
        }
        for (const r of [...nodeReads(n), ...nodeErrorReads(n)]) if (!byId.has(r)) return fail({ kind: 'UnknownNode', nodeId: r, referencedBy: n.id });
        if (readsOwnOutput(n)) return fail({ kind: 'OperandNotAncestor', nodeId: n.id, reads: n.id });
        const fb = n.recovery.fallback;
        if (fb.kind === 'UseAlternativeNode') {
            if (!byId.has(fb.nodeId)) return fail({ kind: 'UnknownNode', nodeId: fb.nodeId, referencedBy: n.id });
            if (fb.nodeId === n.id) return fail({ kind: 'AlternativeIsSelf', nodeId: n.id });
            const other = standbyOwner.get(fb.nodeId);
            if (other !== undefined) return fail({ kind: 'AlternativeShared', alternative: fb.nodeId, usedBy: [other, n.id] });
            standbyOwner.set(fb.nodeId, n.id);
        }
    }

    // Edges for ordering: dependencies plus "my result waits for my alternative".
    const edges = new Map<string, string[]>();
    for (const n of def.nodes) {
        const out = n.dependsOn.map((d) => d.nodeId);
        if (n.recovery.fallback.kind === 'UseAlternativeNode') out.push(n.recovery.fallback.nodeId);
        edges.set(n.id, out);
    }
    const cycle = findCycle(def.nodes.map((n) => n.id), edges);
    if (cycle !== undefined) return fail({ kind: 'Cycle', path: cycle });

    // Nobody may wait for, or read, a standby node: it may never run. Read its owner instead.
    for (const n of def.nodes) {
        for (const d of n.dependsOn) if (standbyOwner.has(d.nodeId)) return fail({ kind: 'DependsOnStandby', nodeId: n.id, standby: d.nodeId });
    }

    // A node may read only outputs guaranteed to exist before it runs: its ancestors.
    const ancestors = ancestorSets(def.nodes, byId);
    for (const n of def.nodes) {
        for (const r of nodeReads(n)) {
            if (standbyOwner.has(r)) return fail({ kind: 'DependsOnStandby', nodeId: n.id, standby: r });
            if (!(ancestors.get(n.id) ?? new Set()).has(r)) return fail({ kind: 'OperandNotAncestor', nodeId: n.id, reads: r });
        }
        // An error is read by the failed node's alternative (its catch branch) or by a node after it.
        for (const r of nodeErrorReads(n)) {
            if (standbyOwner.get(n.id) !== r && !(ancestors.get(n.id) ?? new Set()).has(r)) return fail({ kind: 'OperandNotAncestor', nodeId: n.id, reads: r });
        }
    }

    return { Ok: { order: topoOrder(def.nodes.map((n) => n.id), edges), standby: new Set(standbyOwner.keys()) } };
}

/** Depth-first search; the first cycle found as a closed path `[a, b, ..., a]`. */
function findCycle(ids: string[], edges: Map<string, string[]>): string[] | undefined {
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    // Iterative DFS: 100 nodes would be fine recursively, but QuickJS stacks are small.
    for (const root of ids) {
        if (state.has(root)) continue;
        const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
        state.set(root, 'visiting');
        stack.push(root);
        while (work.length > 0) {
            const top = work[work.length - 1];
            const outs = edges.get(top.id) ?? [];
            if (top.next < outs.length) {
                const to = outs[top.next++];
                const s = state.get(to);
                if (s === 'visiting') return [...stack.slice(stack.indexOf(to)), to];
                if (s === undefined) {
                    state.set(to, 'visiting');
                    stack.push(to);
                    work.push({ id: to, next: 0 });
                }
            } else {
                state.set(top.id, 'done');
                stack.pop();
                work.pop();
            }
        }
    }
    return undefined;
}

/** Kahn's algorithm, stable on definition order. Requires an acyclic graph. */
function topoOrder(ids: string[], edges: Map<string, string[]>): string[] {
    const placed = new Set<string>();
    const order: string[] = [];
    while (order.length < ids.length) {
        const before = order.length;
        for (const id of ids) {
            if (placed.has(id)) continue;
            if ((edges.get(id) ?? []).every((d) => placed.has(d))) {
                placed.add(id);
                order.push(id);
            }
        }
        if (order.length === before) throw new Error('topoOrder: graph has a cycle'); // validateDag rules this out
    }
    return order;
}

function ancestorSets(nodes: WorkflowNode[], byId: Map<string, WorkflowNode>): Map<string, Set<string>> {
    const memo = new Map<string, Set<string>>();
    const visit = (id: string): Set<string> => {
        const known = memo.get(id);
        if (known !== undefined) return known;
        const set = new Set<string>();
        memo.set(id, set);
        for (const d of byId.get(id)?.dependsOn ?? []) {
            set.add(d.nodeId);
            for (const a of visit(d.nodeId)) set.add(a);
        }
        return set;
    };
    for (const n of nodes) visit(n.id);
    return memo;
}

/**
 * The Candid error for a graph error: `CycleDetected` and `UnknownNode` carry their data, the
 * other rules are `InvalidInput` with the offending field (`nodes.<id>.dependsOn`, ...).
 */
export function dagErrorToApiError(e: DagError): WorkflowError {
    switch (e.kind) {
        case 'TooManyNodes':
            return workflowError.limitExceeded('nodes', BigInt(e.max));
        case 'DuplicateNodeId':
            return workflowError.invalidInput(`nodes.${e.nodeId}.id`, `duplicate node id '${e.nodeId}'`);
        case 'UnknownNode':
            return workflowError.unknownNode(e.nodeId, e.referencedBy);
        case 'Cycle':
            return workflowError.cycleDetected(e.path);
        case 'DuplicateDependency':
            return workflowError.invalidInput(`nodes.${e.nodeId}.dependsOn`, `'${e.dependency}' listed twice`);
        case 'BranchFromNonCondition':
            return workflowError.invalidInput(`nodes.${e.nodeId}.dependsOn`, `IfTrue/IfFalse edge from '${e.dependency}', which is not a condition`);
        case 'AlternativeIsSelf':
            return workflowError.invalidInput(`nodes.${e.nodeId}.recovery.fallback`, 'a node cannot be its own alternative');
        case 'AlternativeShared':
            return workflowError.invalidInput(`nodes.${e.usedBy[1]}.recovery.fallback`, `'${e.alternative}' is already the alternative of '${e.usedBy[0]}'`);
        case 'DependsOnStandby':
            return workflowError.invalidInput(`nodes.${e.nodeId}`, `'${e.standby}' is an alternative node and may never run; depend on the node it replaces`);
        case 'OperandNotAncestor':
            return workflowError.invalidInput(`nodes.${e.nodeId}.config`, `reads '${e.reads}', which is not one of its dependencies (direct or indirect)`);
        default:
            return assertNever(e, 'DAG error');
    }
}
