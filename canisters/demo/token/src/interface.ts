/**
 * Candid interface of the `demo_token` canister: the ICRC-2 subset a DeFi workflow uses
 * (`icrc2_approve`, `icrc2_transfer_from`, `icrc2_allowance`, `icrc1_balance_of`, `icrc1_fee`),
 * with the standard's types (dfinity/ICRC-1, standards/ICRC-2/README.md), plus a
 * controllers-only `mint` to fund test accounts. One definition for the canister and its
 * test clients; takes the IDL namespace so both Azle's and pic-js's Candid fit.
 */
import type { IDL as CandidIdl } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

export type Account = { owner: Principal; subaccount: [] | [Uint8Array] };
export type ApproveArgs = {
    from_subaccount: [] | [Uint8Array];
    spender: Account;
    amount: bigint;
    expected_allowance: [] | [bigint];
    expires_at: [] | [bigint];
    fee: [] | [bigint];
    memo: [] | [Uint8Array];
    created_at_time: [] | [bigint];
};
export type TransferFromArgs = {
    spender_subaccount: [] | [Uint8Array];
    from: Account;
    to: Account;
    amount: bigint;
    fee: [] | [bigint];
    memo: [] | [Uint8Array];
    created_at_time: [] | [bigint];
};
type GenericError = { GenericError: { error_code: bigint; message: string } };
export type ApproveError =
    | { BadFee: { expected_fee: bigint } }
    | { InsufficientFunds: { balance: bigint } }
    | { AllowanceChanged: { current_allowance: bigint } }
    | { Expired: { ledger_time: bigint } }
    | { TooOld: null }
    | { CreatedInFuture: { ledger_time: bigint } }
    | { Duplicate: { duplicate_of: bigint } }
    | { TemporarilyUnavailable: null }
    | GenericError;
export type TransferFromError =
    | { BadFee: { expected_fee: bigint } }
    | { BadBurn: { min_burn_amount: bigint } }
    | { InsufficientFunds: { balance: bigint } }
    | { InsufficientAllowance: { allowance: bigint } }
    | { TooOld: null }
    | { CreatedInFuture: { ledger_time: bigint } }
    | { Duplicate: { duplicate_of: bigint } }
    | { TemporarilyUnavailable: null }
    | GenericError;
export type Allowance = { allowance: bigint; expires_at: [] | [bigint] };
export type MintResult = { Ok: bigint } | { Err: string };

export interface DemoTokenService {
    icrc1_balance_of: (account: Account) => Promise<bigint>;
    icrc1_fee: () => Promise<bigint>;
    icrc2_approve: (args: ApproveArgs) => Promise<{ Ok: bigint } | { Err: ApproveError }>;
    icrc2_transfer_from: (args: TransferFromArgs) => Promise<{ Ok: bigint } | { Err: TransferFromError }>;
    icrc2_allowance: (args: { account: Account; spender: Account }) => Promise<Allowance>;
    mint: (to: Account, amount: bigint) => Promise<MintResult>;
}

export function demoTokenMethods(IDL: typeof CandidIdl) {
    const Account = IDL.Record({ owner: IDL.Principal, subaccount: IDL.Opt(IDL.Vec(IDL.Nat8)) });
    const ApproveArgs = IDL.Record({
        from_subaccount: IDL.Opt(IDL.Vec(IDL.Nat8)),
        spender: Account,
        amount: IDL.Nat,
        expected_allowance: IDL.Opt(IDL.Nat),
        expires_at: IDL.Opt(IDL.Nat64),
        fee: IDL.Opt(IDL.Nat),
        memo: IDL.Opt(IDL.Vec(IDL.Nat8)),
        created_at_time: IDL.Opt(IDL.Nat64)
    });
    const TransferFromArgs = IDL.Record({
        spender_subaccount: IDL.Opt(IDL.Vec(IDL.Nat8)),
        from: Account,
        to: Account,
        amount: IDL.Nat,
        fee: IDL.Opt(IDL.Nat),
        memo: IDL.Opt(IDL.Vec(IDL.Nat8)),
        created_at_time: IDL.Opt(IDL.Nat64)
    });
    const GenericError = IDL.Record({ error_code: IDL.Nat, message: IDL.Text });
    const ApproveError = IDL.Variant({
        BadFee: IDL.Record({ expected_fee: IDL.Nat }),
        InsufficientFunds: IDL.Record({ balance: IDL.Nat }),
        AllowanceChanged: IDL.Record({ current_allowance: IDL.Nat }),
        Expired: IDL.Record({ ledger_time: IDL.Nat64 }),
        TooOld: IDL.Null,
        CreatedInFuture: IDL.Record({ ledger_time: IDL.Nat64 }),
        Duplicate: IDL.Record({ duplicate_of: IDL.Nat }),
        TemporarilyUnavailable: IDL.Null,
        GenericError
    });
    const TransferFromError = IDL.Variant({
        BadFee: IDL.Record({ expected_fee: IDL.Nat }),
        BadBurn: IDL.Record({ min_burn_amount: IDL.Nat }),
        InsufficientFunds: IDL.Record({ balance: IDL.Nat }),
        InsufficientAllowance: IDL.Record({ allowance: IDL.Nat }),
        TooOld: IDL.Null,
        CreatedInFuture: IDL.Record({ ledger_time: IDL.Nat64 }),
        Duplicate: IDL.Record({ duplicate_of: IDL.Nat }),
        TemporarilyUnavailable: IDL.Null,
        GenericError
    });
    const AllowanceArgs = IDL.Record({ account: Account, spender: Account });
    const Allowance = IDL.Record({ allowance: IDL.Nat, expires_at: IDL.Opt(IDL.Nat64) });
    const ApproveResult = IDL.Variant({ Ok: IDL.Nat, Err: ApproveError });
    const TransferFromResult = IDL.Variant({ Ok: IDL.Nat, Err: TransferFromError });
    const MintResult = IDL.Variant({ Ok: IDL.Nat, Err: IDL.Text });
    return { Account, ApproveArgs, TransferFromArgs, AllowanceArgs, Allowance, ApproveResult, TransferFromResult, MintResult };
}

export const demoTokenIdlFactory = ({ IDL }: { IDL: typeof CandidIdl }): CandidIdl.ServiceClass => {
    const m = demoTokenMethods(IDL);
    return IDL.Service({
        icrc1_balance_of: IDL.Func([m.Account], [IDL.Nat], ['query']),
        icrc1_fee: IDL.Func([], [IDL.Nat], ['query']),
        icrc2_approve: IDL.Func([m.ApproveArgs], [m.ApproveResult], []),
        icrc2_transfer_from: IDL.Func([m.TransferFromArgs], [m.TransferFromResult], []),
        icrc2_allowance: IDL.Func([m.AllowanceArgs], [m.Allowance], ['query']),
        mint: IDL.Func([m.Account, IDL.Nat], [m.MintResult], [])
    });
};
