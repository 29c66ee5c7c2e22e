/**
 * Candid interface of the `price_oracle` demo canister, one definition for the canister and
 * its test clients. Takes the IDL namespace so both Azle's and pic-js's Candid fit.
 */
import type { IDL as CandidIdl } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

export type PriceReply = { price_e8s: bigint };

/** The oracle's service (test clients). */
export interface PriceOracleService {
    get_price: () => Promise<PriceReply>;
    set_price: (priceE8s: bigint) => Promise<void>;
    fail_next: (count: number) => Promise<void>;
    stall_next: (count: number, rounds: number) => Promise<void>;
    calls: () => Promise<bigint>;
    /** The caller of the latest `get_price` (`[]` before the first). */
    last_caller: () => Promise<[] | [Principal]>;
}

export function priceOracleMethods(IDL: typeof CandidIdl) {
    const Price = IDL.Record({ price_e8s: IDL.Nat64 });
    return {
        Price,
        get_price: { args: [] as CandidIdl.Type[], ret: Price },
        set_price: { args: [IDL.Nat64], ret: IDL.Null },
        fail_next: { args: [IDL.Nat32], ret: IDL.Null },
        stall_next: { args: [IDL.Nat32, IDL.Nat32], ret: IDL.Null },
        calls: { args: [] as CandidIdl.Type[], ret: IDL.Nat64 },
        last_caller: { args: [] as CandidIdl.Type[], ret: IDL.Opt(IDL.Principal) }
    };
}

export const priceOracleIdlFactory = ({ IDL }: { IDL: typeof CandidIdl }): CandidIdl.ServiceClass => {
    const m = priceOracleMethods(IDL);
    return IDL.Service({
        get_price: IDL.Func([], [m.Price], []),
        set_price: IDL.Func([IDL.Nat64], [], []),
        fail_next: IDL.Func([IDL.Nat32], [], []),
        stall_next: IDL.Func([IDL.Nat32, IDL.Nat32], [], []),
        calls: IDL.Func([], [IDL.Nat64], ['query']),
        last_caller: IDL.Func([], [IDL.Opt(IDL.Principal)], ['query'])
    });
};
