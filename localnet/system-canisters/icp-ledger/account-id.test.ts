import { Principal } from '@dfinity/principal';

import { accountIdentifier, crc32, principalSubaccount } from './account-id';

describe('ICP ledger account identifiers', () => {
    it('computes the well-known account identifier of the anonymous principal', () => {
        expect(accountIdentifier(Principal.anonymous())).toBe('1c7a48ba6a562aa9eaa2481a9049cdf0433b9738c992d698c31d8abf89cadc79');
        expect(accountIdentifier(Principal.anonymous(), new Uint8Array(32))).toBe(accountIdentifier(Principal.anonymous()));
    });

    it('checksums with CRC-32 (IEEE)', () => {
        expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    });

    it('names a subaccount after a principal: length byte, bytes, zero padding', () => {
        const principal = Principal.fromText('rkp4c-7iaaa-aaaaa-aaaca-cai');
        const sub = principalSubaccount(principal);
        expect(sub).toHaveLength(32);
        expect(Array.from(sub.slice(0, 11))).toEqual([10, 0, 0, 0, 0, 0, 0, 0, 4, 1, 1]);
        expect(sub.slice(11).every((b) => b === 0)).toBe(true);
    });
});
