import type { OverlapPolicy } from '../../../../shared/scheduling/schedule';
import { assertNever } from '../../../../shared/common/result';
import { tagOf } from '../../../../shared/common/codec';

/** Most runs of one schedule in flight at once, even with `Allow`: bounds state and load. */
export const MAX_IN_FLIGHT_PER_SCHEDULE = 16;

/**
 * Decision for one due time given the runs of the same schedule still in flight:
 * start it, hold it back as the buffered run (`replaces`: an older buffered due time is
 * dropped), or skip it.
 */
export type OverlapDecision =
    | { kind: 'Start' }
    | { kind: 'Buffer'; replaces: bigint | undefined }
    | { kind: 'Skip'; reason: 'Overlap' | 'Backpressure' };

/**
 * Applies an overlap policy.
 *
 * @example
 * decideOverlap({ Skip: null }, 1, undefined)      // { kind: 'Skip', reason: 'Overlap' }
 * decideOverlap({ BufferOne: null }, 1, 100n)      // { kind: 'Buffer', replaces: 100n }
 * decideOverlap({ Allow: null }, 1, undefined)     // { kind: 'Start' }
 */
export function decideOverlap(
    policy: OverlapPolicy,
    inFlight: number,
    buffered: bigint | undefined,
    maxInFlight: number = MAX_IN_FLIGHT_PER_SCHEDULE
): OverlapDecision {
    if (inFlight === 0) return { kind: 'Start' };
    const tag = tagOf(policy);
    switch (tag) {
        case 'Skip':
            return { kind: 'Skip', reason: 'Overlap' };
        case 'BufferOne':
            return { kind: 'Buffer', replaces: buffered };
        case 'Allow':
            return inFlight < maxInFlight ? { kind: 'Start' } : { kind: 'Skip', reason: 'Backpressure' };
        default:
            return assertNever(tag, 'overlap policy');
    }
}
