/**
 * The encoder of fast-json.ts, pure (given Azle's `jsonReplacer`) so it is unit tested under
 * jest, which cannot import azle.
 */
import { utf8Encode } from '../../../canisters/common/indexes/page-codec';

type Replacer = (key: string, value: unknown) => unknown;

/**
 * `JSON.stringify` with `fallback` (Azle's `jsonReplacer`) run only for values it may change,
 * then UTF-8: strings, booleans, finite numbers other than -0, null, plain objects and arrays
 * (which it returns unchanged) are passed through without its twenty type checks.
 */
export function fastJsonEncoder(fallback: Replacer): (value: unknown) => Uint8Array {
    const replacer = (key: string, value: unknown): unknown => {
        switch (typeof value) {
            case 'string':
            case 'boolean':
                return value;
            case 'number':
                return Number.isFinite(value) && !Object.is(value, -0) ? value : fallback(key, value);
            case 'object': {
                if (value === null) return value;
                const proto: unknown = Object.getPrototypeOf(value);
                if ((proto === Object.prototype || proto === Array.prototype) && (value as { _isPrincipal?: unknown })._isPrincipal !== true) return value;
                return fallback(key, value);
            }
            default:
                return fallback(key, value);
        }
    };
    return (value) => utf8Encode(JSON.stringify(value, replacer));
}
