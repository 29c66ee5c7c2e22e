/**
 * ICP ledger account identifiers (dfinity/ic `rs/ledger_suite/icp/src/account_identifier.rs`):
 * a CRC-32 checksum followed by SHA-224("\x0Aaccount-id" ‖ principal ‖ subaccount), 32 bytes,
 * written as 64 hex digits. And the subaccount icp-cli pays the CMC into for a principal
 * (`ic-ledger-types` `Subaccount::from(Principal)`: length byte, the principal's bytes, zeros).
 */
import { sha224 } from '@noble/hashes/sha256';
import type { Principal } from '@dfinity/principal';

const DOMAIN_SEPARATOR = new Uint8Array([0x0a, ...new TextEncoder().encode('account-id')]);

const CRC32_TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});

/** CRC-32 (IEEE), as the account identifier's checksum. */
export function crc32(bytes: Uint8Array): number {
    let crc = 0xffffffff;
    for (const byte of bytes) crc = CRC32_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
}

export const toHex = (bytes: Uint8Array | number[]): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
export const fromHex = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));

/** The account identifier of `owner`'s `subaccount` (absent: 32 zero bytes), in hex. */
export function accountIdentifier(owner: Principal, subaccount?: Uint8Array | number[]): string {
    const sub = subaccount === undefined ? new Uint8Array(32) : Uint8Array.from(subaccount);
    const hash = sha224(new Uint8Array([...DOMAIN_SEPARATOR, ...owner.toUint8Array(), ...sub]));
    const check = crc32(hash);
    return toHex([(check >>> 24) & 0xff, (check >>> 16) & 0xff, (check >>> 8) & 0xff, check & 0xff, ...hash]);
}

/** The subaccount named after a principal: its length, its bytes, then zeros to 32 bytes. */
export function principalSubaccount(principal: Principal): Uint8Array {
    const bytes = principal.toUint8Array();
    const sub = new Uint8Array(32);
    sub[0] = bytes.length;
    sub.set(bytes, 1);
    return sub;
}
