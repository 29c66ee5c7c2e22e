/**
 * Canister ids as PocketIC (≤ v14) allocates them on the first application subnet:
 * `u64_BE(0xFFFFFFFFFFE00000 + n) ‖ 0x01 0x01`.
 */
import { Principal } from '@dfinity/principal';

const FIRST_APP_SUBNET_START = 0xffff_ffff_ffe0_0000n;

/** The id of the `index`-th canister created on the first application subnet (0-based). */
export function appSubnetCanisterId(index: number): Principal {
    const bytes = new Uint8Array(10);
    new DataView(bytes.buffer).setBigUint64(0, FIRST_APP_SUBNET_START + BigInt(index));
    bytes[8] = 1;
    bytes[9] = 1;
    return Principal.fromUint8Array(bytes);
}
