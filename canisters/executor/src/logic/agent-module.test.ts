import { createHash } from 'node:crypto';

import { agentSubnetFor, agentSubnetsRefusal, chunkHashMismatch, chunkRefusal, hexOf, MAX_AGENT_SUBNETS, MAX_CHUNK_BYTES, MAX_MODULE_CHUNKS, moduleHashMismatch, moduleRefusal } from './agent-module';

const sha256 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());
const tag = (e: object | undefined): string | undefined => (e === undefined ? undefined : Object.keys(e)[0]);

describe('agent module chunks', () => {
    const hash = new Uint8Array(32);
    it('takes 1 byte to 1 MiB with a 32-byte hash while fewer than the maximum are stored', () => {
        expect(chunkRefusal(new Uint8Array(1), hash, 0)).toBeUndefined();
        expect(chunkRefusal(new Uint8Array(MAX_CHUNK_BYTES), hash, MAX_MODULE_CHUNKS - 1)).toBeUndefined();
        expect(tag(chunkRefusal(new Uint8Array(0), hash, 0))).toBe('InvalidInput');
        expect(tag(chunkRefusal(new Uint8Array(MAX_CHUNK_BYTES + 1), hash, 0))).toBe('InvalidInput');
        expect(tag(chunkRefusal(new Uint8Array(1), new Uint8Array(31), 0))).toBe('InvalidInput');
        expect(tag(chunkRefusal(new Uint8Array(1), hash, MAX_MODULE_CHUNKS))).toBe('LimitExceeded');
    });

    it('names a chunk whose hash computed by the management canister is not the one it was uploaded under', () => {
        const a = sha256(new Uint8Array([1]));
        expect(chunkHashMismatch(a, Uint8Array.from(a))).toBeUndefined();
        expect(chunkHashMismatch(a, sha256(new Uint8Array([2])))).toContain(`chunk ${hexOf(a)} of the agent module has the sha256 ${hexOf(sha256(new Uint8Array([2])))}`);
    });
});

describe('setting the agent module', () => {
    const a = new Uint8Array([1, 2, 3]);
    const b = new Uint8Array([4, 5]);
    const stored = new Set([a, b].map((c) => hexOf(sha256(c))));
    const isStored = (h: string): boolean => stored.has(h);
    const whole = sha256(new Uint8Array([1, 2, 3, 4, 5]));

    it('accepts stored chunks, in any order (the management canister checks the whole module hash at install)', () => {
        expect(moduleRefusal([sha256(a), sha256(b)], whole, isStored)).toBeUndefined();
        expect(moduleRefusal([sha256(b), sha256(a)], whole, isStored)).toBeUndefined();
    });

    it('refuses a missing chunk, a bad hash length or no chunk', () => {
        expect(tag(moduleRefusal([sha256(a), sha256(new Uint8Array([9]))], whole, isStored))).toBe('NotFound');
        expect(tag(moduleRefusal([new Uint8Array(31)], whole, isStored))).toBe('InvalidInput');
        expect(tag(moduleRefusal([sha256(a)], new Uint8Array(31), isStored))).toBe('InvalidInput');
        expect(tag(moduleRefusal([], whole, isStored))).toBe('InvalidInput');
    });
});

describe("the management canister's refusal of a wrong whole-module hash", () => {
    const declared = sha256(new Uint8Array([1]));
    const actual = sha256(new Uint8Array([2]));
    // As the replica's canister manager words it (hashes as Rust byte arrays), and as deflow-localnet does.
    const replica = `Error from Wasm chunk store: Wasm module hash [${Array.from(actual).join(', ')}] does not match given hash WasmHash([${Array.from(declared).join(', ')}]).`;
    const localnet = `Error from Canister aaaaa-aa: the assembled module's hash ${hexOf(actual)} does not match wasm_module_hash ${hexOf(declared)}`;

    it('is a refusal of the module for good, naming the declared hash and the answer (which names the computed one)', () => {
        for (const answer of [replica, localnet]) {
            const why = moduleHashMismatch(declared, 5, answer);
            expect(why).toContain(`of the sha256 ${hexOf(declared)} named by set_agent_module`);
            expect(why).toContain(answer);
        }
    });

    it('leaves every other reject of the install to be tried again (out of cycles, a missing chunk, another code)', () => {
        expect(moduleHashMismatch(declared, 5, 'Canister abc is out of cycles')).toBeUndefined();
        expect(moduleHashMismatch(declared, 5, `Error from Canister aaaaa-aa: chunk ${hexOf(actual)} is not in the chunk store of abc`)).toBeUndefined();
        expect(moduleHashMismatch(declared, 2, replica)).toBeUndefined();
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
