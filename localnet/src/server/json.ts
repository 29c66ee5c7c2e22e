/**
 * JSON with exact integers. PocketIC sends u64 times and u128 cycle counts as bare JSON numbers,
 * which `JSON.parse` rounds to doubles above 2^53; Node 20 has neither `JSON.rawJSON` nor the
 * reviver `context.source`, so both directions are written by hand here.
 */

export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;
export type JsonObject = { [key: string]: JsonValue };

/** A syntax error in a request body; the REST layer answers 400. */
export class JsonSyntaxError extends Error {
    constructor(message: string, readonly position: number) {
        super(`${message} at position ${position}`);
        this.name = 'JsonSyntaxError';
    }
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const CONTROL_CHARACTER = /[\u0000-\u001f]/;
const NUMBER_LITERAL = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

/**
 * Parses JSON text. Integer literals outside the safe double range become `bigint` (exact);
 * every other number becomes a `number`, so no integer ever loses precision.
 * Throws {@link JsonSyntaxError} on malformed input.
 */
export function parseJson(text: string): JsonValue {
    const parser = new Parser(text);
    const value = parser.value();
    parser.skipWhitespace();
    if (!parser.atEnd()) throw new JsonSyntaxError('unexpected trailing characters', parser.position);
    return value;
}

class Parser {
    position = 0;

    constructor(private readonly text: string) {}

    atEnd(): boolean {
        return this.position >= this.text.length;
    }

    skipWhitespace(): void {
        while (!this.atEnd() && WHITESPACE.has(this.text.charCodeAt(this.position))) this.position++;
    }

    value(): JsonValue {
        this.skipWhitespace();
        const char = this.text[this.position];
        switch (char) {
            case '{':
                return this.object();
            case '[':
                return this.array();
            case '"':
                return this.string();
            case 't':
                return this.keyword('true', true);
            case 'f':
                return this.keyword('false', false);
            case 'n':
                return this.keyword('null', null);
            default:
                return this.number();
        }
    }

    private object(): JsonObject {
        this.position++; // '{'
        // A null prototype keeps keys such as "__proto__" plain data.
        const result: JsonObject = Object.create(null);
        this.skipWhitespace();
        if (this.text[this.position] === '}') {
            this.position++;
            return result;
        }
        for (;;) {
            this.skipWhitespace();
            if (this.text[this.position] !== '"') throw new JsonSyntaxError('expected a string key', this.position);
            const key = this.string();
            this.expect(':');
            result[key] = this.value();
            this.skipWhitespace();
            if (this.text[this.position] === ',') {
                this.position++;
                continue;
            }
            this.expect('}');
            return result;
        }
    }

    private array(): JsonValue[] {
        this.position++; // '['
        const result: JsonValue[] = [];
        this.skipWhitespace();
        if (this.text[this.position] === ']') {
            this.position++;
            return result;
        }
        for (;;) {
            result.push(this.value());
            this.skipWhitespace();
            if (this.text[this.position] === ',') {
                this.position++;
                continue;
            }
            this.expect(']');
            return result;
        }
    }

    private string(): string {
        // Found with indexOf rather than one regex: a regex loop over a megabyte of base64
        // overflows V8's backtracking stack.
        const start = this.position;
        let end = this.text.indexOf('"', start + 1);
        while (end !== -1 && isEscaped(this.text, end)) end = this.text.indexOf('"', end + 1);
        if (end === -1) throw new JsonSyntaxError('unterminated string', start);
        this.position = end + 1;
        const literal = this.text.slice(start, end + 1);
        // Payloads never contain escapes; JSON.parse decodes (and validates) the rare ones that do.
        if (literal.includes('\\')) {
            try {
                return JSON.parse(literal) as string;
            } catch {
                throw new JsonSyntaxError('malformed string', start);
            }
        }
        if (CONTROL_CHARACTER.test(literal)) throw new JsonSyntaxError('control character in string', start);
        return literal.slice(1, -1);
    }

    private number(): number | bigint {
        NUMBER_LITERAL.lastIndex = this.position;
        const match = NUMBER_LITERAL.exec(this.text);
        if (match === null) throw new JsonSyntaxError('unexpected character', this.position);
        this.position += match[0].length;
        const isInteger = match[1] === undefined && match[2] === undefined;
        if (isInteger) {
            const exact = BigInt(match[0]);
            const inSafeRange = exact <= BigInt(Number.MAX_SAFE_INTEGER) && exact >= BigInt(Number.MIN_SAFE_INTEGER);
            return inSafeRange ? Number(exact) : exact;
        }
        return Number(match[0]);
    }

    private keyword<T extends JsonValue>(word: string, value: T): T {
        if (!this.text.startsWith(word, this.position)) throw new JsonSyntaxError('unexpected character', this.position);
        this.position += word.length;
        return value;
    }

    private expect(char: string): void {
        this.skipWhitespace();
        if (this.text[this.position] !== char) throw new JsonSyntaxError(`expected '${char}'`, this.position);
        this.position++;
    }
}

/** True if the character at `index` follows an odd number of backslashes. */
function isEscaped(text: string, index: number): boolean {
    let backslashes = 0;
    for (let i = index - 1; i >= 0 && text.charCodeAt(i) === 0x5c; i--) backslashes++;
    return backslashes % 2 === 1;
}

/**
 * Serialises a value as compact JSON, writing `bigint` as a bare JSON number (as PocketIC and
 * pic-js's `json-with-bigint` do). Object entries whose value is `undefined` are omitted.
 */
export function stringifyJson(value: JsonValue): string {
    const parts: string[] = [];
    write(value, parts);
    return parts.join('');
}

function write(value: JsonValue | undefined, parts: string[]): void {
    if (value === null || value === undefined) {
        parts.push('null');
    } else if (typeof value === 'bigint') {
        parts.push(value.toString());
    } else if (typeof value === 'number') {
        // Same rule as JSON.stringify: non-finite numbers have no JSON form.
        parts.push(Number.isFinite(value) ? String(value) : 'null');
    } else if (typeof value === 'boolean' || typeof value === 'string') {
        parts.push(JSON.stringify(value));
    } else if (Array.isArray(value)) {
        parts.push('[');
        value.forEach((element, index) => {
            if (index > 0) parts.push(',');
            write(element, parts);
        });
        parts.push(']');
    } else {
        parts.push('{');
        let first = true;
        for (const [key, element] of Object.entries(value)) {
            if (element === undefined) continue;
            if (!first) parts.push(',');
            first = false;
            parts.push(JSON.stringify(key), ':');
            write(element, parts);
        }
        parts.push('}');
    }
}
