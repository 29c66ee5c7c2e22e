/**
 * Byte encodings for the group-page maps (`stable-group-pages.ts`). Azle's default
 * serializer (`stableJson`) runs every value through `JSON.stringify` with a replacer and a
 * pure-JavaScript UTF-8 encoder; for a page of 32 ids that was most of an add's instructions
 * (docs/architecture.md, Scale). Keys keep the bytes `stableJson` gave them (the JSON string,
 * UTF-8), so stored keys are found and ordered as before; values are versioned by their first
 * byte: `{` is a page or head written as JSON by an older release (still read), a tag byte
 * below it is the compact form written now. So no migration is needed.
 */
import type { GroupHead, GroupPage } from './group-pages';

/** Azle's `Serializable` (a StableBTreeMap's key or value codec), spelt out so this module stays pure. */
export type Serializable<T> = { toBytes: (value: T) => Uint8Array; fromBytes: (bytes: Uint8Array) => T };

const LEGACY_JSON = 0x7b; // '{'
const PAGE_V2 = 0x02;
const HEAD_V2 = 0x03;

/** UTF-8 of `text` (a lone surrogate becomes U+FFFD, as TextEncoder does). */
export function utf8Encode(text: string): Uint8Array {
    const out = new Uint8Array(text.length * 3);
    let at = 0;
    for (let i = 0; i < text.length; i++) {
        let c = text.charCodeAt(i);
        if (c < 0x80) {
            out[at++] = c;
            continue;
        }
        if (c >= 0xd800 && c <= 0xdfff) {
            const next = text.charCodeAt(i + 1);
            if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
                c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
                i += 1;
                out[at++] = 0xf0 | (c >> 18);
                out[at++] = 0x80 | ((c >> 12) & 0x3f);
                out[at++] = 0x80 | ((c >> 6) & 0x3f);
                out[at++] = 0x80 | (c & 0x3f);
                continue;
            }
            c = 0xfffd;
        }
        if (c < 0x800) {
            out[at++] = 0xc0 | (c >> 6);
            out[at++] = 0x80 | (c & 0x3f);
        } else {
            out[at++] = 0xe0 | (c >> 12);
            out[at++] = 0x80 | ((c >> 6) & 0x3f);
            out[at++] = 0x80 | (c & 0x3f);
        }
    }
    return out.subarray(0, at);
}

/** The text of UTF-8 `bytes` (well-formed: written by {@link utf8Encode}). */
export function utf8Decode(bytes: Uint8Array): string {
    let ascii = true;
    for (let i = 0; i < bytes.length; i++) {
        if (bytes[i]! >= 0x80) {
            ascii = false;
            break;
        }
    }
    // One native call for the common case (ids and principals are ASCII).
    if (ascii) return String.fromCharCode.apply(null, Array.from(bytes));
    let text = '';
    for (let i = 0; i < bytes.length; ) {
        const b = bytes[i]!;
        let c: number;
        if (b < 0x80) {
            c = b;
            i += 1;
        } else if (b < 0xe0) {
            c = ((b & 0x1f) << 6) | (bytes[i + 1]! & 0x3f);
            i += 2;
        } else if (b < 0xf0) {
            c = ((b & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
            i += 3;
        } else {
            c = ((b & 0x07) << 18) | ((bytes[i + 1]! & 0x3f) << 12) | ((bytes[i + 2]! & 0x3f) << 6) | (bytes[i + 3]! & 0x3f);
            i += 4;
        }
        text += String.fromCodePoint(c);
    }
    return text;
}

/** String keys, byte for byte as Azle's `stableJson` stores them. */
export const jsonStringKey: Serializable<string> = {
    toBytes: (key: string) => utf8Encode(JSON.stringify(key)),
    fromBytes: (bytes: Uint8Array) => JSON.parse(utf8Decode(bytes)) as string
};

/** A page: tag, id count (u32), then each string (min first) as u32 byte length + UTF-8. */
export function encodePage(page: GroupPage): Uint8Array {
    const parts = [page.min, ...page.ids].map(utf8Encode);
    const out = new Uint8Array(5 + parts.reduce((n, p) => n + 4 + p.length, 0));
    const view = new DataView(out.buffer);
    out[0] = PAGE_V2;
    view.setUint32(1, page.ids.length);
    let at = 5;
    for (const part of parts) {
        view.setUint32(at, part.length);
        out.set(part, at + 4);
        at += 4 + part.length;
    }
    return out;
}

export function decodePage(bytes: Uint8Array): GroupPage {
    if (bytes[0] === LEGACY_JSON) {
        const legacy = JSON.parse(utf8Decode(bytes)) as GroupPage;
        return { min: legacy.min, ids: legacy.ids };
    }
    if (bytes[0] !== PAGE_V2) throw new Error(`invariant: group page with unknown tag ${bytes[0]}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const count = view.getUint32(1);
    let at = 5;
    const next = (): string => {
        const length = view.getUint32(at);
        const text = utf8Decode(bytes.subarray(at + 4, at + 4 + length));
        at += 4 + length;
        return text;
    };
    const min = next();
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(next());
    return { min, ids };
}

/** A head: tag, then first, last and count as float64 (page numbers go below zero). */
export function encodeHead(head: GroupHead): Uint8Array {
    const out = new Uint8Array(25);
    const view = new DataView(out.buffer);
    out[0] = HEAD_V2;
    view.setFloat64(1, head.first);
    view.setFloat64(9, head.last);
    view.setFloat64(17, head.count);
    return out;
}

export function decodeHead(bytes: Uint8Array): GroupHead {
    if (bytes[0] === LEGACY_JSON) {
        const legacy = JSON.parse(utf8Decode(bytes)) as GroupHead;
        return { first: legacy.first, last: legacy.last, count: legacy.count };
    }
    if (bytes[0] !== HEAD_V2) throw new Error(`invariant: group head with unknown tag ${bytes[0]}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { first: view.getFloat64(1), last: view.getFloat64(9), count: view.getFloat64(17) };
}

export const pageSerializer: Serializable<GroupPage> = { toBytes: encodePage, fromBytes: decodePage };
export const headSerializer: Serializable<GroupHead> = { toBytes: encodeHead, fromBytes: decodeHead };
