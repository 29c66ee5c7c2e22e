/**
 * Canister metadata in a built wasm: the custom sections `icp:public <name>` /
 * `icp:private <name>` that the IC serves at read_state `/canister/<id>/metadata/<name>`.
 * Azle 0.33 builds carry none; the build adds `icp:public candid:service` (the canister's
 * Candid interface) so clients such as `icp canister call` and dfx show field names instead
 * of hashes. Pure byte manipulation, no ic-wasm needed.
 */
import { encodeU32, readSections } from '../localnet/src/engine/wasm-binary';

const CUSTOM_SECTION = 0;

function nameOf(wasm: Uint8Array, start: number, end: number): { name: string; payloadStart: number } | null {
    let length = 0;
    let shift = 0;
    let offset = start;
    for (; offset < end; offset++) {
        const byte = wasm[offset]!;
        length |= (byte & 0x7f) << shift;
        shift += 7;
        if ((byte & 0x80) === 0) break;
    }
    offset++;
    if (offset + length > end) return null;
    return { name: Buffer.from(wasm.subarray(offset, offset + length)).toString('utf8'), payloadStart: offset + length };
}

/** The content of custom section `name`, or null when the module has none. */
export function customSection(wasm: Uint8Array, name: string): Uint8Array | null {
    for (const section of readSections(wasm)) {
        if (section.id !== CUSTOM_SECTION) continue;
        const named = nameOf(wasm, section.start, section.end);
        if (named?.name === name) return wasm.subarray(named.payloadStart, section.end);
    }
    return null;
}

/**
 * The module with custom section `name` set to `content`: appended when absent, unchanged
 * when already equal; a module holding a different content under that name is refused (the
 * build made it; rebuild instead of editing it twice).
 */
export function withCustomSection(wasm: Uint8Array, name: string, content: Uint8Array): Uint8Array {
    const existing = customSection(wasm, name);
    if (existing !== null) {
        if (Buffer.from(existing).equals(Buffer.from(content))) return wasm;
        throw new Error(`the module already has a different custom section "${name}"`);
    }
    const nameBytes = new TextEncoder().encode(name);
    const body = [...encodeU32(nameBytes.length), ...nameBytes];
    const size = body.length + content.length;
    const header = Uint8Array.from([CUSTOM_SECTION, ...encodeU32(size), ...body]);
    const out = new Uint8Array(wasm.length + header.length + content.length);
    out.set(wasm, 0);
    out.set(header, wasm.length);
    out.set(content, wasm.length + header.length);
    return out;
}
