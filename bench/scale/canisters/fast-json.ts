/**
 * A bulk load's value encoding: the bytes Azle's default serializer (`stableJson`) writes,
 * made with fewer instructions. `stableJson.toBytes` runs `JSON.stringify` with a replacer of
 * some twenty type checks per value and a pure-JavaScript UTF-8 encoder that builds an array of
 * code points; most of a loaded record's instructions were spent there. While
 * {@link withFastJson} runs, `stableJson.toBytes` (the object every StableBTreeMap with the
 * default serializer holds) answers the same bytes from a replacer that passes plain values
 * through at once and the project's UTF-8 encoder, and encodes each of `constants` (values
 * the load stores under many keys, not changed while it runs) only once. Only the bench builds'
 * `bulk_load` calls it; every other message keeps Azle's own encoder, so measured messages
 * are unaffected.
 */
import { jsonReplacer, stableJson } from 'azle';

import { fastJsonEncoder } from './fast-json-encoder';

/** The bytes `stableJson.toBytes(value)` gives. */
export const fastJsonBytes = fastJsonEncoder(jsonReplacer);

/** Runs `work` with `stableJson.toBytes` answered by {@link fastJsonBytes} (same bytes), restoring Azle's afterwards. */
export function withFastJson<T>(work: () => T, constants: object[] = []): T {
    const original = stableJson.toBytes;
    const encoded = new Map<unknown, Uint8Array>(constants.map((value) => [value, fastJsonBytes(value)]));
    stableJson.toBytes = (value: unknown): Uint8Array => encoded.get(value) ?? fastJsonBytes(value);
    try {
        return work();
    } finally {
        stableJson.toBytes = original;
    }
}
