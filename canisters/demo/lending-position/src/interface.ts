/** Candid interface of the `lending_position` demo canister (canister and test clients). */
import type { IDL as CandidIdl } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

export type RepayArgs = { amount: bigint; position: string };
export type RepayResult = { Ok: bigint } | { Err: string };
export type PositionArgs = { position: string };
/** A position's state as a lending protocol reports it: the health factor in percent, or gone. */
export type PositionHealth = { Healthy: bigint } | { AtRisk: bigint } | { Liquidated: null };

export interface LendingPositionService {
    repay: (args: RepayArgs) => Promise<RepayResult>;
    repay_count: () => Promise<bigint>;
    total_repaid: () => Promise<bigint>;
    fail_next: (count: number) => Promise<void>;
    err_next: (count: number) => Promise<void>;
    set_health: (percent: bigint) => Promise<void>;
    position_health: (args: PositionArgs) => Promise<PositionHealth>;
    liquidate: (args: PositionArgs) => Promise<RepayResult>;
    liquidation_count: () => Promise<bigint>;
    set_position_owner: (owner: [] | [Principal]) => Promise<void>;
}

export function lendingPositionMethods(IDL: typeof CandidIdl) {
    const RepayArgs = IDL.Record({ amount: IDL.Nat, position: IDL.Text });
    const RepayResult = IDL.Variant({ Ok: IDL.Nat, Err: IDL.Text });
    const PositionArgs = IDL.Record({ position: IDL.Text });
    const PositionHealth = IDL.Variant({ Healthy: IDL.Nat, AtRisk: IDL.Nat, Liquidated: IDL.Null });
    return { RepayArgs, RepayResult, PositionArgs, PositionHealth };
}

export const lendingPositionIdlFactory = ({ IDL }: { IDL: typeof CandidIdl }): CandidIdl.ServiceClass => {
    const m = lendingPositionMethods(IDL);
    return IDL.Service({
        repay: IDL.Func([m.RepayArgs], [m.RepayResult], []),
        repay_count: IDL.Func([], [IDL.Nat64], ['query']),
        total_repaid: IDL.Func([], [IDL.Nat], ['query']),
        fail_next: IDL.Func([IDL.Nat32], [], []),
        err_next: IDL.Func([IDL.Nat32], [], []),
        set_health: IDL.Func([IDL.Nat], [], []),
        position_health: IDL.Func([m.PositionArgs], [m.PositionHealth], ['query']),
        liquidate: IDL.Func([m.PositionArgs], [m.RepayResult], []),
        liquidation_count: IDL.Func([], [IDL.Nat64], ['query']),
        set_position_owner: IDL.Func([IDL.Opt(IDL.Principal)], [], [])
    });
};
