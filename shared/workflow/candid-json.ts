import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import type { JsonValue } from './json';

/**
 * Conversions between Candid values and the JSON values node outputs are made of, driven by
 * IDL types (parsed from a definition's type text). Mapping: integers to JSON numbers when
 * they are safe integers, else decimal strings (so no precision is lost); principal to text;
 * blob to lowercase hex text; opt to `null` or the value; record to object (tuple records to
 * arrays); variant `{ Tag: v }` to `{ "Tag": v }`.
 */
export type Converted<T> = { ok: true; value: T } | { ok: false; path: string; message: string };

const fail = (path: string, message: string): { ok: false; path: string; message: string } => ({ ok: false, path, message });

/** Decodes reply bytes with the given types into one JSON value (an array if several). */
export function decodeReplyToJson(types: IDL.Type[], bytes: Uint8Array): Converted<JsonValue> {
    let values: unknown[];
    try {
        values = IDL.decode(types, bytes);
    } catch (e) {
        return fail('', e instanceof Error ? e.message : 'cannot decode reply');
    }
    const out: JsonValue[] = [];
    for (let i = 0; i < types.length; i++) out.push(candidToJson(types[i], values[i]));
    return { ok: true, value: out.length === 1 ? out[0] : out };
}

/** Encodes JSON values (one per argument type) into Candid argument bytes. */
export function encodeArgsFromJson(types: IDL.Type[], values: JsonValue[]): Converted<Uint8Array> {
    if (values.length !== types.length) return fail('', `expected ${types.length} arguments, got ${values.length}`);
    const args: unknown[] = [];
    for (let i = 0; i < types.length; i++) {
        const r = jsonToCandid(types[i], values[i], String(i));
        if (!r.ok) return r;
        args.push(r.value);
    }
    try {
        return { ok: true, value: IDL.encode(types, args) };
    } catch (e) {
        return fail('', e instanceof Error ? e.message : 'cannot encode arguments');
    }
}

function isBlob(t: IDL.Type): boolean {
    return t instanceof IDL.VecClass && t._type instanceof IDL.FixedNatClass && t._type._bits === 8;
}

function toHex(b: Uint8Array): string {
    let s = '';
    for (const x of b) s += x.toString(16).padStart(2, '0');
    return s;
}

function intToJson(v: bigint | number): JsonValue {
    const n = typeof v === 'bigint' ? v : BigInt(v);
    return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : n.toString();
}

/** A decoded Candid value to JSON (total: the value came from `IDL.decode` with `t`). */
export function candidToJson(t: IDL.Type, v: unknown): JsonValue {
    if (t instanceof IDL.NullClass || t instanceof IDL.ReservedClass) return null;
    if (t instanceof IDL.BoolClass) return v === true;
    if (t instanceof IDL.TextClass) return String(v);
    if (t instanceof IDL.FloatClass) return typeof v === 'number' ? v : Number(v);
    if (t instanceof IDL.NatClass || t instanceof IDL.IntClass || t instanceof IDL.FixedNatClass || t instanceof IDL.FixedIntClass) {
        return typeof v === 'bigint' || typeof v === 'number' ? intToJson(v) : null;
    }
    if (t instanceof IDL.PrincipalClass) return v instanceof Principal ? v.toText() : String(v);
    if (isBlob(t)) return v instanceof Uint8Array ? toHex(v) : Array.isArray(v) ? toHex(Uint8Array.from(v.map(Number))) : null;
    if (t instanceof IDL.OptClass) return Array.isArray(v) && v.length === 1 ? candidToJson(t._type, v[0]) : null;
    if (t instanceof IDL.VecClass) return asArray(v).map((x) => candidToJson(t._type, x));
    if (t instanceof IDL.TupleClass) {
        const arr = Array.isArray(v) ? v : [];
        return tupleComponents(t).map((c, i) => candidToJson(c, arr[i]));
    }
    if (t instanceof IDL.RecordClass && isObject(v)) {
        const out: { [k: string]: JsonValue } = {};
        for (const [name, ft] of t._fields) out[name] = candidToJson(ft, v[name]);
        return out;
    }
    if (t instanceof IDL.VariantClass && isObject(v)) {
        for (const [name, ft] of t._fields) if (name in v) return { [name]: candidToJson(ft, v[name]) };
    }
    return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toBigInt(j: JsonValue): bigint | undefined {
    if (typeof j === 'number' && Number.isSafeInteger(j)) return BigInt(j);
    if (typeof j === 'string' && /^-?\d+$/.test(j)) return BigInt(j);
    return undefined;
}

/** A JSON value to the Candid value `IDL.encode` expects for `t`, with the failing path. */
export function jsonToCandid(t: IDL.Type, j: JsonValue, path = ''): Converted<unknown> {
    const ok = (value: unknown): Converted<unknown> => ({ ok: true, value });
    const sub = (k: string | number): string => (path === '' ? String(k) : `${path}.${k}`);
    if (t instanceof IDL.NullClass) return j === null ? ok(null) : fail(path, 'expected null');
    if (t instanceof IDL.ReservedClass) return ok(null);
    if (t instanceof IDL.BoolClass) return typeof j === 'boolean' ? ok(j) : fail(path, 'expected a boolean');
    if (t instanceof IDL.TextClass) return typeof j === 'string' ? ok(j) : fail(path, 'expected a string');
    if (t instanceof IDL.FloatClass) return typeof j === 'number' ? ok(j) : fail(path, 'expected a number');
    if (t instanceof IDL.NatClass || t instanceof IDL.IntClass || t instanceof IDL.FixedNatClass || t instanceof IDL.FixedIntClass) {
        const n = toBigInt(j);
        if (n === undefined) return fail(path, 'expected an integer');
        if ((t instanceof IDL.FixedNatClass || t instanceof IDL.FixedIntClass) && t._bits <= 32) return ok(Number(n));
        return ok(n);
    }
    if (t instanceof IDL.PrincipalClass) {
        if (typeof j !== 'string') return fail(path, 'expected principal text');
        try {
            return ok(Principal.fromText(j));
        } catch {
            return fail(path, 'invalid principal');
        }
    }
    if (isBlob(t)) {
        if (typeof j === 'string' && /^([0-9a-fA-F]{2})*$/.test(j)) {
            const out = new Uint8Array(j.length / 2);
            for (let i = 0; i < out.length; i++) out[i] = parseInt(j.slice(2 * i, 2 * i + 2), 16);
            return ok(out);
        }
        return fail(path, 'expected hex text');
    }
    if (t instanceof IDL.OptClass) {
        if (j === null) return ok([]);
        const r = jsonToCandid(t._type, j, path);
        return r.ok ? ok([r.value]) : r;
    }
    if (t instanceof IDL.VecClass) {
        if (!Array.isArray(j)) return fail(path, 'expected an array');
        return collect(j.map((x, i) => jsonToCandid(t._type, x, sub(i))));
    }
    if (t instanceof IDL.TupleClass) {
        if (!Array.isArray(j) || j.length !== tupleComponents(t).length) return fail(path, `expected an array of ${tupleComponents(t).length}`);
        return collect(tupleComponents(t).map((c, i) => jsonToCandid(c, j[i], sub(i))));
    }
    if (t instanceof IDL.RecordClass) {
        if (j === null || typeof j !== 'object' || Array.isArray(j)) return fail(path, 'expected an object');
        const out: Record<string, unknown> = {};
        for (const [name, ft] of t._fields) {
            const fv = Object.prototype.hasOwnProperty.call(j, name) ? j[name] : null; // absent = null, so opt fields may be omitted
            const r = jsonToCandid(ft, fv, sub(name));
            if (!r.ok) return r;
            out[name] = r.value;
        }
        return ok(out);
    }
    if (t instanceof IDL.VariantClass) {
        // `"Tag"` for a null payload, or `{ "Tag": payload }`.
        const entry = typeof j === 'string' ? ([j, null] as const) : j !== null && typeof j === 'object' && !Array.isArray(j) && Object.keys(j).length === 1 ? Object.entries(j)[0] : undefined;
        if (entry === undefined) return fail(path, 'expected a variant');
        const field = t._fields.find(([name]) => name === entry[0]);
        if (field === undefined) return fail(path, `unknown variant tag '${entry[0]}'`);
        const r = jsonToCandid(field[1], entry[1], sub(entry[0]));
        return r.ok ? ok({ [entry[0]]: r.value }) : r;
    }
    return fail(path, `unsupported Candid type ${t.display()}`);
}

function collect(rs: Converted<unknown>[]): Converted<unknown> {
    const out: unknown[] = [];
    for (const r of rs) {
        if (!r.ok) return r;
        out.push(r.value);
    }
    return { ok: true, value: out };
}

/** A tuple record's component types, in order (fields `_0_`, `_1_`, ... sorted by index). */
function tupleComponents(t: IDL.TupleClass<IDL.Type[]>): IDL.Type[] {
    return t._fields.map(([, c]) => c);
}

/** `vec` values decode to arrays, or to typed arrays for fixed-width numbers (`vec int32`). */
function asArray(v: unknown): unknown[] {
    if (Array.isArray(v)) return v;
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number | bigint>);
    return [];
}
