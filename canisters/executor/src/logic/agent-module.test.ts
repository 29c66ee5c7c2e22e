import { createHash } from 'node:crypto';

import { agentSubnetFor, agentSubnetsRefusal, chunkRefusal, hexOf, MAX_AGENT_SUBNETS, MAX_CHUNK_BYTES, MAX_MODULE_CHUNKS, moduleRefusal } from './agent-module';

const sha256 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());
const tag = (e: object | undefined): string | undefined => (e === undefined ? undefined : Object.keys(e)[0]);

describe('agent module chunks', () => {
    it('takes 1 byte to 1 MiB while fewer than the maximum are stored', () => {
        expect(chunkRefusal(new Uint8Array(1), 0)).toBeUndefined();
        expect(chunkRefusal(new Uint8Array(MAX_CHUNK_BYTES), MAX_MODULE_CHUNKS - 1)).toBeUndefined();
        expect(tag(chunkRefusal(new Uint8Array(0), 0))).toBe('InvalidInput');
        expect(tag(chunkRefusal(new Uint8Array(MAX_CHUNK_BYTES + 1), 0))).toBe('InvalidInput');
        expect(tag(chunkRefusal(new Uint8Array(1), MAX_MODULE_CHUNKS))).toBe('LimitExceeded');
    });
});

describe('setting the agent module', () => {
    const a = new Uint8Array([1, 2, 3]);
    const b = new Uint8Array([4, 5]);
    const store = new Map([a, b].map((c) => [hexOf(sha256(c)), c]));
    const chunkOf = (h: string): Uint8Array | undefined => store.get(h);
    const whole = sha256(new Uint8Array([1, 2, 3, 4, 5]));

    it('accepts stored chunks whose assembly in order has the module hash', () => {
        expect(moduleRefusal([sha256(a), sha256(b)], whole, chunkOf, sha256)).toBeUndefined();
    });

    it('refuses chunks out of order, a missing chunk, a bad hash length or no chunk', () => {
        expect(tag(moduleRefusal([sha256(b), sha256(a)], whole, chunkOf, sha256))).toBe('InvalidInput');
        expect(tag(moduleRefusal([sha256(a), sha256(new Uint8Array([9]))], whole, chunkOf, sha256))).toBe('NotFound');
        expect(tag(moduleRefusal([new Uint8Array(31)], whole, chunkOf, sha256))).toBe('InvalidInput');
        expect(tag(moduleRefusal([], whole, chunkOf, sha256))).toBe('InvalidInput');
    });
});

describe('agent subnets', () => {
    it('spreads agents over the configured subnets in turn, or none (the executor\'s own)', () => {
        expect([0, 1, 2, 3].map((i) => agentSubnetFor(['a', 'b'], i))).toEqual(['a', 'b', 'a', 'b']);
        expect(agentSubnetFor([], 5)).toBeUndefined();
    });

    it('refuses a subnet named twice or too many subnets', () => {
        expect(agentSubnetsRefusal([])).toBeUndefined();
        expect(agentSubnetsRefusal(['a', 'b'])).toBeUndefined();
        expect(tag(agentSubnetsRefusal(['a', 'a']))).toBe('InvalidInput');
        expect(tag(agentSubnetsRefusal(Array.from({ length: MAX_AGENT_SUBNETS + 1 }, (_, i) => `s${i}`)))).toBe('LimitExceeded');
    });
});
