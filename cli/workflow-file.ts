/**
 * Workflow files: a workflow definition in JSON (`.json`) or YAML (`.yaml`/`.yml`), in the
 * shape of the shared `WorkflowDefinitionSchema` (the canisters' own validator), with a few
 * conveniences a hand-written file needs (the canonical form is always accepted too):
 *
 * - a node's `dependsOn`, `join` and `recovery` may be left out (no dependencies, `All`, no
 *   retries and stop on failure); a dependency may be written as a plain node id (`"price"`);
 * - a call's `cycles` may be a number or a decimal string (default 0);
 * - raw call arguments (`args: { kind: Raw, bytes }`) are a hex string (`"4449444c0000"`) or an
 *   array of byte values;
 * - `description` defaults to `""`.
 *
 * Placeholders such as `${demo.price_oracle}` in any string are replaced first (see
 * {@link ./placeholders}); a placeholder with no value is an error naming how to give it.
 *
 * Problems are reported per field, with the file position when it can be found:
 * `nodes[2].config.method (line 31): Too small: expected string to have >=1 characters`.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';

import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';

import { WorkflowDefinitionSchema, type WorkflowDefinition } from '../shared/workflow/definition';
import { DEFAULT_RECOVERY } from '../shared/workflow/recovery';
import { CliError, messageOf, nodeErrorCode } from './errors';
import { howToSet, substitutePlaceholders } from './placeholders';

/**
 * How a file's placeholders get their values: `lookup` answers a value or `undefined`. With a
 * `standIn`, a placeholder without a value is replaced by it (offline validation checks the
 * shape with a stand-in canister id) and listed in the result instead of failing.
 */
export type PlaceholderOptions = { lookup: (name: string) => string | undefined; standIn?: string };

/** No placeholder has a value. */
export const NO_PLACEHOLDERS: PlaceholderOptions = { lookup: () => undefined };

/** A loaded workflow file: its definition and the placeholders that got the stand-in. */
export type LoadedWorkflow = { definition: WorkflowDefinition; unresolved: string[] };

/** One problem of a workflow file: where (path and, when known, line) and what. */
export type FileIssue = { path: (string | number)[]; line: number | undefined; message: string };

/** `['nodes', 2, 'config', 'method']` → `nodes[2].config.method`; `(root)` for the empty path. */
export function formatPath(path: readonly (string | number)[]): string {
    if (path.length === 0) return '(root)';
    return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** One line per issue, e.g. `nodes[2].config.method (line 31): Too small`. */
export function formatIssue(issue: FileIssue): string {
    return `${formatPath(issue.path)}${issue.line === undefined ? '' : ` (line ${issue.line})`}: ${issue.message}`;
}

type Mutable = Record<string, unknown>;
const isObject = (v: unknown): v is Mutable => typeof v === 'object' && v !== null && !Array.isArray(v);

function hexToBytes(text: string): Uint8Array | null {
    const hex = text.startsWith('0x') ? text.slice(2) : text;
    if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
    return new Uint8Array(Buffer.from(hex, 'hex'));
}

/**
 * Applies the file conveniences to a parsed value, in place on a copy. Values it cannot
 * convert are left as they are for the schema to report, except bad hex/cycles which are
 * reported here with their path.
 */
export function normalizeDefinition(value: unknown): { value: unknown; issues: FileIssue[] } {
    const issues: FileIssue[] = [];
    if (!isObject(value)) return { value, issues };
    const def: Mutable = { ...value };
    if (def.description === undefined) def.description = '';
    if (Array.isArray(def.nodes)) {
        def.nodes = def.nodes.map((raw: unknown, i: number) => {
            if (!isObject(raw)) return raw;
            const node: Mutable = { ...raw };
            if (node.dependsOn === undefined) node.dependsOn = [];
            if (Array.isArray(node.dependsOn)) node.dependsOn = node.dependsOn.map((d: unknown) => (typeof d === 'string' ? { nodeId: d, when: 'Always' } : d));
            if (node.join === undefined) node.join = 'All';
            if (node.recovery === undefined) node.recovery = DEFAULT_RECOVERY;
            if (isObject(node.config) && node.config.kind === 'Call') {
                const config: Mutable = { ...node.config };
                const cycles = config.cycles;
                if (cycles === undefined) config.cycles = 0n;
                else if ((typeof cycles === 'number' && Number.isSafeInteger(cycles)) || (typeof cycles === 'string' && /^\d+$/.test(cycles))) config.cycles = BigInt(cycles);
                else if (typeof cycles !== 'bigint') issues.push({ path: ['nodes', i, 'config', 'cycles'], line: undefined, message: 'must be a whole number of cycles (number or decimal string)' });
                if (isObject(config.args) && config.args.kind === 'Raw') {
                    const args: Mutable = { ...config.args };
                    const bytes = args.bytes;
                    if (typeof bytes === 'string') {
                        const decoded = hexToBytes(bytes);
                        if (decoded === null) issues.push({ path: ['nodes', i, 'config', 'args', 'bytes'], line: undefined, message: 'must be hex text (an even number of 0-9a-f digits)' });
                        else args.bytes = decoded;
                    } else if (Array.isArray(bytes) && bytes.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
                        args.bytes = new Uint8Array(bytes as number[]);
                    } else if (!(bytes instanceof Uint8Array)) {
                        issues.push({ path: ['nodes', i, 'config', 'args', 'bytes'], line: undefined, message: 'must be hex text or an array of byte values' });
                    }
                    config.args = args;
                }
                node.config = config;
            }
            return node;
        });
    }
    return { value: def, issues };
}

type ZodIssue = z.core.$ZodIssue;

/**
 * Flattens zod issues; a failed union (variant) is replaced by the issues of the alternative
 * that got furthest, which names the real problem.
 */
export function flattenIssues(issues: readonly ZodIssue[], prefix: readonly PropertyKey[] = []): { path: (string | number)[]; message: string }[] {
    const out: { path: (string | number)[]; message: string }[] = [];
    for (const issue of issues) {
        const path = [...prefix, ...issue.path].map((p) => (typeof p === 'number' ? p : String(p)));
        if (issue.code === 'invalid_union' && issue.errors.length > 0) {
            const branches = issue.errors.map((branch) => flattenIssues(branch, path));
            const depth = (b: { path: unknown[] }[]): number => Math.max(0, ...b.map((x) => x.path.length));
            const best = branches.reduce((a, b) => (depth(b) > depth(a) ? b : a));
            if (depth(best) > path.length) {
                out.push(...best);
                continue;
            }
        }
        out.push({ path, message: issue.message });
    }
    return out;
}

/**
 * Validates a parsed definition with the shared schema (after {@link normalizeDefinition}).
 *
 * @example
 * const r = validateDefinition(JSON.parse(text));
 * if (!r.ok) r.issues.forEach((i) => console.error(formatIssue(i)));
 */
export function validateDefinition(value: unknown, lineOf: (path: (string | number)[]) => number | undefined = () => undefined): { ok: true; definition: WorkflowDefinition } | { ok: false; issues: FileIssue[] } {
    const normalized = normalizeDefinition(value);
    const parsed = WorkflowDefinitionSchema.safeParse(normalized.value);
    const issues = [...normalized.issues, ...(parsed.success ? [] : flattenIssues(parsed.error.issues).map((i) => ({ ...i, line: undefined })))];
    if (issues.length > 0 || !parsed.success) return { ok: false, issues: issues.map((i) => ({ ...i, line: lineOf(i.path) })) };
    return { ok: true, definition: parsed.data };
}

/** Replaces the placeholders of a parsed file; a missing or malformed one is a bad-input error unless a stand-in is given. */
function resolvePlaceholders(value: unknown, fileName: string, placeholders: PlaceholderOptions): { value: unknown; unresolved: string[] } {
    const first = substitutePlaceholders(value, placeholders.lookup);
    if (first.invalid.length > 0) {
        throw new CliError('BadInput', `${fileName} has malformed placeholders`, first.invalid.map((n) => `\${${n}}: a name is dot-separated lower-case words, e.g. \${demo.price_oracle} (write $\${ for a literal \${)`));
    }
    if (first.missing.length === 0) return { value: first.value, unresolved: [] };
    const { standIn } = placeholders;
    if (standIn === undefined) {
        throw new CliError('BadInput', `${fileName} names ${first.missing.length === 1 ? 'a placeholder' : 'placeholders'} with no value`, first.missing.map((n) => `\${${n}}: give it with ${howToSet(n)}`));
    }
    return { value: substitutePlaceholders(value, (name) => placeholders.lookup(name) ?? standIn).value, unresolved: first.missing };
}

/** Parses workflow file text: JSON for `.json`, YAML otherwise (YAML also reads JSON). */
export function parseWorkflowText(text: string, fileName: string, placeholders: PlaceholderOptions = NO_PLACEHOLDERS): LoadedWorkflow {
    const counter = new LineCounter();
    const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
    let value: unknown;
    if (extname(fileName).toLowerCase() === '.json') {
        try {
            value = JSON.parse(text);
        } catch (error) {
            throw new CliError('BadInput', `${fileName} is not valid JSON: ${messageOf(error)}`);
        }
    } else {
        const first = doc.errors[0];
        if (first !== undefined) {
            const { line, col } = counter.linePos(first.pos[0]);
            throw new CliError('BadInput', `${fileName} is not valid YAML (line ${line}, column ${col}): ${first.message.split('\n')[0]}`);
        }
        value = doc.toJS();
    }
    const resolved = resolvePlaceholders(value, fileName, placeholders);
    const lineOf = (path: (string | number)[]): number | undefined => {
        // The deepest part of the path that exists in the file (a missing field points at its parent).
        for (let n = path.length; n >= 0; n--) {
            const node: unknown = doc.getIn(path.slice(0, n), true);
            if (isNode(node) && node.range !== undefined && node.range !== null) return counter.linePos(node.range[0]).line;
        }
        return undefined;
    };
    const result = validateDefinition(resolved.value, doc.errors.length === 0 ? lineOf : () => undefined);
    if (!result.ok) {
        const count = result.issues.length;
        throw new CliError('BadInput', `${fileName} is not a valid workflow (${count} problem${count === 1 ? '' : 's'})`, result.issues.map(formatIssue));
    }
    return { definition: result.definition, unresolved: resolved.unresolved };
}

/** The text of a file the user named, or a bad-input error saying which file and why. */
export function readUserFile(path: string, what: string): string {
    try {
        return readFileSync(path, 'utf8');
    } catch (error) {
        const code = nodeErrorCode(error) ?? messageOf(error);
        throw new CliError('BadInput', `cannot read ${what} ${path} (${code})`);
    }
}

/** Reads and validates a workflow file. */
export function loadWorkflowFile(path: string, placeholders: PlaceholderOptions = NO_PLACEHOLDERS): LoadedWorkflow {
    return parseWorkflowText(readUserFile(path, 'workflow file'), path, placeholders);
}
