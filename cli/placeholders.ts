/**
 * Placeholders in workflow files: `${demo.price_oracle}` in any string of a file is replaced
 * by a value before the file is validated, so one file runs on every network (the demo
 * canisters get new ids on each deploy). Substitution works on the parsed value, string by
 * string, so a value can never break the file's syntax. `$${` writes a literal `${`.
 *
 * Where values come from, first match wins (see {@link placeholderValues}):
 * 1. `--var NAME=VALUE` (repeatable);
 * 2. the environment: `DEFLOW_VAR_` + the name upper-cased with `.` as `_`
 *    (`$DEFLOW_VAR_DEMO_PRICE_ORACLE`);
 * 3. the ids file `npm start` writes beside the deployment file (`.deflow/demo.json`,
 *    `{ "price_oracle": "<principal>", … }`), as `demo.<key>`; and the deployment's own
 *    canisters as `deflow.<role>` (`${deflow.orchestrator}`).
 *
 * Pure apart from {@link readIdsFile}; unit tested.
 */
import { readFileSync } from 'node:fs';

import { CliError, messageOf, nodeErrorCode } from './errors';

/** A placeholder name: dot-separated lower-case words (`demo.price_oracle`). */
const NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
/** `$${` (escaped) or `${name}`. */
const PLACEHOLDER = /\$\$\{|\$\{([^}]*)\}/g;

/** The environment variable that gives a placeholder's value. */
export function placeholderEnvName(name: string): string {
    return `DEFLOW_VAR_${name.toUpperCase().replaceAll('.', '_')}`;
}

/** How to give a value for `name`, for error messages. */
export function howToSet(name: string): string {
    const demo = name.startsWith('demo.') ? ', or .deflow/demo.json (npm start writes it)' : '';
    return `--var ${name}=VALUE, $${placeholderEnvName(name)}${demo}`;
}

/**
 * Parses `--var NAME=VALUE` flags.
 *
 * @example
 * parseVarFlags(['demo.price_oracle=rrkah-fqaaa-aaaaa-aaaaq-cai']) // Map { 'demo.price_oracle' => 'rrkah-…' }
 */
export function parseVarFlags(flags: readonly string[]): Map<string, string> {
    const vars = new Map<string, string>();
    for (const flag of flags) {
        const eq = flag.indexOf('=');
        const name = eq < 0 ? flag : flag.slice(0, eq);
        if (eq < 0 || !NAME.test(name)) throw new CliError('Usage', `--var must be NAME=VALUE with NAME like demo.price_oracle, got "${flag}"`);
        vars.set(name, flag.slice(eq + 1));
    }
    return vars;
}

/** The flat `{ key: "text" }` object of an ids file, or a bad-input error naming the file. */
export function readIdsFile(path: string): Record<string, string> {
    let parsed: unknown;
    try {
        parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
        throw new CliError('BadInput', `cannot read ${path} (${nodeErrorCode(error) ?? messageOf(error)})`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CliError('BadInput', `${path} must be a JSON object of names to ids`);
    const ids: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed)) {
        if (typeof value !== 'string') throw new CliError('BadInput', `${path}: "${key}" must be text (a canister id)`);
        ids[key] = value;
    }
    return ids;
}

/** Where placeholder values come from; see the module comment for the order. */
export type PlaceholderSources = {
    flags: readonly string[];
    env: NodeJS.ProcessEnv;
    /** The demo ids file's content (`demo.<key>`). */
    demo?: Record<string, string>;
    /** The deployment's canisters (`deflow.<role>`). */
    deflow?: Record<string, string>;
};

/** A lookup of placeholder values over the sources, in their order of precedence. */
export function placeholderValues(sources: PlaceholderSources): (name: string) => string | undefined {
    const flags = parseVarFlags(sources.flags);
    const files = new Map<string, string>([
        ...Object.entries(sources.demo ?? {}).map(([k, v]): [string, string] => [`demo.${k}`, v]),
        ...Object.entries(sources.deflow ?? {}).map(([k, v]): [string, string] => [`deflow.${k}`, v])
    ]);
    return (name) => {
        const env = sources.env[placeholderEnvName(name)];
        return flags.get(name) ?? (env !== undefined && env !== '' ? env : undefined) ?? files.get(name);
    };
}

/** The result of {@link substitutePlaceholders}: the new value and the names that had no value. */
export type Substituted = { value: unknown; missing: string[]; invalid: string[] };

/**
 * Replaces every `${name}` in the strings of `value` (object keys are left alone). Names with
 * no value are kept as they are and listed in `missing`; malformed ones (`${Oops}`) in `invalid`.
 *
 * @example
 * substitutePlaceholders({ canister: '${demo.price_oracle}' }, (n) => (n === 'demo.price_oracle' ? 'aaaaa-aa' : undefined))
 * // { value: { canister: 'aaaaa-aa' }, missing: [], invalid: [] }
 */
export function substitutePlaceholders(value: unknown, lookup: (name: string) => string | undefined): Substituted {
    const missing = new Set<string>();
    const invalid = new Set<string>();
    const inString = (text: string): string =>
        text.replace(PLACEHOLDER, (match, name: string | undefined) => {
            if (name === undefined) return '${';
            if (!NAME.test(name)) {
                invalid.add(name);
                return match;
            }
            const found = lookup(name);
            if (found === undefined) missing.add(name);
            return found ?? match;
        });
    const walk = (v: unknown): unknown => {
        if (typeof v === 'string') return inString(v);
        if (Array.isArray(v)) return v.map(walk);
        if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
        return v;
    };
    return { value: walk(value), missing: [...missing].sort(), invalid: [...invalid].sort() };
}
