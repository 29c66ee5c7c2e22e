import { IDL } from '@dfinity/candid';
import type { Codec } from '../common/codec';

/**
 * Encodes a value with a codec's IDL, decodes it back and validates it with the codec's
 * schema: the three views agree when this returns a value equal to the input.
 * For tests (no Node-only modules, so it may also serve a canister self-check).
 *
 * @example
 * expect(roundTrip(ScheduleCodec, schedule)).toEqual(schedule);
 */
export function roundTrip<T>(codec: Codec<T>, value: T): T {
    const bytes = IDL.encode([codec.idl], [value]);
    const [decoded] = IDL.decode([codec.idl], bytes);
    return codec.schema.parse(decoded);
}
