/**
 * The Candid interfaces of the local network's ICP ledger and of the cycles minting canister's
 * minting from ICP, as far as they are implemented here (the canisters, `npm start` and the
 * tests share them). Shapes from dfinity/ic `rs/ledger_suite/icp/ledger.did` and
 * `rs/nns/cmc/cmc.did`, and dfinity/icp-cli `crates/icp-canister-interfaces`
 * (`cycles_minting_canister.rs`, `icp_ledger.rs`) and `ic-ledger-types`, which icp-cli
 * encodes and decodes with (`icp cycles mint`: `transfer`, then `notify_mint_cycles`).
 */
import { IDL } from '@dfinity/candid';

import { Account, type AccountValue } from './interfaces';

export const ICP_LEDGER_ID = 'ryjl3-tyaaa-aaaaa-aaaba-cai';
/** The ICP ledger's fee per transfer: 0.0001 ICP (icp-cli `ICP_LEDGER_BLOCK_FEE_E8S`). */
export const ICP_LEDGER_FEE_E8S = 10_000n;
/** The memo that marks a transfer to the CMC as a payment for cycles: 'MINT' (icp-cli `MEMO_MINT_CYCLES`). */
export const MEMO_MINT_CYCLES = 0x544e494dn;
/** How far back (and ahead) a transfer's `created_at_time` may lie: 24 hours (and 2 minutes), as on the ICP ledger. */
export const TRANSACTION_WINDOW_NANOS = 24n * 3600n * 1_000_000_000n;
export const PERMITTED_DRIFT_NANOS = 120n * 1_000_000_000n;

// --- ICP ledger ---

export const Tokens = IDL.Record({ e8s: IDL.Nat64 });
export type TokensValue = { e8s: bigint };
const TimeStamp = IDL.Record({ timestamp_nanos: IDL.Nat64 });

export const IcpTransferArgs = IDL.Record({
    memo: IDL.Nat64,
    amount: Tokens,
    fee: Tokens,
    from_subaccount: IDL.Opt(IDL.Vec(IDL.Nat8)),
    to: IDL.Vec(IDL.Nat8),
    created_at_time: IDL.Opt(TimeStamp)
});
export type IcpTransferArgsValue = {
    memo: bigint;
    amount: TokensValue;
    fee: TokensValue;
    from_subaccount: [] | [Uint8Array | number[]];
    to: Uint8Array | number[];
    created_at_time: [] | [{ timestamp_nanos: bigint }];
};
export const IcpTransferError = IDL.Variant({
    BadFee: IDL.Record({ expected_fee: Tokens }),
    InsufficientFunds: IDL.Record({ balance: Tokens }),
    TxTooOld: IDL.Record({ allowed_window_nanos: IDL.Nat64 }),
    TxCreatedInFuture: IDL.Null,
    TxDuplicate: IDL.Record({ duplicate_of: IDL.Nat64 })
});
export type IcpTransferErrorValue =
    | { BadFee: { expected_fee: TokensValue } }
    | { InsufficientFunds: { balance: TokensValue } }
    | { TxTooOld: { allowed_window_nanos: bigint } }
    | { TxCreatedInFuture: null }
    | { TxDuplicate: { duplicate_of: bigint } };
export const IcpTransferResult = IDL.Variant({ Ok: IDL.Nat64, Err: IcpTransferError });
export type IcpTransferResultValue = { Ok: bigint } | { Err: IcpTransferErrorValue };

export const AccountBalanceArgs = IDL.Record({ account: IDL.Vec(IDL.Nat8) });

/** The ledger's init argument here: accounts (hex account identifiers) and their starting balances. */
export const IcpLedgerInitArgs = IDL.Record({ initial_values: IDL.Vec(IDL.Tuple(IDL.Text, Tokens)) });
export type IcpLedgerInitArgsValue = { initial_values: Array<[string, TokensValue]> };

/** `query_blocks`, with the block fields the CMC reads (Mint and Transfer operations; no archives here). */
export const GetBlocksArgs = IDL.Record({ start: IDL.Nat64, length: IDL.Nat64 });
export const Operation = IDL.Variant({
    Mint: IDL.Record({ to: IDL.Vec(IDL.Nat8), amount: Tokens }),
    Transfer: IDL.Record({ from: IDL.Vec(IDL.Nat8), to: IDL.Vec(IDL.Nat8), amount: Tokens, fee: Tokens, spender: IDL.Opt(IDL.Vec(IDL.Nat8)) })
});
export type OperationValue =
    | { Mint: { to: Uint8Array | number[]; amount: TokensValue } }
    | { Transfer: { from: Uint8Array | number[]; to: Uint8Array | number[]; amount: TokensValue; fee: TokensValue; spender: [] | [Uint8Array | number[]] } };
export const Block = IDL.Record({
    parent_hash: IDL.Opt(IDL.Vec(IDL.Nat8)),
    transaction: IDL.Record({ memo: IDL.Nat64, icrc1_memo: IDL.Opt(IDL.Vec(IDL.Nat8)), operation: IDL.Opt(Operation), created_at_time: TimeStamp }),
    timestamp: TimeStamp
});
export type BlockValue = {
    parent_hash: [] | [Uint8Array | number[]];
    transaction: { memo: bigint; icrc1_memo: [] | [Uint8Array | number[]]; operation: [] | [OperationValue]; created_at_time: { timestamp_nanos: bigint } };
    timestamp: { timestamp_nanos: bigint };
};
export const QueryBlocksResponse = IDL.Record({
    chain_length: IDL.Nat64,
    certificate: IDL.Opt(IDL.Vec(IDL.Nat8)),
    blocks: IDL.Vec(Block),
    first_block_index: IDL.Nat64
});
export type QueryBlocksResponseValue = { chain_length: bigint; certificate: [] | [Uint8Array | number[]]; blocks: BlockValue[]; first_block_index: bigint };

// --- cycles minting canister: minting from ICP ---

export const IcpXdrConversionRateResponse = IDL.Record({
    data: IDL.Record({ timestamp_seconds: IDL.Nat64, xdr_permyriad_per_icp: IDL.Nat64 }),
    hash_tree: IDL.Vec(IDL.Nat8),
    certificate: IDL.Vec(IDL.Nat8)
});
export type IcpXdrConversionRateResponseValue = {
    data: { timestamp_seconds: bigint; xdr_permyriad_per_icp: bigint };
    hash_tree: Uint8Array | number[];
    certificate: Uint8Array | number[];
};

export const NotifyMintCyclesArg = IDL.Record({
    block_index: IDL.Nat64,
    to_subaccount: IDL.Opt(IDL.Vec(IDL.Nat8)),
    deposit_memo: IDL.Opt(IDL.Vec(IDL.Nat8))
});
export type NotifyMintCyclesArgValue = { block_index: bigint; to_subaccount: [] | [Uint8Array | number[]]; deposit_memo: [] | [Uint8Array | number[]] };
export const NotifyError = IDL.Variant({
    Refunded: IDL.Record({ block_index: IDL.Opt(IDL.Nat64), reason: IDL.Text }),
    InvalidTransaction: IDL.Text,
    Other: IDL.Record({ error_message: IDL.Text, error_code: IDL.Nat64 }),
    Processing: IDL.Null,
    TransactionTooOld: IDL.Nat64
});
export type NotifyErrorValue =
    | { Refunded: { block_index: [] | [bigint]; reason: string } }
    | { InvalidTransaction: string }
    | { Other: { error_message: string; error_code: bigint } }
    | { Processing: null }
    | { TransactionTooOld: bigint };
export const NotifyMintCyclesSuccess = IDL.Record({ block_index: IDL.Nat, minted: IDL.Nat, balance: IDL.Nat });
export type NotifyMintCyclesSuccessValue = { block_index: bigint; minted: bigint; balance: bigint };
export const NotifyMintCyclesResult = IDL.Variant({ Ok: NotifyMintCyclesSuccess, Err: NotifyError });
export type NotifyMintCyclesResultValue = { Ok: NotifyMintCyclesSuccessValue } | { Err: NotifyErrorValue };

// --- cycles ledger: the CMC's deposit ---

export const DepositArgs = IDL.Record({ to: Account, memo: IDL.Opt(IDL.Vec(IDL.Nat8)) });
export type DepositArgsValue = { to: AccountValue; memo: [] | [Uint8Array | number[]] };
export const DepositResult = IDL.Record({ block_index: IDL.Nat, balance: IDL.Nat });
export type DepositResultValue = { block_index: bigint; balance: bigint };
