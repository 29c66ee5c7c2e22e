import { z } from 'zod';
import { WORKFLOW_LIMITS, utf8Bytes } from './limits';

/** A JSON value as produced by `JSON.parse`. Node outputs and constants are JSON, never code. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * The nesting depth of JSON text (`0` for a scalar, `1` for `[]` or `{}`), found by scanning
 * the characters without parsing, so a value too deep to parse safely is measured without
 * recursion. Brackets inside strings do not count. Malformed text gets a number too; parsing
 * reports what is wrong with it.
 *
 * @example
 * jsonDepth('{"a":[1,[2]]}') // 3
 */
export function jsonDepth(text: string): number {
    let depth = 0;
    let max = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text.charCodeAt(i);
        if (inString) {
            if (ch === 0x5c) i++; // backslash: skip the escaped character
            else if (ch === 0x22) inString = false;
        } else if (ch === 0x22) {
            inString = true;
        } else if (ch === 0x5b || ch === 0x7b) {
            depth++;
            if (depth > max) max = depth;
        } else if (ch === 0x5d || ch === 0x7d) {
            depth--;
        }
    }
    return max;
}

/** Why JSON text is refused before parsing, if it is: nested deeper than {@link WORKFLOW_LIMITS.maxJsonDepth}. */
function tooDeep(text: string): string | undefined {
    return jsonDepth(text) > WORKFLOW_LIMITS.maxJsonDepth ? `nested deeper than ${WORKFLOW_LIMITS.maxJsonDepth} levels` : undefined;
}

/** Parses JSON text without throwing; text nested deeper than the bound is refused unparsed. */
export function parseJson(text: string): { ok: true; value: JsonValue } | { ok: false; message: string } {
    const deep = tooDeep(text);
    if (deep !== undefined) return { ok: false, message: deep };
    try {
        return { ok: true, value: JSON.parse(text) as JsonValue };
    } catch (e) {
        return { ok: false, message: e instanceof Error ? e.message : 'invalid JSON' };
    }
}

/**
 * JSON text of at most `maxBytes` UTF-8 bytes, nested at most {@link WORKFLOW_LIMITS.maxJsonDepth}
 * deep. Checked in that order and the first failure is the only issue, so text too large or
 * too deep is never parsed.
 *
 * @example
 * jsonTextSchema().parse('{"price": 42}');
 */
export function jsonTextSchema(maxBytes: number = WORKFLOW_LIMITS.maxPayloadBytes) {
    return z.string().superRefine((s, ctx) => {
        if (utf8Bytes(s) > maxBytes) {
            ctx.addIssue({ code: 'custom', message: `at most ${maxBytes} bytes` });
            return;
        }
        const parsed = parseJson(s);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message.startsWith('nested deeper') ? parsed.message : 'must be valid JSON' });
    });
}

/** JSON text of a node payload (constants, default values). */
export const JsonTextSchema = jsonTextSchema();

/**
 * A JSON path: dot-separated object keys and array indices, `''` for the whole value.
 * No wildcards or expressions: paths are data, evaluated by {@link getPath}.
 *
 * @example
 * getPath({ a: [{ b: 1 }] }, 'a.0.b'); // { found: true, value: 1 }
 */
export const JsonPathSchema = z
    .string()
    .max(WORKFLOW_LIMITS.maxPathChars)
    .regex(/^$|^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, { message: 'dot-separated keys or indices' });

/** Reads a path out of a JSON value. */
export function getPath(value: JsonValue, path: string): { found: true; value: JsonValue } | { found: false } {
    if (path === '') return { found: true, value };
    let cur: JsonValue = value;
    for (const seg of path.split('.')) {
        if (Array.isArray(cur)) {
            if (!/^\d+$/.test(seg)) return { found: false };
            const i = Number(seg);
            if (i >= cur.length) return { found: false };
            cur = cur[i];
        } else if (cur !== null && typeof cur === 'object') {
            if (!Object.prototype.hasOwnProperty.call(cur, seg)) return { found: false };
            cur = cur[seg];
        } else {
            return { found: false };
        }
    }
    return { found: true, value: cur };
}
