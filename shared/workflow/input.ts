/**
 * The input a workflow declares by reading it: every `Input` operand of its nodes names a path
 * the execution input must have (except the left side of an `Exists` clause, which asks whether
 * it is there). Schedules check the input they carry against these paths when they are created
 * and whenever the workflow changes, so a scheduled run never fails for an input it lacks.
 */
import type { WorkflowDefinition } from './definition';
import { getPath, parseJson } from './json';
import type { NodeConfig, Operand } from './node';

function inputPathOf(o: Operand | undefined): string[] {
    return o !== undefined && o.kind === 'Input' ? [o.path] : [];
}

function requiredByNode(c: NodeConfig): string[] {
    switch (c.kind) {
        case 'Call':
            return c.args.kind === 'Template' ? c.args.values.flatMap(inputPathOf) : [];
        case 'Condition':
            return c.clauses.flatMap((k) => (k.op === 'Exists' ? [] : [...inputPathOf(k.left), ...inputPathOf(k.right)]));
        case 'Transform':
            return c.fields.flatMap((f) => inputPathOf(f.value));
        case 'StartWorkflow':
            return inputPathOf(c.input);
        case 'Delay':
        case 'Notify':
            return [];
    }
}

/**
 * The input paths a definition reads unconditionally, sorted and without duplicates.
 *
 * @example
 * requiredInputPaths(liquidation) // ['repay', 'threshold_e8s']
 */
export function requiredInputPaths(def: WorkflowDefinition): string[] {
    // A LiquidatePosition action reads the input too: a scheduled run must carry the position it would close.
    const byActions = def.nodes.flatMap((n) => n.recovery.emergencyActions.flatMap((a) => (a.kind === 'LiquidatePosition' ? a.args.flatMap((v) => (v.kind === 'Input' ? [v.path] : [])) : [])));
    return [...new Set([...def.nodes.flatMap((n) => requiredByNode(n.config)), ...byActions])].sort();
}

/** Why an input does not satisfy a workflow: the field (`input` or `input.<path>`) and a reason. */
export type InputMismatch = { field: string; message: string };

/**
 * Checks JSON input text against the paths a workflow requires; `undefined` when it satisfies them.
 *
 * @example
 * checkInputAgainst(['threshold_e8s'], '{}') // { field: 'input.threshold_e8s', message: 'required by the workflow' }
 */
export function checkInputAgainst(required: readonly string[], inputText: string): InputMismatch | undefined {
    const parsed = parseJson(inputText);
    if (!parsed.ok) return { field: 'input', message: `not JSON: ${parsed.message}` };
    const missing = required.find((path) => !getPath(parsed.value, path).found);
    return missing === undefined ? undefined : { field: `input.${missing}`, message: 'required by the workflow' };
}
