import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { z } from 'zod';

/**
 * The one contract builder of DeFlow. One definition, three views: a Candid IDL type, a zod
 * schema and (by inference) the TypeScript type. Every contract in `shared/` is built from
 * these combinators, so the IDL, the validator and the type cannot drift apart, and the method
 * tables built from them ({@link MethodSpec}) give the canisters' decorators, the clients'
 * `idlFactory` and the service types ({@link ServiceOf}).
 *
 * Where the domain form differs from the wire form (workflow definitions, executions: camelCase,
 * numbers, string principals), the codec describes the wire form (named `XWire`) and explicit
 * `encodeX`/`decodeX` functions beside it convert; where they agree the codec is named `XCodec`.
 *
 * Number widths follow `@dfinity/candid`'s decoder: `nat8`..`nat32` are `number`,
 * `nat64`/`nat` are `bigint`, `vec nat8` is `Uint8Array`.
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
const NAT8_MAX = 255;

/**
 * A codec whose zod schema is built on first use. Canisters build every contract at module
 * load (each install and upgrade) but validate only a few of them, so the schemas of the wire
 * types they merely encode cost nothing.
 */
function codec<T>(idl: IDL.Type, buildSchema: () => z.ZodType): Codec<T> {
    let schema: z.ZodType<T> | undefined;
    return {
        idl,
        get schema(): z.ZodType<T> {
            // The cast is the combinator's promise about the structure it built (checked by the contract tests).
            schema ??= buildSchema() as z.ZodType<T>;
            return schema;
        }
    };
}

function leaf<T>(idl: IDL.Type, schema: z.ZodType<T>): Codec<T> {
    return { idl, schema };
}

const text = leaf<string>(IDL.Text, z.string());
const bool = leaf<boolean>(IDL.Bool, z.boolean());
const nat64 = leaf<bigint>(IDL.Nat64, z.bigint().min(0n).max(NAT64_MAX));
/** Unbounded `nat` (cycles balances). */
const nat = leaf<bigint>(IDL.Nat, z.bigint().min(0n));
const nat32 = leaf<number>(IDL.Nat32, z.number().int().min(0).max(NAT32_MAX));
const nat8 = leaf<number>(IDL.Nat8, z.number().int().min(0).max(NAT8_MAX));
const float64 = leaf<number>(IDL.Float64, z.number());
const null_ = leaf<null>(IDL.Null, z.null());
/** `vec nat8`, which agent-js decodes to a `Uint8Array`. */
const blob = leaf<Uint8Array>(IDL.Vec(IDL.Nat8), z.instanceof(Uint8Array));
const principal = leaf<Principal>(
    IDL.Principal,
    // `isPrincipal` rather than instanceof: decoded values may come from another copy of the library.
    z.custom<Principal>((value) => Principal.isPrincipal(value), { message: 'expected a principal' })
);

/** Candid `opt T`, represented as agent-js does: `[]` or `[value]`. */
function opt<T>(inner: Codec<T>): Codec<[] | [T]> {
    return codec(IDL.Opt(inner.idl), () => z.union([z.tuple([]), z.tuple([inner.schema])]));
}

function vec<T>(inner: Codec<T>): Codec<T[]> {
    return codec(IDL.Vec(inner.idl), () => z.array(inner.schema));
}

function record<S extends Fields>(fields: S): Codec<RecordOf<S>> {
    const idl: Record<string, IDL.Type> = {};
    for (const [name, field] of Object.entries(fields)) idl[name] = field.idl;
    return codec(IDL.Record(idl), () => {
        const shape: Record<string, z.ZodType> = {};
        for (const [name, field] of Object.entries(fields)) shape[name] = field.schema;
        return z.object(shape);
    });
}

/** Candid variant; each alternative is `{ Tag: payload }` with exactly one key. */
function variant<S extends Fields>(tags: S): Codec<VariantOf<S>> {
    const idl: Record<string, IDL.Type> = {};
    for (const [tag, payload] of Object.entries(tags)) idl[tag] = payload.idl;
    if (Object.keys(idl).length === 0) throw new Error('a variant needs at least one tag');
    return codec(IDL.Variant(idl), () => {
        const options = Object.entries(tags).map(([tag, payload]) => z.strictObject({ [tag]: payload.schema }));
        return z.union(options);
    });
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

/** Candid `variant { Ok: T; Err: E }`. */
function result<T, E>(okCodec: Codec<T>, errCodec: Codec<E>): Codec<{ Ok: T } | { Err: E }> {
    return variant({ Ok: okCodec, Err: errCodec }) as Codec<unknown> as Codec<{ Ok: T } | { Err: E }>;
}

/** The combinators. */
export const c = { text, bool, nat, nat64, nat32, nat8, float64, null: null_, blob, principal, opt, vec, record, variant, tags, result };

/**
 * The tag of a variant value, typed as the union of its tags, for exhaustive switches.
 *
 * @example
 * switch (tagOf(policy)) { case 'Skip': ...; case 'Allow': ...; default: assertNever(...) }
 */
export function tagOf<V extends object>(value: V): V extends unknown ? keyof V & string : never {
    const keys = Object.keys(value);
    const [tag] = keys;
    if (tag === undefined || keys.length !== 1) throw new Error(`a variant value has exactly one tag, got ${keys.length}`);
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

/** One canister method: the codecs of its arguments and of its single result, query or update. */
export type MethodSpec = { readonly args: readonly Codec<unknown>[]; readonly ret: Codec<unknown>; readonly mode: 'query' | 'update' };

/** The TypeScript argument tuple of a method. */
export type ArgsOf<M extends MethodSpec> = InferAll<M['args']>;
type InferAll<A extends readonly unknown[]> = { -readonly [K in keyof A]: Infer<A[K]> };
/** The TypeScript result of a method. */
export type ReturnOf<M extends MethodSpec> = Infer<M['ret']>;

/**
 * A service as an agent actor sees it: one async function per method of the table.
 *
 * @example
 * type SchedulerService = ServiceOf<typeof SchedulerMethods>;
 */
export type ServiceOf<Methods extends Record<string, MethodSpec>> = {
    [K in keyof Methods]: (...args: ArgsOf<Methods[K]>) => Promise<ReturnOf<Methods[K]>>;
};

/** The Candid argument types and result type of a method, as Azle's decorators take them. */
export function candidOf(spec: MethodSpec): [IDL.Type[], IDL.Type] {
    return [spec.args.map((a) => a.idl), spec.ret.idl];
}

/**
 * An `idlFactory` (as `@dfinity/agent` and `@dfinity/pic` expect) from a method table, so the
 * canisters' decorators and the clients read the same definitions.
 *
 * @example
 * const actor = pic.createActor<ServiceOf<typeof SchedulerMethods>>(idlFactory(SchedulerMethods), id);
 */
export function idlFactory(methods: Record<string, MethodSpec>): IDL.InterfaceFactory {
    return ({ IDL: idl }) => {
        const fields: Record<string, IDL.FuncClass> = {};
        for (const [name, m] of Object.entries(methods)) {
            const [argTypes, retType] = candidOf(m);
            const [first, ...rest] = argTypes;
            const args: [] | [IDL.Type, ...IDL.Type[]] = first === undefined ? [] : [first, ...rest];
            fields[name] = idl.Func(args, [retType], m.mode === 'query' ? ['query'] : []);
        }
        return idl.Service(fields);
    };
}

/**
 * Validates an untrusted value (a decoded Candid argument) against a contract's schema and
 * turns the first problem into a typed `InvalidInput` whose `field` is the dotted path.
 *
 * @example
 * parseWith(ScheduleRequestCodec.schema, arg) // { Ok: request } or { Err: { InvalidInput: { field: 'kind.Once.at', ... } } }
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
