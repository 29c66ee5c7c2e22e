/**
 * Output of the `deflow` command: aligned tables and key/value blocks for humans, JSON for
 * scripts (`--json`). JSON is lossless for Candid values: `bigint` as a decimal string,
 * principals as text, bytes as hex.
 */
import { Principal } from '@dfinity/principal';

/** Where a command writes; replaceable in tests. */
export type Output = { out: (line: string) => void; err: (line: string) => void };

/**
 * The process's stdout/stderr. Block bodies on purpose: `write` answers a boolean, which must
 * never leak out as a command's result (it once became the exit code).
 */
export const consoleOutput: Output = {
    out(line) {
        process.stdout.write(`${line}\n`);
    },
    err(line) {
        process.stderr.write(`${line}\n`);
    }
};

/** Prints every line on stdout. */
export function printLines(out: Output, lines: readonly string[]): void {
    for (const line of lines) out.out(line);
}

/** A Candid value as plain JSON data: `bigint` → decimal text, principal → text, bytes → hex. */
export function toPlain(value: unknown): unknown {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
    if (Array.isArray(value)) return value.map(toPlain);
    if (value !== null && typeof value === 'object') {
        if (Principal.isPrincipal(value as Principal)) return (value as Principal).toText();
        return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toPlain(v)]));
    }
    return value;
}

/**
 * JSON text of any answer, stable for scripts.
 *
 * @example
 * toJson({ n: 1n, p: Principal.anonymous() }) // '{\n  "n": "1",\n  "p": "2vxsx-fae"\n}'
 */
export function toJson(value: unknown): string {
    return JSON.stringify(toPlain(value), null, 2);
}

/**
 * An aligned text table; every cell is one line, columns padded to their widest cell.
 *
 * @example
 * formatTable(['ID', 'STATUS'], [['wf-1', 'Active']]) // ['ID    STATUS', 'wf-1  Active']
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: readonly string[]): string =>
        cells
            .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
            .join('  ')
            .trimEnd();
    return [line(headers), ...rows.map(line)];
}

/** `key: value` lines with the keys aligned. */
export function formatFields(fields: readonly (readonly [string, string])[]): string[] {
    const width = Math.max(0, ...fields.map(([k]) => k.length));
    return fields.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${v}`);
}

/** IC time (nanoseconds since the epoch) as ISO-8601 UTC; `-` when absent. */
export function formatTime(ns: bigint | undefined): string {
    if (ns === undefined) return '-';
    return new Date(Number(ns / 1_000_000n)).toISOString();
}

/** The single tag of a Candid variant value such as `{ Active: null }`. */
export function tagText(variant: object): string {
    return Object.keys(variant)[0] ?? '?';
}
