/**
 * `icp_ledger`: the local network's ICP ledger at its fixed id (`ryjl3-tyaaa-aaaaa-aaaba-cai`,
 * on the NNS subnet), as far as icp-cli and the cycles minting canister use it: the legacy
 * `transfer` to an account identifier (what `icp cycles mint` pays the CMC with),
 * `account_balance`, `icrc1_balance_of` (`icp token balance`) with the ICRC-1 metadata,
 * `icrc1_transfer` (`icp token transfer` to a principal; to an account identifier icp uses
 * `transfer`), and
 * `query_blocks`, which the CMC reads the payment from. `npm start` installs it with the
 * seeded balances as its first blocks (mints).
 *
 * Not implemented (the IC answers "no such method"): approvals (ICRC-2),
 * archives, block hashes and certificates (`parent_hash` and `certificate` are absent),
 * the minting account and burns, `send_dfx`.
 */
import { IDL, init, msgCaller, query, StableBTreeMap, time, update } from 'azle';

import { Account, TransferArgs, TransferResult, type AccountValue, type TransferArgsValue, type TransferResultValue } from '../common/interfaces';
import {
    AccountBalanceArgs,
    GetBlocksArgs,
    ICP_LEDGER_FEE_E8S,
    IcpLedgerInitArgs,
    IcpTransferArgs,
    IcpTransferResult,
    QueryBlocksResponse,
    Tokens,
    type IcpLedgerInitArgsValue,
    type IcpTransferArgsValue,
    type IcpTransferResultValue,
    type QueryBlocksResponseValue,
    type TokensValue
} from '../common/icp-interfaces';
import { accountIdentifier, fromHex, toHex } from './account-id';
import { candidBlock, decodeBlock, dedupKey, encodeBlock, fromIcrc1, icrc1Error, refusedTransfer, type IcpBlock } from './ledger';

const balances = new StableBTreeMap<string, bigint>(0);
const blocks = new StableBTreeMap<bigint, string>(1);
const transactions = new StableBTreeMap<string, bigint>(2);

const balanceOf = (accountId: string): bigint => balances.get(accountId) ?? 0n;

function append(block: IcpBlock): bigint {
    const index = BigInt(blocks.len());
    blocks.insert(index, encodeBlock(block));
    return index;
}

/** Moves e8s from the caller's (sub)account to `arg.to`, burning the fee, or answers why not. */
function applyTransfer(arg: IcpTransferArgsValue): IcpTransferResultValue {
    const from = accountIdentifier(msgCaller(), arg.from_subaccount[0]);
    const to = toHex(arg.to);
    const key = dedupKey(from, arg, to);
    const now = time();
    const refused = refusedTransfer(arg, balanceOf(from), now, key === undefined ? undefined : (transactions.get(key) ?? undefined));
    if (refused !== null) return { Err: refused };
    balances.insert(from, balanceOf(from) - arg.amount.e8s - ICP_LEDGER_FEE_E8S);
    balances.insert(to, balanceOf(to) + arg.amount.e8s);
    const index = append({ kind: 'Transfer', from, to, amount: arg.amount.e8s, fee: ICP_LEDGER_FEE_E8S, memo: arg.memo, createdAt: arg.created_at_time[0]?.timestamp_nanos ?? now, timestamp: now });
    if (key !== undefined) transactions.insert(key, index);
    return { Ok: index };
}

const MetadataValue = IDL.Variant({ Nat: IDL.Nat, Int: IDL.Int, Text: IDL.Text, Blob: IDL.Vec(IDL.Nat8) });

export default class {
    /** Call context: install (by `npm start`); each initial value is minted in its own block. */
    @init([IcpLedgerInitArgs])
    init(arg: IcpLedgerInitArgsValue): void {
        for (const [accountId, tokens] of arg.initial_values) {
            if (!/^[0-9a-f]{64}$/.test(accountId)) throw new Error(`initial value of an invalid account identifier: ${accountId}`);
            balances.insert(accountId, balanceOf(accountId) + tokens.e8s);
            append({ kind: 'Mint', to: accountId, amount: tokens.e8s, memo: 0n, timestamp: time() });
        }
    }

    /**
     * Moves e8s from the caller's (sub)account to an account identifier, burning the fee.
     * Call context: update; the caller spends only its own account. Errors: BadFee (not
     * 0.0001 ICP), InsufficientFunds, TxTooOld, TxCreatedInFuture, TxDuplicate (the same
     * transaction with the same `created_at_time` within 24 h).
     */
    @update([IcpTransferArgs], IcpTransferResult)
    transfer(arg: IcpTransferArgsValue): IcpTransferResultValue {
        if (arg.to.length !== 32) throw new Error(`an account identifier is 32 bytes, got ${arg.to.length}`);
        return applyTransfer(arg);
    }

    /**
     * The same transfer with an ICRC-1 account and ICRC-1's errors.
     * Call context: update; the caller spends only its own account. Errors: BadFee,
     * InsufficientFunds, TooOld, CreatedInFuture, Duplicate, GenericError (an amount or fee
     * beyond 64 bits, a subaccount that is not 32 bytes).
     */
    @update([TransferArgs], TransferResult)
    icrc1_transfer(arg: TransferArgsValue): TransferResultValue {
        const sub = arg.to.subaccount[0];
        if (sub !== undefined && sub.length !== 32) return { Err: { GenericError: { message: `a subaccount is 32 bytes, got ${sub.length}`, error_code: 2n } } };
        const legacy = fromIcrc1(arg, fromHex(accountIdentifier(arg.to.owner, sub)));
        if (!('amount' in legacy)) return { Err: legacy };
        const result = applyTransfer(legacy);
        return 'Ok' in result ? { Ok: result.Ok } : { Err: icrc1Error(result.Err, time()) };
    }

    /** Call context: query; anyone. An unknown account has balance 0. */
    @query([AccountBalanceArgs], Tokens)
    account_balance(arg: { account: Uint8Array | number[] }): TokensValue {
        return { e8s: balanceOf(toHex(arg.account)) };
    }

    /** Call context: query; anyone. */
    @query([Account], IDL.Nat)
    icrc1_balance_of(account: AccountValue): bigint {
        return balanceOf(accountIdentifier(account.owner, account.subaccount[0]));
    }

    /** Call context: query; anyone. */
    @query([], IDL.Nat8)
    icrc1_decimals(): number {
        return 8;
    }

    /** Call context: query; anyone. */
    @query([], IDL.Nat)
    icrc1_fee(): bigint {
        return ICP_LEDGER_FEE_E8S;
    }

    /** Call context: query; anyone. */
    @query([], IDL.Text)
    icrc1_symbol(): string {
        return 'ICP';
    }

    /** Call context: query; anyone. */
    @query([], IDL.Text)
    icrc1_name(): string {
        return 'Internet Computer';
    }

    /** Call context: query; anyone. */
    @query([], IDL.Vec(IDL.Tuple(IDL.Text, MetadataValue)))
    icrc1_metadata(): Array<[string, { Nat: bigint } | { Text: string }]> {
        return [
            ['icrc1:decimals', { Nat: 8n }],
            ['icrc1:name', { Text: 'Internet Computer' }],
            ['icrc1:symbol', { Text: 'ICP' }],
            ['icrc1:fee', { Nat: ICP_LEDGER_FEE_E8S }]
        ];
    }

    /** Call context: query; anyone. Blocks `start` .. `start + length` that exist (all are kept here, none archived). */
    @query([GetBlocksArgs], QueryBlocksResponse)
    query_blocks(arg: { start: bigint; length: bigint }): QueryBlocksResponseValue {
        const chainLength = BigInt(blocks.len());
        const end = arg.start + arg.length < chainLength ? arg.start + arg.length : chainLength;
        const found = [];
        for (let index = arg.start; index < end; index++) found.push(candidBlock(decodeBlock(blocks.get(index)!)));
        return { chain_length: chainLength, certificate: [], blocks: found, first_block_index: arg.start < chainLength ? arg.start : chainLength };
    }
}
