import { z } from 'zod';
import { WORKFLOW_LIMITS, utf8Bytes } from './limits';

/** A JSON value as produced by `JSON.parse`. Node outputs and constants are JSON, never code. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Parses JSON text without throwing. */
export function parseJson(text: string): { ok: true; value: JsonValue } | { ok: false; message: string } {
    try {
        return { ok: true, value: JSON.parse(text) as JsonValue };
    } catch (e) {
        return { ok: false, message: e instanceof Error ? e.message : 'invalid JSON' };
    }
}

/**
 * JSON text of at most `maxBytes` UTF-8 bytes.
 *
 * @example
 * jsonTextSchema().parse('{"price": 42}');
 */
export function jsonTextSchema(maxBytes: number = WORKFLOW_LIMITS.maxPayloadBytes) {
    return z
        .string()
        .refine((s) => utf8Bytes(s) <= maxBytes, { message: `at most ${maxBytes} bytes` })
        .refine((s) => parseJson(s).ok, { message: 'must be valid JSON' });
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
