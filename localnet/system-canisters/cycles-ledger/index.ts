/**
 * `cycles_ledger`: the local network's cycles ledger at its fixed id
 * (`um5iw-rqaaa-aaaaq-qaaba-cai`, on the fiduciary subnet), as far as icp-cli uses it:
 * balances (`icrc1_balance_of`, metadata), `icrc1_transfer`, `create_canister`, which
 * burns the amount plus the fee and has the cycles minting canister create the canister with
 * those cycles (dfinity/cycles-ledger `cycles-ledger/src/storage.rs` `create_canister`), and
 * `withdraw` (`icp canister top-up`), which sends the amount to a canister with the
 * management canister's `deposit_cycles` (same file, `withdraw`), and `deposit`, the attached
 * cycles less the fee credited to an account (what the CMC's `notify_mint_cycles` calls).
 * Every balance is backed by cycles this canister holds: `npm start` creates it with the
 * seeded balances' worth of cycles.
 *
 * Not implemented: the block log (ICRC-3: block indexes are counted, blocks are not kept),
 * deduplication (`created_at_time` is refused with `GenericError`), approvals (ICRC-2),
 * `withdraw_from`, `create_canister_from`; those methods are absent,
 * so the IC answers "no such method".
 */
import { call, IDL, init, msgCaller, msgCyclesAccept, msgCyclesAvailable, postUpgrade, Principal, query, StableBTreeMap, update } from 'azle';

import { DepositArgs, DepositResult, type DepositArgsValue, type DepositResultValue } from '../common/icp-interfaces';

import { callErrorText } from '../common/call-error';
import {
    Account,
    CmcCreateCanisterArgs,
    CmcCreateCanisterResult,
    CreateCanisterArgs,
    CreateCanisterResult,
    CYCLES_LEDGER_FEE,
    CYCLES_MINTING_CANISTER_ID,
    emptyCanisterSettings,
    LedgerArgs,
    TransferArgs,
    TransferResult,
    type AccountValue,
    type CmcCreateCanisterResultValue,
    type CreateCanisterArgsValue,
    type CreateCanisterResultValue,
    type LedgerArgsValue,
    type TransferArgsValue,
    type TransferResultValue,
    WithdrawArgs,
    WithdrawResult,
    type WithdrawArgsValue,
    type WithdrawResultValue
} from '../common/interfaces';
import { accountKey, balanceOf, checkFee, credit, debit, refuseCreatedAtTime, rejectionCodeOf, transfer, type BalanceStore } from './book';

const balances = new StableBTreeMap<string, bigint>(0);
const counters = new StableBTreeMap<'next_block' | 'total_supply', bigint>(1);

const store: BalanceStore = { get: (key) => balances.get(key) ?? undefined, set: (key, value) => void balances.insert(key, value) };

/** The next block index (blocks are counted, not stored). */
function nextBlock(): bigint {
    const block = counters.get('next_block') ?? 0n;
    counters.insert('next_block', block + 1n);
    return block;
}

function changeSupply(delta: bigint): void {
    counters.insert('total_supply', (counters.get('total_supply') ?? 0n) + delta);
}

const callerAccount = (subaccount: [] | [Uint8Array | number[]]): AccountValue => ({ owner: msgCaller(), subaccount });

const MetadataValue = IDL.Variant({ Nat: IDL.Nat, Int: IDL.Int, Text: IDL.Text, Blob: IDL.Vec(IDL.Nat8) });

export default class {
    /** Call context: install (by `npm start`); `Init.initial_balances` are minted without fee. */
    @init([LedgerArgs])
    init(arg: LedgerArgsValue): void {
        if (!('Init' in arg)) throw new Error('install the cycles ledger with LedgerArgs.Init');
        for (const [account, amount] of arg.Init.initial_balances[0] ?? []) {
            const key = accountKey(account);
            if (typeof key !== 'string') throw new Error(`initial balance of an invalid account: ${JSON.stringify(key, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
            credit(store, key, amount);
            changeSupply(amount);
            nextBlock();
        }
    }

    /** Call context: upgrade; balances are in stable memory and stay. */
    @postUpgrade([LedgerArgs])
    postUpgrade(_arg: LedgerArgsValue): void {}

    /** Call context: query; anyone. An invalid subaccount has balance 0. */
    @query([Account], IDL.Nat)
    icrc1_balance_of(account: AccountValue): bigint {
        const key = accountKey(account);
        return typeof key === 'string' ? balanceOf(store, key) : 0n;
    }

    /** Call context: query; anyone. */
    @query([], IDL.Nat8)
    icrc1_decimals(): number {
        return 12;
    }

    /** Call context: query; anyone. */
    @query([], IDL.Nat)
    icrc1_fee(): bigint {
        return CYCLES_LEDGER_FEE;
    }

    /** Call context: query; anyone. */
    @query([], IDL.Text)
    icrc1_name(): string {
        return 'Trillion Cycles';
    }

    /** Call context: query; anyone. */
    @query([], IDL.Text)
    icrc1_symbol(): string {
        return 'TCYCLES';
    }

    /** Call context: query; anyone. */
    @query([], IDL.Nat)
    icrc1_total_supply(): bigint {
        return counters.get('total_supply') ?? 0n;
    }

    /** Call context: query; anyone. */
    @query([], IDL.Vec(IDL.Tuple(IDL.Text, MetadataValue)))
    icrc1_metadata(): Array<[string, { Nat: bigint } | { Text: string }]> {
        return [
            ['icrc1:decimals', { Nat: 12n }],
            ['icrc1:name', { Text: 'Trillion Cycles' }],
            ['icrc1:symbol', { Text: 'TCYCLES' }],
            ['icrc1:fee', { Nat: CYCLES_LEDGER_FEE }]
        ];
    }

    /**
     * Moves cycles from the caller's account to another, burning the fee.
     * Call context: update; the caller spends only its own account. Errors: BadFee,
     * InsufficientFunds, GenericError (invalid subaccount, `created_at_time` given).
     */
    @update([TransferArgs], TransferResult)
    icrc1_transfer(arg: TransferArgsValue): TransferResultValue {
        const from = accountKey(callerAccount(arg.from_subaccount));
        const to = accountKey(arg.to);
        if (typeof from !== 'string') return { Err: from };
        if (typeof to !== 'string') return { Err: to };
        const refused = checkFee(arg.fee) ?? refuseCreatedAtTime(arg.created_at_time) ?? transfer(store, from, to, arg.amount);
        if (refused !== null) return { Err: refused };
        changeSupply(-CYCLES_LEDGER_FEE);
        return { Ok: nextBlock() };
    }

    /**
     * Credits the attached cycles less the fee to `to` (minted, as the cycles ledger records a
     * deposit) and answers the block and the account's new balance.
     * Call context: update; any caller that attaches cycles. Errors: traps (the cycles go back
     * to the caller) when fewer than the fee are attached or the account is invalid: the
     * cycles ledger's `deposit` has no error variant.
     */
    @update([DepositArgs], DepositResult)
    deposit(arg: DepositArgsValue): DepositResultValue {
        const key = accountKey(arg.to);
        if (typeof key !== 'string') throw new Error(key.GenericError.message);
        const available = msgCyclesAvailable();
        if (available <= CYCLES_LEDGER_FEE) throw new Error(`The requested amount ${available} to be deposited is less than the cycles ledger fee: ${CYCLES_LEDGER_FEE}`);
        const amount = msgCyclesAccept(available) - CYCLES_LEDGER_FEE;
        credit(store, key, amount);
        changeSupply(amount);
        return { block_index: nextBlock(), balance: balanceOf(store, key) };
    }

    /**
     * Creates a canister with `amount` cycles from the caller's account (plus the fee), through
     * the cycles minting canister, on the selected subnet; controllers default to the caller.
     * If the CMC refuses, the refunded cycles go back to the account (the fee is kept, as on
     * the IC) and the answer is `FailedToCreate` with the refund's block.
     * Call context: update; the caller spends only its own account. Errors: InsufficientFunds,
     * FailedToCreate, GenericError (invalid subaccount, `created_at_time` given).
     */
    @update([CreateCanisterArgs], CreateCanisterResult)
    async create_canister(arg: CreateCanisterArgsValue): Promise<CreateCanisterResultValue> {
        const caller = msgCaller();
        const from = accountKey(callerAccount(arg.from_subaccount));
        if (typeof from !== 'string') return { Err: from };
        const refused = refuseCreatedAtTime(arg.created_at_time) ?? debit(store, from, arg.amount + CYCLES_LEDGER_FEE);
        if (refused !== null) return { Err: refused };
        changeSupply(-(arg.amount + CYCLES_LEDGER_FEE));
        const burnBlock = nextBlock();
        const creation = arg.creation_args[0];
        const settings = creation?.settings[0];
        let result: CmcCreateCanisterResultValue;
        try {
            result = await call<unknown[], CmcCreateCanisterResultValue>(Principal.fromText(CYCLES_MINTING_CANISTER_ID), 'create_canister', {
                paramIdlTypes: [CmcCreateCanisterArgs],
                returnIdlType: CmcCreateCanisterResult,
                args: [
                    {
                        // Controllers default to the ledger's caller, never to the ledger (the CMC's caller).
                        settings: [{ ...(settings ?? emptyCanisterSettings()), controllers: [settings?.controllers[0] ?? [caller]] }],
                        subnet_selection: creation?.subnet_selection ?? [],
                        subnet_type: []
                    }
                ],
                cycles: arg.amount
            });
        } catch (error) {
            // The CMC did not take the cycles: they came back with the reject.
            return { Err: { FailedToCreate: { fee_block: [burnBlock], refund_block: [this.refund(from, arg.amount)], error: callErrorText(error) } } };
        }
        if ('Ok' in result) return { Ok: { block_id: burnBlock, canister_id: result.Ok } };
        if ('Refunded' in result.Err) {
            const { refund_amount, create_error } = result.Err.Refunded;
            return { Err: { FailedToCreate: { fee_block: [burnBlock], refund_block: refund_amount > 0n ? [this.refund(from, refund_amount)] : [], error: create_error } } };
        }
        const { create_error, refund_error } = result.Err.RefundFailed;
        return { Err: { FailedToCreate: { fee_block: [burnBlock], refund_block: [], error: `${create_error}; the refund failed: ${refund_error}` } } };
    }

    /**
     * Sends `amount` cycles from the caller's account to canister `to` (`deposit_cycles`),
     * burning the fee. If the deposit is rejected (no such canister, say) the amount comes
     * back to the account, the fee is kept, and the answer is `FailedToWithdraw` with the
     * IC's reject code and message, as on the IC.
     * Call context: update; the caller spends only its own account. Errors: InsufficientFunds,
     * FailedToWithdraw, GenericError (invalid subaccount, `created_at_time` given).
     */
    @update([WithdrawArgs], WithdrawResult)
    async withdraw(arg: WithdrawArgsValue): Promise<WithdrawResultValue> {
        const from = accountKey(callerAccount(arg.from_subaccount));
        if (typeof from !== 'string') return { Err: from };
        const refused = refuseCreatedAtTime(arg.created_at_time) ?? debit(store, from, arg.amount + CYCLES_LEDGER_FEE);
        if (refused !== null) return { Err: refused };
        changeSupply(-(arg.amount + CYCLES_LEDGER_FEE));
        const block = nextBlock();
        try {
            await call('aaaaa-aa', 'deposit_cycles', { paramIdlTypes: [IDL.Record({ canister_id: IDL.Principal })], args: [{ canister_id: arg.to }], cycles: arg.amount });
        } catch (error) {
            this.refund(from, arg.amount);
            const code = typeof error === 'object' && error !== null ? (error as { rejectCode?: unknown }).rejectCode : undefined;
            return { Err: { FailedToWithdraw: { fee_block: [block], rejection_code: rejectionCodeOf(code), rejection_reason: callErrorText(error) } } };
        }
        return { Ok: block };
    }

    private refund(key: string, amount: bigint): bigint {
        credit(store, key, amount);
        changeSupply(amount);
        return nextBlock();
    }
}
