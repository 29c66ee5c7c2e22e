import { Principal } from '@dfinity/principal';

import type { Account, ApproveArgs, TransferFromArgs } from './interface';
import { allowanceOf, approve, balanceOf, emptyBook, mint, TOKEN_FEE, transferFrom, type TokenBook } from './ledger';

const alice = Principal.fromText('aaaaa-aa');
const aliceAgent = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai');
const bobAgent = Principal.fromText('r7inp-6aaaa-aaaaa-aaabq-cai');
const acct = (owner: Principal, subaccount: [] | [Uint8Array] = []): Account => ({ owner, subaccount });
const approval = (spender: Principal, amount: bigint, extra: Partial<ApproveArgs> = {}): ApproveArgs => ({
    from_subaccount: [], spender: acct(spender), amount, expected_allowance: [], expires_at: [], fee: [], memo: [], created_at_time: [], ...extra
});
const pull = (amount: bigint, to: Principal = bobAgent, extra: Partial<TransferFromArgs> = {}): TransferFromArgs => ({
    spender_subaccount: [], from: acct(alice), to: acct(to), amount, fee: [], memo: [], created_at_time: [], ...extra
});

describe('demo token ledger', () => {
    let book: TokenBook;
    beforeEach(() => {
        book = emptyBook();
        mint(book, acct(alice), 1_000n);
    });

    it('the absent subaccount and the all-zero one are the same account', () => {
        expect(balanceOf(book, acct(alice, [new Uint8Array(32)]))).toBe(1_000n);
        expect(balanceOf(book, acct(alice, [new Uint8Array(32).fill(1)]))).toBe(0n);
    });

    it('an approval is for one spender: another spender has no allowance and moves nothing', () => {
        expect(approve(book, alice, approval(aliceAgent, 500n), 0n)).toEqual({ Ok: 1n });
        expect(balanceOf(book, acct(alice))).toBe(1_000n - TOKEN_FEE);
        expect(transferFrom(book, bobAgent, pull(100n), 0n)).toEqual({ Err: { InsufficientAllowance: { allowance: 0n } } });
        expect(balanceOf(book, acct(alice))).toBe(1_000n - TOKEN_FEE);

        expect(transferFrom(book, aliceAgent, pull(100n, aliceAgent), 0n)).toEqual({ Ok: 2n });
        expect(balanceOf(book, acct(alice))).toBe(1_000n - TOKEN_FEE - 100n - TOKEN_FEE);
        expect(balanceOf(book, acct(aliceAgent))).toBe(100n);
        expect(allowanceOf(book, acct(alice), acct(aliceAgent), 0n)).toEqual({ allowance: 500n - 100n - TOKEN_FEE, expires_at: [] });
    });

    it('the allowance covers amount and fee; beyond it nothing moves', () => {
        approve(book, alice, approval(aliceAgent, 100n), 0n);
        expect(transferFrom(book, aliceAgent, pull(100n), 0n)).toEqual({ Err: { InsufficientAllowance: { allowance: 100n } } });
        expect(balanceOf(book, acct(bobAgent))).toBe(0n);
    });

    it('refuses a wrong fee, a stale expected allowance, an expiry in the past; an expired allowance is zero', () => {
        expect(approve(book, alice, approval(aliceAgent, 1n, { fee: [1n] }), 0n)).toEqual({ Err: { BadFee: { expected_fee: TOKEN_FEE } } });
        expect(approve(book, alice, approval(aliceAgent, 1n, { expected_allowance: [5n] }), 0n)).toEqual({ Err: { AllowanceChanged: { current_allowance: 0n } } });
        expect(approve(book, alice, approval(aliceAgent, 1n, { expires_at: [10n] }), 10n)).toEqual({ Err: { Expired: { ledger_time: 10n } } });
        approve(book, alice, approval(aliceAgent, 300n, { expires_at: [20n] }), 10n);
        expect(allowanceOf(book, acct(alice), acct(aliceAgent), 19n).allowance).toBe(300n);
        expect(transferFrom(book, aliceAgent, pull(50n), 20n)).toEqual({ Err: { InsufficientAllowance: { allowance: 0n } } });
    });

    it('refuses what the balance cannot pay', () => {
        approve(book, alice, approval(aliceAgent, 10_000n), 0n);
        expect(transferFrom(book, aliceAgent, pull(990n), 0n)).toEqual({ Err: { InsufficientFunds: { balance: 1_000n - TOKEN_FEE } } });
        const poor = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
        expect(approve(book, poor, approval(aliceAgent, 1n), 0n)).toEqual({ Err: { InsufficientFunds: { balance: 0n } } });
    });
});
