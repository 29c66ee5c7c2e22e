import { customSection, withCustomSection } from './wasm-metadata';

/** The smallest valid module: magic and version, no sections. */
const EMPTY_MODULE = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

describe('build > wasm metadata', () => {
    const did = new TextEncoder().encode('service : { greet : (text) -> (text) query }');

    it('adds a custom section that WebAssembly itself reads back, and compiles', () => {
        const wasm = withCustomSection(EMPTY_MODULE, 'icp:public candid:service', did);
        const module = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
        const [section] = WebAssembly.Module.customSections(module, 'icp:public candid:service');
        expect(Buffer.from(section!).toString('utf8')).toBe('service : { greet : (text) -> (text) query }');
        expect(Buffer.from(customSection(wasm, 'icp:public candid:service')!).equals(Buffer.from(did))).toBe(true);
    });

    it('is idempotent and refuses a different content under the same name', () => {
        const once = withCustomSection(EMPTY_MODULE, 'icp:public candid:service', did);
        expect(withCustomSection(once, 'icp:public candid:service', did)).toBe(once);
        expect(() => withCustomSection(once, 'icp:public candid:service', new Uint8Array([1]))).toThrow(/different custom section/);
        expect(customSection(once, 'icp:private candid:service')).toBeNull();
    });

    it('handles a section larger than 127 bytes (multi-byte sizes)', () => {
        const big = new Uint8Array(70_000).fill(0x41);
        const wasm = withCustomSection(EMPTY_MODULE, 'icp:public candid:service', big);
        expect(WebAssembly.Module.customSections(new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>), 'icp:public candid:service')[0]!.byteLength).toBe(70_000);
    });
});
