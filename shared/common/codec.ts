import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { z } from 'zod';

/**
 * One definition, three views: a Candid IDL type, a zod schema and (by inference) the
 * TypeScript type. Every contract in `shared/scheduling` and `shared/monitoring` is built
 * from these combinators, so the IDL, the validator and the type cannot drift apart.
 *
 * Generic on purpose; it lives here until `shared/common` adopts it.
 *
 * @example
 * const Point = c.record({ x: c.nat32, label: c.opt(c.text) });
 * type Point = Infer<typeof Point>;            // { x: number; label: [] | [string] }
 * IDL.encode([Point.idl], [{ x: 1, label: [] }]);
 * Point.schema.parse(decoded);                  // throws on drift or bad input
 */
export interface Codec<T> {
    readonly idl: IDL.Type;
    readonly schema: z.ZodType<T>;
}

/** The TypeScript type a codec describes. */
export type Infer<C> = C extends Codec<infer T> ? T : never;

type Fields = Record<string, Codec<unknown>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type RecordOf<S extends Fields> = Simplify<{ [K in keyof S]: Infer<S[K]> }>;
type VariantOf<S extends Fields> = { [K in keyof S]: { [P in K]: Infer<S[K]> } }[keyof S];
type TagsOf<Tags extends readonly string[]> = { [I in keyof Tags]: { [P in Tags[I] & string]: null } }[number];

export const NAT64_MAX = (1n << 64n) - 1n;
export const NAT32_MAX = 2 ** 32 - 1;

/** Casts a structurally built zod schema to the type the combinator promises (checked by tests). */
function typed<T>(schema: z.ZodType): z.ZodType<T> {
    return schema as z.ZodType<T>;
}

const text: Codec<string> = { idl: IDL.Text, schema: z.string() };
const bool: Codec<boolean> = { idl: IDL.Bool, schema: z.boolean() };
const nat64: Codec<bigint> = { idl: IDL.Nat64, schema: z.bigint().min(0n).max(NAT64_MAX) };
/** Unbounded `nat` (cycles balances). */
const nat: Codec<bigint> = { idl: IDL.Nat, schema: z.bigint().min(0n) };
const nat32: Codec<number> = { idl: IDL.Nat32, schema: z.number().int().min(0).max(NAT32_MAX) };
const float64: Codec<number> = { idl: IDL.Float64, schema: z.number() };
const null_: Codec<null> = { idl: IDL.Null, schema: z.null() };
const principal: Codec<Principal> = {
    idl: IDL.Principal,
    // `isPrincipal` rather than instanceof: decoded values may come from another copy of the library.
    schema: z.custom<Principal>((value) => Principal.isPrincipal(value), { message: 'expected a principal' })
};

/** Candid `opt T`, represented as agent-js does: `[]` or `[value]`. */
function opt<T>(inner: Codec<T>): Codec<[] | [T]> {
    return { idl: IDL.Opt(inner.idl), schema: typed<[] | [T]>(z.union([z.tuple([]), z.tuple([inner.schema])])) };
}

function vec<T>(inner: Codec<T>): Codec<T[]> {
    return { idl: IDL.Vec(inner.idl), schema: z.array(inner.schema) };
}

function record<S extends Fields>(fields: S): Codec<RecordOf<S>> {
    const idl: Record<string, IDL.Type> = {};
    const shape: Record<string, z.ZodType> = {};
    for (const [name, field] of Object.entries(fields)) {
        idl[name] = field.idl;
        shape[name] = field.schema;
    }
    return { idl: IDL.Record(idl), schema: typed<RecordOf<S>>(z.object(shape)) };
}

/** Candid variant; each alternative is `{ Tag: payload }` with exactly one key. */
function variant<S extends Fields>(tags: S): Codec<VariantOf<S>> {
    const idl: Record<string, IDL.Type> = {};
    const options: z.ZodType[] = [];
    for (const [tag, payload] of Object.entries(tags)) {
        idl[tag] = payload.idl;
        options.push(z.strictObject({ [tag]: payload.schema }));
    }
    const [first, ...rest] = options;
    if (first === undefined) throw new Error('a variant needs at least one tag');
    return { idl: IDL.Variant(idl), schema: typed<VariantOf<S>>(z.union([first, ...rest])) };
}

/**
 * A variant whose tags carry no data (a Candid "enum").
 *
 * @example
 * const Overlap = c.tags(['Skip', 'BufferOne', 'Allow'] as const);
 * const v: Infer<typeof Overlap> = { BufferOne: null };
 */
function tags<const Tags extends readonly [string, ...string[]]>(names: Tags): Codec<TagsOf<Tags>> {
    const fields: Fields = {};
    for (const name of names) fields[name] = null_;
    return variant(fields) as Codec<unknown> as Codec<TagsOf<Tags>>;
}

/** Wraps a hand-written IDL (such as `ApiErrorIdl`) with a schema, for values that already exist in shared/common. */
function external<T>(idl: IDL.Type, schema: z.ZodType<T>): Codec<T> {
    return { idl, schema };
}

/** Candid `variant { Ok: T; Err: E }`. */
function result<T, E>(okCodec: Codec<T>, errCodec: Codec<E>): Codec<{ Ok: T } | { Err: E }> {
    return variant({ Ok: okCodec, Err: errCodec }) as Codec<unknown> as Codec<{ Ok: T } | { Err: E }>;
}

/** The combinators. */
export const c = { text, bool, nat, nat64, nat32, float64, null: null_, principal, opt, vec, record, variant, tags, external, result };

/**
 * The tag of a variant value, typed as the union of its tags, for exhaustive switches.
 *
 * @example
 * switch (tagOf(policy)) { case 'Skip': ...; case 'Allow': ...; default: assertNever(...) }
 */
export function tagOf<V extends object>(value: V): V extends unknown ? keyof V & string : never {
    const [tag] = Object.keys(value);
    if (tag === undefined) throw new Error('variant value without a tag');
    return tag as V extends unknown ? keyof V & string : never;
}

/** Reads a Candid `opt` as `T | undefined`. */
export function fromOpt<T>(value: [] | [T]): T | undefined {
    return value.length === 0 ? undefined : value[0];
}

/** Builds a Candid `opt` from `T | undefined`. */
export function toOpt<T>(value: T | undefined): [] | [T] {
    return value === undefined ? [] : [value];
}

/** One canister method: Candid argument types, the single return type, query or update. */
export type MethodSpec = { readonly args: readonly IDL.Type[]; readonly ret: IDL.Type; readonly mode: 'query' | 'update' };

/**
 * Builds an `IDL.Service` from method specs, e.g. for an agent actor or a test client.
 *
 * @example
 * const idlFactory = () => serviceIdl(SchedulerMethods);
 */
export function serviceIdl(methods: Record<string, MethodSpec>): IDL.ServiceClass {
    const fields: Record<string, IDL.FuncClass> = {};
    for (const [name, m] of Object.entries(methods)) {
        const [first, ...rest] = m.args;
        const args: [] | [IDL.Type, ...IDL.Type[]] = first === undefined ? [] : [first, ...rest];
        fields[name] = IDL.Func(args, [m.ret], m.mode === 'query' ? ['query'] : []);
    }
    return IDL.Service(fields);
}

/**
 * Validates an untrusted value (a decoded Candid argument) against a contract's schema and
 * turns the first problem into a typed `InvalidInput` whose `field` is the dotted path.
 *
 * @example
 * parseWith(ScheduleRequestSchema, arg) // { Ok: request } or { Err: { InvalidInput: { field: 'kind.Once.at', ... } } }
 */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown): { Ok: T } | { Err: { InvalidInput: { field: string; message: string } } } {
    const parsed = schema.safeParse(value);
    if (parsed.success) return { Ok: parsed.data };
    const issue = deepestIssue(parsed.error.issues, []);
    const field = issue === undefined ? '' : issue.path.map((p) => String(p)).join('.');
    return { Err: { InvalidInput: { field, message: issue === undefined ? 'invalid input' : issue.message } } };
}

type FlatIssue = { path: PropertyKey[]; message: string };

/**
 * A variant is a zod union, whose failure is reported at the variant itself with one issue
 * list per alternative. The alternative that got furthest (longest path) names the real problem:
 * `kind.Interval.every_seconds` rather than `kind`.
 */
function deepestIssue(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[]): FlatIssue | undefined {
    let best: FlatIssue | undefined;
    for (const issue of issues) {
        const path = [...prefix, ...issue.path];
        let candidate: FlatIssue | undefined = { path, message: issue.message };
        if (issue.code === 'invalid_union') {
            for (const branch of issue.errors) {
                const inner = deepestIssue(branch, path);
                if (inner !== undefined && (candidate === undefined || inner.path.length > candidate.path.length)) candidate = inner;
            }
        }
        if (candidate !== undefined && (best === undefined || candidate.path.length > best.path.length)) best = candidate;
    }
    return best;
}
