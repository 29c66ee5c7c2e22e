import { getPath, parseJson, type CompareOp, type Comparison, type ConditionConfig, type JsonValue, type Operand, type TransformConfig } from '../../../../shared/workflow';
import { assertNever } from '../../../../shared/common/result';

/** What operands can read: the execution input, the outputs recorded so far, and final errors. */
export type EvalContext = {
    input: JsonValue;
    /** Parsed output of a node, `undefined` if it has none (skipped, not run). */
    output(nodeId: string): JsonValue | undefined;
    /** A node's final error as `nodeErrorJson` gives it, `undefined` if it did not fail for good. */
    error(nodeId: string): JsonValue | undefined;
};

/** Why evaluation failed: a deterministic `Evaluation` node error, never retried. */
export type EvalError =
    | { kind: 'Missing'; what: string }
    | { kind: 'TypeMismatch'; op: CompareOp; left: string; right: string }
    | { kind: 'BadConstant'; message: string };

export type Evaluated<T> = { ok: true; value: T } | { ok: false; error: EvalError };

/** Human text of an {@link EvalError}, for the node's error message. */
export function describeEvalError(e: EvalError): string {
    switch (e.kind) {
        case 'Missing':
            return `${e.what} has no value`;
        case 'TypeMismatch':
            return `cannot apply ${e.op} to ${e.left} and ${e.right}`;
        case 'BadConstant':
            return `invalid JSON constant: ${e.message}`;
        default:
            return assertNever(e, 'eval error');
    }
}

/** Resolves an operand; a path that leads nowhere is `found: false`, not an error. */
export function resolveOperand(o: Operand, ctx: EvalContext): Evaluated<{ found: true; value: JsonValue } | { found: false; what: string }> {
    switch (o.kind) {
        case 'Const': {
            const p = parseJson(o.json);
            return p.ok ? { ok: true, value: { found: true, value: p.value } } : { ok: false, error: { kind: 'BadConstant', message: p.message } };
        }
        case 'Input': {
            const r = getPath(ctx.input, o.path);
            return { ok: true, value: r.found ? r : { found: false, what: `input.${o.path}` } };
        }
        case 'Node':
            return { ok: true, value: readPath(ctx.output(o.nodeId), o.path, `${o.nodeId}.${o.path}`) };
        case 'Error':
            return { ok: true, value: readPath(ctx.error(o.nodeId), o.path, `${o.nodeId}.error.${o.path}`) };
        default:
            return assertNever(o, 'operand');
    }
}

function readPath(root: JsonValue | undefined, path: string, what: string): { found: true; value: JsonValue } | { found: false; what: string } {
    if (root === undefined) return { found: false, what };
    const r = getPath(root, path);
    return r.found ? r : { found: false, what };
}

type Numeric = { kind: 'int'; v: bigint } | { kind: 'float'; v: number };

/** Numbers, and strings holding integers (large Candid nats arrive as decimal strings). */
function numeric(j: JsonValue): Numeric | undefined {
    if (typeof j === 'number') return Number.isSafeInteger(j) ? { kind: 'int', v: BigInt(j) } : { kind: 'float', v: j };
    if (typeof j === 'string' && /^-?\d+$/.test(j)) return { kind: 'int', v: BigInt(j) };
    return undefined;
}

function cmpNumeric(a: Numeric, b: Numeric): number {
    if (a.kind === 'int' && b.kind === 'int') return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
    const x = Number(a.v);
    const y = Number(b.v);
    return x < y ? -1 : x > y ? 1 : 0;
}

function typeName(j: JsonValue): string {
    return j === null ? 'null' : Array.isArray(j) ? 'array' : typeof j;
}

/** Structural JSON equality (numbers by numeric value, so `"100"` equals `100`). */
export function jsonEquals(a: JsonValue, b: JsonValue): boolean {
    const na = numeric(a);
    const nb = numeric(b);
    if (na !== undefined && nb !== undefined) return cmpNumeric(na, nb) === 0;
    if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
    if (Array.isArray(a) || Array.isArray(b)) {
        return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEquals(x, b[i]));
    }
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEquals(a[k], b[k]));
}

/**
 * `left op right`. Order comparisons accept two numerics (exact for integers of any size)
 * or two strings (code-unit order); anything else is a `TypeMismatch`, so a condition over
 * the wrong field fails loudly instead of silently choosing a branch.
 */
export function compareJson(op: Exclude<CompareOp, 'Exists'>, left: JsonValue, right: JsonValue): Evaluated<boolean> {
    if (op === 'Eq') return { ok: true, value: jsonEquals(left, right) };
    if (op === 'Ne') return { ok: true, value: !jsonEquals(left, right) };
    const nl = numeric(left);
    const nr = numeric(right);
    let c: number;
    if (nl !== undefined && nr !== undefined) c = cmpNumeric(nl, nr);
    else if (typeof left === 'string' && typeof right === 'string') c = left < right ? -1 : left > right ? 1 : 0;
    else return { ok: false, error: { kind: 'TypeMismatch', op, left: typeName(left), right: typeName(right) } };
    switch (op) {
        case 'Lt':
            return { ok: true, value: c < 0 };
        case 'Le':
            return { ok: true, value: c <= 0 };
        case 'Gt':
            return { ok: true, value: c > 0 };
        case 'Ge':
            return { ok: true, value: c >= 0 };
        default:
            return assertNever(op, 'compare op');
    }
}

/** One clause. `Exists` is true when `left` resolves (to anything, `null` included). */
export function evaluateComparison(c: Comparison, ctx: EvalContext): Evaluated<boolean> {
    const l = resolveOperand(c.left, ctx);
    if (!l.ok) return l;
    if (c.op === 'Exists') return { ok: true, value: l.value.found };
    if (!l.value.found) return { ok: false, error: { kind: 'Missing', what: l.value.what } };
    if (c.right === undefined) return { ok: false, error: { kind: 'Missing', what: 'right operand' } };
    const r = resolveOperand(c.right, ctx);
    if (!r.ok) return r;
    if (!r.value.found) return { ok: false, error: { kind: 'Missing', what: r.value.what } };
    return compareJson(c.op, l.value.value, r.value.value);
}

/**
 * A condition node: all (or any) clauses, evaluated in order; `Any` stops at the first true,
 * `All` at the first false, so later clauses may guard on earlier ones.
 *
 * @example
 * evaluateCondition({ mode: 'All', clauses: [{ left: { kind: 'Node', nodeId: 'price', path: 'e8s' }, op: 'Lt', right: { kind: 'Const', json: '100' } }] }, ctx);
 */
export function evaluateCondition(config: ConditionConfig, ctx: EvalContext): Evaluated<boolean> {
    for (const clause of config.clauses) {
        const r = evaluateComparison(clause, ctx);
        if (!r.ok) return r;
        if (config.mode === 'Any' && r.value) return { ok: true, value: true };
        if (config.mode === 'All' && !r.value) return { ok: true, value: false };
    }
    return { ok: true, value: config.mode === 'All' };
}

/**
 * A transform node: the object `{ key: value }`. A path that leads nowhere gives `null` (a
 * transform after an optional branch should not fail); a bad constant is an error.
 */
export function evaluateTransform(config: TransformConfig, ctx: EvalContext): Evaluated<JsonValue> {
    const out: { [k: string]: JsonValue } = {};
    for (const f of config.fields) {
        const r = resolveOperand(f.value, ctx);
        if (!r.ok) return r;
        out[f.key] = r.value.found ? r.value.value : null;
    }
    return { ok: true, value: out };
}

/** Resolves operands to values for a call template or a workflow input; missing is an error. */
export function resolveAll(operands: Operand[], ctx: EvalContext): Evaluated<JsonValue[]> {
    const out: JsonValue[] = [];
    for (const o of operands) {
        const r = resolveOperand(o, ctx);
        if (!r.ok) return r;
        if (!r.value.found) return { ok: false, error: { kind: 'Missing', what: r.value.what } };
        out.push(r.value.value);
    }
    return { ok: true, value: out };
}
