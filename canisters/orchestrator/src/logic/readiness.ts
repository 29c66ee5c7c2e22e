import { parseJson, type Dependency, type NodeState, type WorkflowNode } from '../../../../shared/workflow';
import { assertNever } from '../../../../shared/common/result';

/**
 * How a finished (or unfinished) node looks to its dependents:
 * - `Done` with the output dependents read (a node that failed and continued through a
 *   fallback is `Done` with the fallback's value, `null`, or its alternative's output);
 * - `NotTaken`: it was skipped, so edges from it are not taken;
 * - `Unresolved`: not finished yet (or waiting for its alternative);
 * - `Halted`: cancelled, or failed for good (the execution is stopping).
 */
export type Resolution = { kind: 'Done'; output: string } | { kind: 'NotTaken' } | { kind: 'Unresolved' } | { kind: 'Halted' };

export function resolutionOf(s: NodeState): Resolution {
    switch (s.status) {
        case 'Succeeded':
            return s.output === undefined ? { kind: 'Unresolved' } : { kind: 'Done', output: s.output };
        case 'Skipped':
            return { kind: 'NotTaken' };
        case 'Failed':
            if (s.fallbackTaken === undefined || s.fallbackTaken === 'StopExecution') return { kind: 'Halted' };
            // Continuing fallbacks set `output`; UseAlternativeNode sets it when the alternative resolves.
            return s.output === undefined ? { kind: 'Unresolved' } : { kind: 'Done', output: s.output };
        case 'Cancelled':
            return { kind: 'Halted' };
        case 'Standby':
        case 'Pending':
        case 'Running':
        case 'WaitingRetry':
            return { kind: 'Unresolved' };
        default:
            return assertNever(s.status, 'node status');
    }
}

/** Whether an edge is taken given its source's resolution; `undefined` while unresolved. */
export function edgeTaken(d: Dependency, source: Resolution): boolean | undefined {
    switch (source.kind) {
        case 'Unresolved':
        case 'Halted':
            return undefined;
        case 'NotTaken':
            return false;
        case 'Done': {
            if (d.when === 'Always') return true;
            // A condition's output is JSON `true`/`false`; anything else (a fallback's null) is false.
            const p = parseJson(source.output);
            const isTrue = p.ok && p.value === true;
            return d.when === 'IfTrue' ? isTrue : !isTrue;
        }
        default:
            return assertNever(source, 'resolution');
    }
}

/** What to do with a pending node now. */
export type Readiness = 'Run' | 'Skip' | 'Wait';

/**
 * A pending node runs when all its incoming edges are decided and they satisfy its join:
 * `All` needs every edge taken (else the node is skipped, which is how a condition's false
 * branch skips its exclusive dependents), `Any` needs one (a join after a branch).
 */
export function readinessOf(node: WorkflowNode, state: (id: string) => NodeState | undefined): Readiness {
    const taken: boolean[] = [];
    for (const d of node.dependsOn) {
        const s = state(d.nodeId);
        const t = s === undefined ? undefined : edgeTaken(d, resolutionOf(s));
        if (t === undefined) return 'Wait';
        taken.push(t);
    }
    if (taken.length === 0) return 'Run';
    const run = node.join === 'All' ? taken.every((t) => t) : taken.some((t) => t);
    return run ? 'Run' : 'Skip';
}

/**
 * Next runnable nodes: walks `order` (topological) once, skipping as it goes so skips
 * cascade to later nodes within the same pass. Only `Pending` nodes are considered
 * (`Standby` alternatives become `Pending` when activated).
 *
 * @example
 * const { run, skip } = nextRunnable(nodes, order, (id) => states.get(id));
 */
export function nextRunnable(nodes: ReadonlyMap<string, WorkflowNode>, order: readonly string[], state: (id: string) => NodeState | undefined): { run: string[]; skip: string[] } {
    const skipped = new Set<string>();
    const view = (id: string): NodeState | undefined => {
        const s = state(id);
        return s !== undefined && skipped.has(id) ? { ...s, status: 'Skipped' } : s;
    };
    const run: string[] = [];
    for (const id of order) {
        const s = state(id);
        const n = nodes.get(id);
        if (s === undefined || n === undefined || s.status !== 'Pending') continue;
        const r = readinessOf(n, view);
        if (r === 'Run') run.push(id);
        else if (r === 'Skip') skipped.add(id);
    }
    return { run, skip: [...skipped] };
}
