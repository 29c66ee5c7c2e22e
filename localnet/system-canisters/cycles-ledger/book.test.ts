import { Principal } from '@dfinity/principal';

import { CYCLES_LEDGER_FEE } from '../common/interfaces';
import { accountKey, balanceOf, checkFee, refuseCreatedAtTime, rejectionCodeOf, transfer } from './book';

const alice = Principal.fromText('2vxsx-fae');

describe('cycles ledger book', () => {
    it('treats an absent and an all-zero subaccount as the same account, others apart, and refuses a subaccount that is not 32 bytes', () => {
        expect(accountKey({ owner: alice, subaccount: [] })).toBe(accountKey({ owner: alice, subaccount: [new Uint8Array(32)] }));
        const other = new Uint8Array(32);
        other[31] = 1;
        expect(accountKey({ owner: alice, subaccount: [other] })).not.toBe(accountKey({ owner: alice, subaccount: [] }));
        expect(accountKey({ owner: alice, subaccount: [new Uint8Array(3)] })).toMatchObject({ GenericError: { message: 'a subaccount is 32 bytes, got 3' } });
    });

    it('moves cycles and burns the fee, and refuses an overdraft without changing anything', () => {
        const store = new Map<string, bigint>([['a', 1_000_000_000n]]);
        expect(transfer(store, 'a', 'b', 400_000_000n)).toBeNull();
        expect(balanceOf(store, 'a')).toBe(1_000_000_000n - 400_000_000n - CYCLES_LEDGER_FEE);
        expect(balanceOf(store, 'b')).toBe(400_000_000n);
        expect(transfer(store, 'a', 'b', 500_000_000n)).toEqual({ InsufficientFunds: { balance: 500_000_000n } });
        expect(balanceOf(store, 'a')).toBe(500_000_000n);
        expect(balanceOf(store, 'b')).toBe(400_000_000n);
    });

    it('accepts only the ledger fee and refuses created_at_time (no deduplication here)', () => {
        expect(checkFee([])).toBeNull();
        expect(checkFee([CYCLES_LEDGER_FEE])).toBeNull();
        expect(checkFee([1n])).toEqual({ BadFee: { expected_fee: CYCLES_LEDGER_FEE } });
        expect(refuseCreatedAtTime([])).toBeNull();
        expect(refuseCreatedAtTime([1n])).toHaveProperty('GenericError');
    });

    it("names the IC's reject codes as the cycles ledger does, and any other as Unknown", () => {
        expect([1, 2, 3, 4, 5].map(rejectionCodeOf)).toEqual([{ SysFatal: null }, { SysTransient: null }, { DestinationInvalid: null }, { CanisterReject: null }, { CanisterError: null }]);
        expect(rejectionCodeOf(9)).toEqual({ Unknown: null });
        expect(rejectionCodeOf(undefined)).toEqual({ Unknown: null });
    });
});
