/**
 * Argument parsing for `deflow` (node:util `parseArgs`): global flags, the command words,
 * and each command's own flags. Pure: no I/O, unit tested.
 */
import { parseArgs } from 'node:util';

import { CliError, messageOf, nodeErrorCode } from './errors';

/** Every flag the CLI knows: name → takes a value (`string`), may be repeated (`strings`) or not (`boolean`). */
export const OPTION_TYPES = {
    // global
    network: 'string',
    identity: 'string',
    orchestrator: 'string',
    scheduler: 'string',
    monitor: 'string',
    executor: 'string',
    deployment: 'string',
    var: 'strings',
    json: 'boolean',
    help: 'boolean',
    // per command
    input: 'string',
    watch: 'boolean',
    interval: 'string',
    timeout: 'string',
    workflow: 'string',
    status: 'string',
    limit: 'string',
    cursor: 'string',
    order: 'string',
    version: 'string',
    'expected-version': 'string',
    cron: 'string',
    every: 'string',
    at: 'string',
    heartbeat: 'boolean',
    when: 'string',
    missed: 'string',
    overlap: 'string',
    safe: 'boolean',
    reason: 'string',
    ack: 'string'
} as const;
export type OptionName = keyof typeof OPTION_TYPES;

/** Flags every command accepts. */
export const GLOBAL_OPTIONS: readonly OptionName[] = ['network', 'identity', 'orchestrator', 'scheduler', 'monitor', 'executor', 'deployment', 'var', 'json', 'help'];

type OptionValueOf<T> = T extends 'string' ? string : T extends 'strings' ? string[] : boolean;
/** Parsed flag values: strings for value flags, a list for repeatable ones, `true` for switches given. */
export type OptionValues = { [K in OptionName]?: OptionValueOf<(typeof OPTION_TYPES)[K]> };

/** A parsed command line: the words (command and its arguments) and the flags. */
export type ParsedArgs = { words: string[]; options: OptionValues };

const PARSE_OPTIONS = Object.fromEntries(
    Object.entries(OPTION_TYPES).map(([name, type]) => [name, type === 'strings' ? { type: 'string', multiple: true } : { type }])
) as Record<OptionName, { type: 'string' | 'boolean'; multiple?: boolean }>;

/**
 * Splits argv into words and flags; unknown flags and missing values are usage errors.
 *
 * @example
 * parseCommandLine(['run', 'wf-1', '--input', '{"x":1}', '--json'])
 * // { words: ['run', 'wf-1'], options: { input: '{"x":1}', json: true } }
 */
export function parseCommandLine(argv: readonly string[]): ParsedArgs {
    try {
        const { values, positionals } = parseArgs({ args: [...argv], options: PARSE_OPTIONS, allowPositionals: true, strict: true });
        return { words: positionals, options: values as OptionValues };
    } catch (error) {
        // parseArgs throws TypeErrors with a `code` such as ERR_PARSE_ARGS_UNKNOWN_OPTION.
        if (nodeErrorCode(error)?.startsWith('ERR_PARSE_ARGS') === true) {
            throw new CliError('Usage', messageOf(error).replace(/\. To specify a positional argument.*$/s, ''));
        }
        throw error;
    }
}

/** Refuses flags a command does not take. */
export function checkOptions(options: OptionValues, allowed: readonly OptionName[], command: string): void {
    const extra = (Object.keys(options) as OptionName[]).filter((name) => options[name] !== undefined && !allowed.includes(name) && !GLOBAL_OPTIONS.includes(name));
    if (extra.length > 0) throw new CliError('Usage', `${command} does not take ${extra.map((e) => `--${e}`).join(', ')}`);
}

/** A positive integer flag value. */
export function positiveInt(value: string | undefined, flag: string, fallback: number): number {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) throw new CliError('Usage', `--${flag} must be a positive whole number, got "${value}"`);
    return Number(value);
}

/**
 * A point in time for `--at`: ISO-8601 (`2030-01-01T09:00:00Z`) or Unix seconds; answered in
 * IC nanoseconds.
 */
export function parseTime(value: string, flag: string): bigint {
    if (/^\d+$/.test(value)) return BigInt(value) * 1_000_000_000n;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw new CliError('Usage', `--${flag} must be an ISO-8601 time or Unix seconds, got "${value}"`);
    return BigInt(ms) * 1_000_000n;
}
