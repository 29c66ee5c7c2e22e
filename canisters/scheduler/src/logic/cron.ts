/**
 * The only module that touches cron-parser. Two measures make it work inside an Azle
 * canister (QuickJS, stable mode), see docs/scheduling-and-monitoring.md (cron-parser inside the canister):
 * 1. import the parser module directly: the package index also loads a file parser that
 *    imports `fs`, which fails the Azle build;
 * 2. QuickJS has no `Intl`, and luxon asks Intl for the system zone and locale unless
 *    defaults are set; with these four settings UTC arithmetic never touches Intl.
 *
 * luxon is loaded with `require`, not `import`, on purpose: luxon ships an ESM build (for
 * `import`) and a CommonJS build (for `require`), and cron-parser `require`s it. An `import`
 * here makes esbuild (Azle's bundler) put both builds in the canister, and the settings
 * would land on the copy cron-parser does not use (checked: the bundle then fails without
 * Intl). `require` resolves to the same CommonJS copy in esbuild, Node and jest.
 */
import { CronExpressionParser } from 'cron-parser/dist/CronExpressionParser.js';
import { apiError, type ApiError } from '../../../../shared/common/errors';
import { err, ok, type Result } from '../../../../shared/common/result';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- see the module comment
const { Settings } = require('luxon') as typeof import('luxon');
Settings.defaultZone = 'utc';
Settings.defaultLocale = 'en-US';
Settings.defaultNumberingSystem = 'latn';
Settings.defaultOutputCalendar = 'gregory';

const NS_PER_MS = 1_000_000n;
const FIELD = 'kind.Cron.expression';
const MAX_EXPRESSION_LENGTH = 256;
/** Aliases cron-parser understands; anything else starting with `@` is rejected up front. */
const ALIASES = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly', '@minutely', '@secondly', '@weekdays', '@weekends']);

function toDate(ns: bigint): Date {
    // Floor to whole ms: cron times are whole seconds, so "after floor(t)" and "after t" agree.
    return new Date(Number(ns / NS_PER_MS));
}

function message(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}

/**
 * Checks a cron expression: 5 fields (minute first), 6 fields (second first) or an alias,
 * parseable by cron-parser, and with at least one future occurrence.
 *
 * @example
 * validateCron('0 9 * * 1-5');   // { Ok: null }
 * validateCron('61 * * * *');    // { Err: { InvalidInput: { field: 'kind.Cron.expression', message: ... } } }
 */
export function validateCron(expression: string, now: bigint): Result<null, ApiError> {
    const trimmed = expression.trim();
    if (trimmed.length === 0 || trimmed.length > MAX_EXPRESSION_LENGTH) {
        return err(apiError.invalidInput(FIELD, `expected 1..${MAX_EXPRESSION_LENGTH} characters`));
    }
    if (trimmed.startsWith('@')) {
        if (!ALIASES.has(trimmed.toLowerCase())) return err(apiError.invalidInput(FIELD, `unknown alias ${trimmed}`));
    } else {
        // cron-parser silently pads short expressions ('* * *'), which would hide typos.
        const fields = trimmed.split(/\s+/).length;
        if (fields !== 5 && fields !== 6) return err(apiError.invalidInput(FIELD, `expected 5 or 6 fields, got ${fields}`));
    }
    try {
        const next = nextCronAfter(trimmed, now);
        if (next === undefined) return err(apiError.invalidInput(FIELD, 'the expression never fires'));
        return ok(null);
    } catch (e) {
        return err(apiError.invalidInput(FIELD, message(e)));
    }
}

/**
 * The first occurrence strictly after `afterNs`, in UTC, or `undefined` if there is none.
 * Throws on an unparseable expression (validate with `validateCron` first).
 *
 * @example
 * nextCronAfter('*\/5 * * * *', Date.UTC(2025, 0, 1) * 1e6) // 2025-01-01T00:05:00Z in ns
 */
export function nextCronAfter(expression: string, afterNs: bigint): bigint | undefined {
    const it = CronExpressionParser.parse(expression.trim(), { currentDate: toDate(afterNs), tz: 'UTC' });
    if (!it.hasNext()) return undefined;
    const next = BigInt(it.next().getTime()) * NS_PER_MS;
    return next > afterNs ? next : undefined;
}

/**
 * Up to `limit` occurrences in `[fromNs, toNs]`, newest first, walking backwards from `toNs`
 * (so a long outage costs `limit` steps, not one step per missed occurrence).
 *
 * @example
 * cronOccurrencesBackwards('0 * * * *', from, to, 3) // the three latest full hours ≤ to
 */
export function cronOccurrencesBackwards(expression: string, fromNs: bigint, toNs: bigint, limit: number): bigint[] {
    if (limit <= 0 || toNs < fromNs) return [];
    // prev() is strictly before currentDate; start 1 ms after toNs so an occurrence at toNs counts.
    const it = CronExpressionParser.parse(expression.trim(), { currentDate: toDate(toNs + NS_PER_MS), tz: 'UTC' });
    const out: bigint[] = [];
    while (out.length < limit && it.hasPrev()) {
        const at = BigInt(it.prev().getTime()) * NS_PER_MS;
        if (at < fromNs) break;
        if (at <= toNs) out.push(at);
    }
    return out;
}

/**
 * Counts occurrences in `[fromNs, toNs]`, stopping at `cap` (the answer is then `cap`).
 *
 * @example
 * countCronOccurrences('0 * * * *', dayStart, dayEnd, 1000) // 24 (or 25 with both ends on the hour)
 */
export function countCronOccurrences(expression: string, fromNs: bigint, toNs: bigint, cap: number): number {
    if (toNs < fromNs) return 0;
    const it = CronExpressionParser.parse(expression.trim(), { currentDate: toDate(fromNs - NS_PER_MS), tz: 'UTC' });
    let count = 0;
    while (count < cap && it.hasNext()) {
        const at = BigInt(it.next().getTime()) * NS_PER_MS;
        if (at > toNs) break;
        if (at >= fromNs) count += 1;
    }
    return count;
}
