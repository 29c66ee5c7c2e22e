/**
 * The Candid interfaces of the local network's cycles minting canister and cycles ledger, as
 * far as they are implemented here (the canisters, `npm start` and the tests share them).
 * Shapes from dfinity/cycles-ledger `cycles-ledger/cycles-ledger.did` and `fake-cmc/fake-cmc.did`
 * (the cycles ledger's view of the CMC), and dfinity/icp-cli
 * `crates/icp-canister-interfaces/src/cycles_ledger.rs`, which icp-cli decodes with.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

import { CanisterSettings, type CanisterSettingsValue } from '../../src/engine/management-idl';

/** The fixed ids of the NNS system canisters icp-cli addresses on every network. */
export const CYCLES_MINTING_CANISTER_ID = 'rkp4c-7iaaa-aaaaa-aaaca-cai';
export const CYCLES_LEDGER_ID = 'um5iw-rqaaa-aaaaq-qaaba-cai';

/** The cycles ledger's fee per transfer, creation and withdrawal (dfinity/cycles-ledger `config.rs` FEE). */
export const CYCLES_LEDGER_FEE = 100_000_000n;

export { CanisterSettings, type CanisterSettingsValue };

/** Settings with every field absent (the management canister's defaults). */
export function emptyCanisterSettings(): CanisterSettingsValue {
    return Object.fromEntries(CanisterSettings._fields.map(([name]) => [name, []])) as unknown as CanisterSettingsValue;
}

export const SubnetSelection = IDL.Variant({
    Subnet: IDL.Record({ subnet: IDL.Principal }),
    Filter: IDL.Record({ subnet_type: IDL.Opt(IDL.Text) })
});
export type SubnetSelectionValue = { Subnet: { subnet: Principal } } | { Filter: { subnet_type: [] | [string] } };

// --- cycles minting canister ---

export const CmcCreateCanisterArgs = IDL.Record({
    settings: IDL.Opt(CanisterSettings),
    subnet_selection: IDL.Opt(SubnetSelection),
    subnet_type: IDL.Opt(IDL.Text)
});
export type CmcCreateCanisterArgsValue = { settings: [] | [CanisterSettingsValue]; subnet_selection: [] | [SubnetSelectionValue]; subnet_type?: [] | [string] };

export const CmcCreateCanisterError = IDL.Variant({
    Refunded: IDL.Record({ refund_amount: IDL.Nat, create_error: IDL.Text }),
    RefundFailed: IDL.Record({ create_error: IDL.Text, refund_error: IDL.Text })
});
export type CmcCreateCanisterErrorValue = { Refunded: { refund_amount: bigint; create_error: string } } | { RefundFailed: { create_error: string; refund_error: string } };
export const CmcCreateCanisterResult = IDL.Variant({ Ok: IDL.Principal, Err: CmcCreateCanisterError });
export type CmcCreateCanisterResultValue = { Ok: Principal } | { Err: CmcCreateCanisterErrorValue };

/**
 * The CMC's init argument here: the subnets `get_default_subnets` names (the network's
 * application subnets), the ICP/XDR rate it mints at, and, as the IC's CMC init payload has
 * it, the last ICP block whose notification it forgot (older blocks are `TransactionTooOld`).
 */
export const CmcInitArgs = IDL.Record({
    default_subnets: IDL.Vec(IDL.Principal),
    xdr_permyriad_per_icp: IDL.Nat64,
    last_purged_notification: IDL.Opt(IDL.Nat64)
});
export type CmcInitArgsValue = { default_subnets: Principal[]; xdr_permyriad_per_icp: bigint; last_purged_notification: [] | [bigint] };

// --- cycles ledger ---

export const Account = IDL.Record({ owner: IDL.Principal, subaccount: IDL.Opt(IDL.Vec(IDL.Nat8)) });
export type AccountValue = { owner: Principal; subaccount: [] | [Uint8Array | number[]] };

const InitArgs = IDL.Record({
    max_blocks_per_request: IDL.Nat64,
    index_id: IDL.Opt(IDL.Principal),
    initial_balances: IDL.Opt(IDL.Vec(IDL.Tuple(Account, IDL.Nat)))
});
const UpgradeArgs = IDL.Record({
    max_blocks_per_request: IDL.Opt(IDL.Nat64),
    change_index_id: IDL.Opt(IDL.Variant({ Unset: IDL.Null, SetTo: IDL.Principal }))
});
export const LedgerArgs = IDL.Variant({ Init: InitArgs, Upgrade: IDL.Opt(UpgradeArgs) });
export type LedgerArgsValue =
    | { Init: { max_blocks_per_request: bigint; index_id: [] | [Principal]; initial_balances: [] | [Array<[AccountValue, bigint]>] } }
    | { Upgrade: [] | [{ max_blocks_per_request: [] | [bigint]; change_index_id: [] | [{ Unset: null } | { SetTo: Principal }] }] };

export const TransferArgs = IDL.Record({
    from_subaccount: IDL.Opt(IDL.Vec(IDL.Nat8)),
    to: Account,
    amount: IDL.Nat,
    fee: IDL.Opt(IDL.Nat),
    memo: IDL.Opt(IDL.Vec(IDL.Nat8)),
    created_at_time: IDL.Opt(IDL.Nat64)
});
export type TransferArgsValue = {
    from_subaccount: [] | [Uint8Array | number[]];
    to: AccountValue;
    amount: bigint;
    fee: [] | [bigint];
    memo: [] | [Uint8Array | number[]];
    created_at_time: [] | [bigint];
};
export const TransferError = IDL.Variant({
    BadFee: IDL.Record({ expected_fee: IDL.Nat }),
    BadBurn: IDL.Record({ min_burn_amount: IDL.Nat }),
    InsufficientFunds: IDL.Record({ balance: IDL.Nat }),
    TooOld: IDL.Null,
    CreatedInFuture: IDL.Record({ ledger_time: IDL.Nat64 }),
    Duplicate: IDL.Record({ duplicate_of: IDL.Nat }),
    TemporarilyUnavailable: IDL.Null,
    GenericError: IDL.Record({ message: IDL.Text, error_code: IDL.Nat })
});
export type TransferErrorValue =
    | { BadFee: { expected_fee: bigint } }
    | { InsufficientFunds: { balance: bigint } }
    | { TooOld: null }
    | { CreatedInFuture: { ledger_time: bigint } }
    | { Duplicate: { duplicate_of: bigint } }
    | { GenericError: { message: string; error_code: bigint } };
export const TransferResult = IDL.Variant({ Ok: IDL.Nat, Err: TransferError });
export type TransferResultValue = { Ok: bigint } | { Err: TransferErrorValue };

export const CreateCanisterArgs = IDL.Record({
    from_subaccount: IDL.Opt(IDL.Vec(IDL.Nat8)),
    created_at_time: IDL.Opt(IDL.Nat64),
    amount: IDL.Nat,
    creation_args: IDL.Opt(IDL.Record({ settings: IDL.Opt(CanisterSettings), subnet_selection: IDL.Opt(SubnetSelection) }))
});
export type CreateCanisterArgsValue = {
    from_subaccount: [] | [Uint8Array | number[]];
    created_at_time: [] | [bigint];
    amount: bigint;
    creation_args: [] | [{ settings: [] | [CanisterSettingsValue]; subnet_selection: [] | [SubnetSelectionValue] }];
};
export const CreateCanisterError = IDL.Variant({
    InsufficientFunds: IDL.Record({ balance: IDL.Nat }),
    TooOld: IDL.Null,
    CreatedInFuture: IDL.Record({ ledger_time: IDL.Nat64 }),
    TemporarilyUnavailable: IDL.Null,
    Duplicate: IDL.Record({ duplicate_of: IDL.Nat, canister_id: IDL.Opt(IDL.Principal) }),
    FailedToCreate: IDL.Record({ fee_block: IDL.Opt(IDL.Nat), refund_block: IDL.Opt(IDL.Nat), error: IDL.Text }),
    GenericError: IDL.Record({ message: IDL.Text, error_code: IDL.Nat })
});
export type CreateCanisterErrorValue =
    | { InsufficientFunds: { balance: bigint } }
    | { FailedToCreate: { fee_block: [] | [bigint]; refund_block: [] | [bigint]; error: string } }
    | { GenericError: { message: string; error_code: bigint } };
export const CreateCanisterResult = IDL.Variant({
    Ok: IDL.Record({ block_id: IDL.Nat, canister_id: IDL.Principal }),
    Err: CreateCanisterError
});
export type CreateCanisterResultValue = { Ok: { block_id: bigint; canister_id: Principal } } | { Err: CreateCanisterErrorValue };

export const WithdrawArgs = IDL.Record({
    amount: IDL.Nat,
    from_subaccount: IDL.Opt(IDL.Vec(IDL.Nat8)),
    to: IDL.Principal,
    created_at_time: IDL.Opt(IDL.Nat64)
});
export type WithdrawArgsValue = { amount: bigint; from_subaccount: [] | [Uint8Array | number[]]; to: Principal; created_at_time: [] | [bigint] };

/** The IC's reject codes as the cycles ledger names them (dfinity/cycles-ledger `RejectionCode`). */
export const RejectionCode = IDL.Variant({
    NoError: IDL.Null,
    SysFatal: IDL.Null,
    SysTransient: IDL.Null,
    DestinationInvalid: IDL.Null,
    CanisterReject: IDL.Null,
    CanisterError: IDL.Null,
    Unknown: IDL.Null
});
export type RejectionCodeValue = { NoError: null } | { SysFatal: null } | { SysTransient: null } | { DestinationInvalid: null } | { CanisterReject: null } | { CanisterError: null } | { Unknown: null };

export const WithdrawError = IDL.Variant({
    GenericError: IDL.Record({ message: IDL.Text, error_code: IDL.Nat }),
    TemporarilyUnavailable: IDL.Null,
    FailedToWithdraw: IDL.Record({ fee_block: IDL.Opt(IDL.Nat), rejection_code: RejectionCode, rejection_reason: IDL.Text }),
    Duplicate: IDL.Record({ duplicate_of: IDL.Nat }),
    BadFee: IDL.Record({ expected_fee: IDL.Nat }),
    InvalidReceiver: IDL.Record({ receiver: IDL.Principal }),
    CreatedInFuture: IDL.Record({ ledger_time: IDL.Nat64 }),
    TooOld: IDL.Null,
    InsufficientFunds: IDL.Record({ balance: IDL.Nat })
});
export type WithdrawErrorValue =
    | { InsufficientFunds: { balance: bigint } }
    | { FailedToWithdraw: { fee_block: [] | [bigint]; rejection_code: RejectionCodeValue; rejection_reason: string } }
    | { GenericError: { message: string; error_code: bigint } };
export const WithdrawResult = IDL.Variant({ Ok: IDL.Nat, Err: WithdrawError });
export type WithdrawResultValue = { Ok: bigint } | { Err: WithdrawErrorValue };
