import { Principal } from '@dfinity/principal';

import { ICP_LEDGER_FEE_E8S, MEMO_MINT_CYCLES, PERMITTED_DRIFT_NANOS, TRANSACTION_WINDOW_NANOS, type IcpTransferArgsValue } from '../common/icp-interfaces';
import { candidBlock, decodeBlock, dedupKey, encodeBlock, fromIcrc1, icrc1Error, refusedTransfer, type IcpBlock } from './ledger';

const NOW = 1_800_000_000_000_000_000n;
const transferArgs = (overrides: Partial<IcpTransferArgsValue> = {}): IcpTransferArgsValue => ({
    memo: MEMO_MINT_CYCLES,
    amount: { e8s: 100_000_000n },
    fee: { e8s: ICP_LEDGER_FEE_E8S },
    from_subaccount: [],
    to: new Uint8Array(32),
    created_at_time: [],
    ...overrides
});

describe('ICP ledger rules', () => {
    it('accepts a transfer of exactly the balance less the fee, and refuses one e8 more with the balance', () => {
        const balance = 100_000_000n + ICP_LEDGER_FEE_E8S;
        expect(refusedTransfer(transferArgs(), balance, NOW, undefined)).toBeNull();
        expect(refusedTransfer(transferArgs(), balance - 1n, NOW, undefined)).toEqual({ InsufficientFunds: { balance: { e8s: balance - 1n } } });
    });

    it('refuses any fee but 0.0001 ICP, before looking at the funds', () => {
        expect(refusedTransfer(transferArgs({ fee: { e8s: 0n } }), 0n, NOW, undefined)).toEqual({ BadFee: { expected_fee: { e8s: 10_000n } } });
    });

    it('refuses a created_at_time outside the 24 h window or ahead of the clock, and a duplicate within it', () => {
        const at = (timestamp_nanos: bigint): IcpTransferArgsValue => transferArgs({ created_at_time: [{ timestamp_nanos }] });
        const rich = 10n ** 15n;
        expect(refusedTransfer(at(NOW - TRANSACTION_WINDOW_NANOS - PERMITTED_DRIFT_NANOS - 1n), rich, NOW, undefined)).toEqual({ TxTooOld: { allowed_window_nanos: TRANSACTION_WINDOW_NANOS } });
        expect(refusedTransfer(at(NOW - TRANSACTION_WINDOW_NANOS), rich, NOW, undefined)).toBeNull();
        expect(refusedTransfer(at(NOW + PERMITTED_DRIFT_NANOS + 1n), rich, NOW, undefined)).toEqual({ TxCreatedInFuture: null });
        expect(refusedTransfer(at(NOW), rich, NOW, 7n)).toEqual({ TxDuplicate: { duplicate_of: 7n } });
    });

    it('deduplicates only transactions that carry created_at_time, by all their fields', () => {
        expect(dedupKey('a', transferArgs(), 'b')).toBeUndefined();
        const timed = transferArgs({ created_at_time: [{ timestamp_nanos: NOW }] });
        expect(dedupKey('a', timed, 'b')).toBe(dedupKey('a', transferArgs({ created_at_time: [{ timestamp_nanos: NOW }] }), 'b'));
        expect(dedupKey('a', { ...timed, memo: 1n }, 'b')).not.toBe(dedupKey('a', timed, 'b'));
    });

    it('keeps blocks as text with their bigints, and answers them as query_blocks blocks', () => {
        const block: IcpBlock = { kind: 'Transfer', from: 'ab'.repeat(32), to: 'cd'.repeat(32), amount: 5n, fee: ICP_LEDGER_FEE_E8S, memo: MEMO_MINT_CYCLES, createdAt: NOW, timestamp: NOW + 1n };
        expect(decodeBlock(encodeBlock(block))).toEqual(block);
        const candid = candidBlock(block);
        expect(candid.transaction.memo).toBe(MEMO_MINT_CYCLES);
        expect(candid.timestamp.timestamp_nanos).toBe(NOW + 1n);
        const operation = candid.transaction.operation[0]!;
        expect('Transfer' in operation && Array.from(operation.Transfer.to)).toEqual(new Array(32).fill(0xcd));
    });

    it('takes an ICRC-1 transfer as its own (absent fee: the ledger\'s; legacy memo 0) and names its refusals as ICRC-1 does', () => {
        const to = new Uint8Array(32);
        const icrc = { from_subaccount: [] as [], to: { owner: Principal.anonymous(), subaccount: [] as [] }, amount: 5n, fee: [] as [], memo: [] as [], created_at_time: [NOW] as [bigint] };
        expect(fromIcrc1(icrc, to)).toEqual({ memo: 0n, amount: { e8s: 5n }, fee: { e8s: ICP_LEDGER_FEE_E8S }, from_subaccount: [], to, created_at_time: [{ timestamp_nanos: NOW }] });
        expect(fromIcrc1({ ...icrc, amount: 2n ** 64n }, to)).toHaveProperty('GenericError');
        expect(icrc1Error({ BadFee: { expected_fee: { e8s: 10_000n } } }, NOW)).toEqual({ BadFee: { expected_fee: 10_000n } });
        expect(icrc1Error({ InsufficientFunds: { balance: { e8s: 3n } } }, NOW)).toEqual({ InsufficientFunds: { balance: 3n } });
        expect(icrc1Error({ TxTooOld: { allowed_window_nanos: 1n } }, NOW)).toEqual({ TooOld: null });
        expect(icrc1Error({ TxCreatedInFuture: null }, NOW)).toEqual({ CreatedInFuture: { ledger_time: NOW } });
        expect(icrc1Error({ TxDuplicate: { duplicate_of: 4n } }, NOW)).toEqual({ Duplicate: { duplicate_of: 4n } });
    });
});
