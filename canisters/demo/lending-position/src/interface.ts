/** Candid interface of the `lending_position` demo canister (canister and test clients). */
import type { IDL as CandidIdl } from '@dfinity/candid';

export type RepayArgs = { amount: bigint; position: string };
export type RepayResult = { Ok: bigint } | { Err: string };

export interface LendingPositionService {
    repay: (args: RepayArgs) => Promise<RepayResult>;
    repay_count: () => Promise<bigint>;
    total_repaid: () => Promise<bigint>;
    fail_next: (count: number) => Promise<void>;
}

export function lendingPositionMethods(IDL: typeof CandidIdl) {
    const RepayArgs = IDL.Record({ amount: IDL.Nat, position: IDL.Text });
    const RepayResult = IDL.Variant({ Ok: IDL.Nat, Err: IDL.Text });
    return { RepayArgs, RepayResult };
}

export const lendingPositionIdlFactory = ({ IDL }: { IDL: typeof CandidIdl }): CandidIdl.ServiceClass => {
    const m = lendingPositionMethods(IDL);
    return IDL.Service({
        repay: IDL.Func([m.RepayArgs], [m.RepayResult], []),
        repay_count: IDL.Func([], [IDL.Nat64], ['query']),
        total_repaid: IDL.Func([], [IDL.Nat], ['query']),
        fail_next: IDL.Func([IDL.Nat32], [], [])
    });
};
