/**
 * The cycles ledger's bookkeeping as plain functions over a balance store (a `Map` in unit
 * tests, the canister's `StableBTreeMap` in the canister): account keys, the fee rule and
 * debits that never overdraw. Every balance is backed by cycles the ledger canister holds.
 */
import { CYCLES_LEDGER_FEE, type AccountValue, type RejectionCodeValue } from '../common/interfaces';

export type BalanceStore = { get(key: string): bigint | undefined; set(key: string, value: bigint): void };

export type GenericError = { GenericError: { message: string; error_code: bigint } };
export type InsufficientFunds = { InsufficientFunds: { balance: bigint } };
export type BadFee = { BadFee: { expected_fee: bigint } };

/** ICRC-1 generic error codes used here (the cycles ledger's own are not part of its interface). */
export const GENERIC_ERROR = { invalidSubaccount: 1n, createdAtTimeUnsupported: 2n } as const;

const ZERO_SUBACCOUNT = '00'.repeat(32);

/**
 * The store key of an account: its owner's text, plus the subaccount in hex unless it is the
 * default (absent or 32 zero bytes, which ICRC-1 treats as the same account). A subaccount
 * must be 32 bytes.
 */
export function accountKey(account: AccountValue): string | GenericError {
    const sub = account.subaccount[0];
    if (sub === undefined) return account.owner.toText();
    if (sub.length !== 32) return { GenericError: { message: `a subaccount is 32 bytes, got ${sub.length}`, error_code: GENERIC_ERROR.invalidSubaccount } };
    const hex = Array.from(sub, (byte) => byte.toString(16).padStart(2, '0')).join('');
    return hex === ZERO_SUBACCOUNT ? account.owner.toText() : `${account.owner.toText()}.${hex}`;
}

/** A given fee must be the ledger's fee (ICRC-1 `BadFee`); absent means the ledger's fee. */
export function checkFee(fee: [] | [bigint]): BadFee | null {
    return fee[0] === undefined || fee[0] === CYCLES_LEDGER_FEE ? null : { BadFee: { expected_fee: CYCLES_LEDGER_FEE } };
}

/**
 * Deduplication by `created_at_time` is not implemented: a request that asks for it is
 * refused with a typed error rather than accepted without the guarantee it asks for.
 */
export function refuseCreatedAtTime(createdAtTime: [] | [bigint]): GenericError | null {
    return createdAtTime[0] === undefined
        ? null
        : { GenericError: { message: 'this local cycles ledger does not deduplicate transactions: omit created_at_time', error_code: GENERIC_ERROR.createdAtTimeUnsupported } };
}

export function balanceOf(store: BalanceStore, key: string): bigint {
    return store.get(key) ?? 0n;
}

/** Takes `amount` from an account, or answers `InsufficientFunds` with its balance and takes nothing. */
export function debit(store: BalanceStore, key: string, amount: bigint): InsufficientFunds | null {
    const balance = balanceOf(store, key);
    if (balance < amount) return { InsufficientFunds: { balance } };
    store.set(key, balance - amount);
    return null;
}

export function credit(store: BalanceStore, key: string, amount: bigint): void {
    store.set(key, balanceOf(store, key) + amount);
}

/** Moves `amount` from one account to another, burning the fee; nothing changes on an error. */
export function transfer(store: BalanceStore, from: string, to: string, amount: bigint): InsufficientFunds | null {
    const refused = debit(store, from, amount + CYCLES_LEDGER_FEE);
    if (refused !== null) return refused;
    credit(store, to, amount);
    return null;
}

const REJECTION_CODES = ['NoError', 'SysFatal', 'SysTransient', 'DestinationInvalid', 'CanisterReject', 'CanisterError'] as const;

/**
 * The cycles ledger's name for the IC reject code of a failed call (interface specification:
 * 1 SYS_FATAL … 5 CANISTER_ERROR); any other number is `Unknown`.
 *
 * @example
 * rejectionCodeOf(3) // { DestinationInvalid: null }
 */
export function rejectionCodeOf(code: unknown): RejectionCodeValue {
    const name = typeof code === 'number' ? REJECTION_CODES[code] : undefined;
    return (name === undefined ? { Unknown: null } : { [name]: null }) as RejectionCodeValue;
}
