import type { OverlapPolicy } from '../../../../shared/scheduling/schedule';
import { decideOverlap, type OverlapDecision } from './overlap';

describe('Scheduler > overlap policy', () => {
    it.each<[string, OverlapPolicy, number, bigint | undefined, OverlapDecision]>([
        ['Skip, idle', { Skip: null }, 0, undefined, { kind: 'Start' }],
        ['Skip, running', { Skip: null }, 1, undefined, { kind: 'Skip', reason: 'Overlap' }],
        ['BufferOne, idle', { BufferOne: null }, 0, undefined, { kind: 'Start' }],
        ['BufferOne, running, nothing buffered', { BufferOne: null }, 1, undefined, { kind: 'Buffer', replaces: undefined }],
        ['BufferOne, running, one buffered: replaced', { BufferOne: null }, 1, 100n, { kind: 'Buffer', replaces: 100n }],
        ['Allow, running', { Allow: null }, 3, undefined, { kind: 'Start' }],
        ['Allow, at the in-flight cap', { Allow: null }, 16, undefined, { kind: 'Skip', reason: 'Backpressure' }]
    ])('%s', (_name, policy, inFlight, buffered, expected) => {
        expect(decideOverlap(policy, inFlight, buffered)).toEqual(expected);
    });
});
