import { IDL } from '@dfinity/candid';
import { z } from 'zod';
import { WORKFLOW_LIMITS } from './limits';

/**
 * A small parser for Candid type text, so a definition can declare call argument and reply
 * types as data (`(record { amount: nat; to: principal })`) and the executor can encode and
 * decode without any code from the user. `@dfinity/didc` does this in Node but not inside a
 * canister, hence this subset: bool, text, null, reserved, nat, nat8..64, int, int8..64,
 * float32, float64, principal, blob, opt, vec, record, variant (named or quoted fields,
 * tuple-style records). No type names, no func/service types.
 *
 * @example
 * const r = parseCandidTypes('(record { price: nat64 })');
 * if (r.ok) IDL.decode(r.types, replyBytes);
 */
export type CandidTypesParse = { ok: true; types: IDL.Type[] } | { ok: false; message: string; offset: number };

const PRIMITIVES: Record<string, IDL.Type> = {
    bool: IDL.Bool,
    text: IDL.Text,
    null: IDL.Null,
    reserved: IDL.Reserved,
    nat: IDL.Nat,
    nat8: IDL.Nat8,
    nat16: IDL.Nat16,
    nat32: IDL.Nat32,
    nat64: IDL.Nat64,
    int: IDL.Int,
    int8: IDL.Int8,
    int16: IDL.Int16,
    int32: IDL.Int32,
    int64: IDL.Int64,
    float32: IDL.Float32,
    float64: IDL.Float64,
    principal: IDL.Principal,
    blob: IDL.Vec(IDL.Nat8)
};

/** Nesting bound: keeps the recursive descent (and QuickJS's stack) safe. */
const MAX_DEPTH = 32;

class ParseError extends Error {
    constructor(
        message: string,
        readonly offset: number
    ) {
        super(message);
    }
}

class Parser {
    private pos = 0;
    constructor(private readonly src: string) {}

    parseArgs(): IDL.Type[] {
        this.skip();
        let types: IDL.Type[];
        if (this.peek() === '(') {
            this.pos++;
            types = [];
            this.skip();
            while (this.peek() !== ')') {
                types.push(this.type(0));
                this.skip();
                if (this.peek() === ',') this.pos++;
                else if (this.peek() !== ')') throw new ParseError("expected ',' or ')'", this.pos);
                this.skip();
            }
            this.pos++;
        } else {
            types = [this.type(0)];
        }
        this.skip();
        if (this.pos !== this.src.length) throw new ParseError('unexpected trailing text', this.pos);
        return types;
    }

    private type(depth: number): IDL.Type {
        if (depth > MAX_DEPTH) throw new ParseError('type nested too deeply', this.pos);
        this.skip();
        const at = this.pos;
        const word = this.ident();
        if (word === undefined) throw new ParseError('expected a type', at);
        if (Object.prototype.hasOwnProperty.call(PRIMITIVES, word)) return PRIMITIVES[word];
        switch (word) {
            case 'opt':
                return IDL.Opt(this.type(depth + 1));
            case 'vec':
                return IDL.Vec(this.type(depth + 1));
            case 'record':
                return this.fields(depth, true);
            case 'variant':
                return this.fields(depth, false);
            default:
                throw new ParseError(`unknown type '${word}'`, at);
        }
    }

    private fields(depth: number, isRecord: boolean): IDL.Type {
        this.expect('{');
        const named: Record<string, IDL.Type> = {};
        const unnamed: IDL.Type[] = [];
        this.skip();
        while (this.peek() !== '}') {
            const at = this.pos;
            const name = this.fieldName();
            this.skip();
            if (name !== undefined && this.peek() === ':') {
                this.pos++;
                if (Object.prototype.hasOwnProperty.call(named, name)) throw new ParseError(`duplicate field '${name}'`, at);
                named[name] = this.type(depth + 1);
            } else if (!isRecord && name !== undefined) {
                named[name] = IDL.Null; // `variant { A; B }`
            } else if (isRecord) {
                this.pos = at; // tuple-style field: a bare type
                unnamed.push(this.type(depth + 1));
            } else {
                throw new ParseError('expected a field name', at);
            }
            this.skip();
            if (this.peek() === ';') this.pos++;
            else if (this.peek() !== '}') throw new ParseError("expected ';' or '}'", this.pos);
            this.skip();
        }
        this.pos++;
        if (unnamed.length > 0 && Object.keys(named).length > 0) throw new ParseError('mixes named and tuple fields', this.pos);
        if (unnamed.length > 0) return IDL.Tuple(...unnamed);
        return isRecord ? IDL.Record(named) : IDL.Variant(named);
    }

    private fieldName(): string | undefined {
        if (this.peek() !== '"') return this.ident();
        const end = this.src.indexOf('"', this.pos + 1);
        if (end < 0) throw new ParseError('unterminated string', this.pos);
        const name = this.src.slice(this.pos + 1, end);
        this.pos = end + 1;
        return name;
    }

    private ident(): string | undefined {
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos));
        if (m === null) return undefined;
        this.pos += m[0].length;
        return m[0];
    }

    private expect(c: string): void {
        this.skip();
        if (this.peek() !== c) throw new ParseError(`expected '${c}'`, this.pos);
        this.pos++;
    }

    private peek(): string | undefined {
        return this.src[this.pos];
    }

    private skip(): void {
        while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
    }
}

/** Parses Candid argument/result type text into IDL types; never throws. */
export function parseCandidTypes(text: string): CandidTypesParse {
    try {
        return { ok: true, types: new Parser(text).parseArgs() };
    } catch (e) {
        if (e instanceof ParseError) return { ok: false, message: e.message, offset: e.offset };
        throw e;
    }
}

/** Candid type text that {@link parseCandidTypes} accepts. */
export const CandidTypeTextSchema = z
    .string()
    .max(WORKFLOW_LIMITS.maxCandidTypeChars)
    .superRefine((s, ctx) => {
        const r = parseCandidTypes(s);
        if (!r.ok) ctx.addIssue({ code: 'custom', message: `invalid Candid type at ${r.offset}: ${r.message}` });
    });

/**
 * The case names of a reply that is exactly one Candid variant (e.g. `(variant { Ok: nat; Err: text })`),
 * or `undefined` for any other reply shape.
 *
 * @example
 * const r = parseCandidTypes('(variant { Ok: nat; Err: text })');
 * if (r.ok) replyVariantCases(r.types); // ['Ok', 'Err']
 */
export function replyVariantCases(types: readonly IDL.Type[]): string[] | undefined {
    const only = types.length === 1 ? types[0] : undefined;
    return only instanceof IDL.VariantClass ? only._fields.map(([name]) => name) : undefined;
}
