/**
 * The bookkeeping of the `demo_token` canister as plain functions: balances and ICRC-2
 * allowances keyed by account, with the standard's checks (fee, expected allowance, expiry,
 * funds, allowance). Pure so it is unit-tested beside it; the canister only adds the caller
 * and the clock.
 *
 * Semantics follow the ICRC-2 standard (dfinity/ICRC-1, standards/ICRC-2/README.md): an
 * approval replaces the spender's allowance and charges the fee to the approver; a
 * `transfer_from` debits `amount + fee` from the owner's balance and from the spender's
 * allowance; an expired allowance counts as zero. Deduplication by `created_at_time` is left
 * out (a demo ledger, not a production one): `TooOld`, `CreatedInFuture` and `Duplicate`
 * are never answered.
 */
import type { Principal } from '@dfinity/principal';

import type { Account, ApproveArgs, ApproveError, TransferFromArgs, TransferFromError } from './interface';

/** The fee of every approve and transfer, in token units. */
export const TOKEN_FEE = 10n;

const DEFAULT_SUBACCOUNT = new Uint8Array(32);

export type TokenBook = {
    balances: Map<string, bigint>;
    /** Keyed by owner account, then spender account. */
    allowances: Map<string, { amount: bigint; expiresAt: bigint | undefined }>;
    /** Index of the next block (approvals and transfers alike). */
    nextBlock: bigint;
};

export function emptyBook(): TokenBook {
    return { balances: new Map(), allowances: new Map(), nextBlock: 0n };
}

/** One key per account; an absent subaccount is the all-zero one, as the standard says. */
export function accountKey(account: Account): string {
    const sub = account.subaccount[0] ?? DEFAULT_SUBACCOUNT;
    return `${account.owner.toText()}.${Array.from(sub, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function allowanceKey(owner: Account, spender: Account): string {
    return `${accountKey(owner)}>${accountKey(spender)}`;
}

export function balanceOf(book: TokenBook, account: Account): bigint {
    return book.balances.get(accountKey(account)) ?? 0n;
}

/** The spender's allowance on `owner`'s account at `now` (ns); an expired one is zero. */
export function allowanceOf(book: TokenBook, owner: Account, spender: Account, now: bigint): { allowance: bigint; expires_at: [] | [bigint] } {
    const entry = book.allowances.get(allowanceKey(owner, spender));
    if (entry === undefined || (entry.expiresAt !== undefined && entry.expiresAt <= now)) return { allowance: 0n, expires_at: [] };
    return { allowance: entry.amount, expires_at: entry.expiresAt === undefined ? [] : [entry.expiresAt] };
}

export function mint(book: TokenBook, to: Account, amount: bigint): bigint {
    book.balances.set(accountKey(to), balanceOf(book, to) + amount);
    return book.nextBlock++;
}

function setBalance(book: TokenBook, account: Account, amount: bigint): void {
    if (amount === 0n) book.balances.delete(accountKey(account));
    else book.balances.set(accountKey(account), amount);
}

/** `caller` approves `args.spender` on its account `from_subaccount`. */
export function approve(book: TokenBook, caller: Principal, args: ApproveArgs, now: bigint): { Ok: bigint } | { Err: ApproveError } {
    const from: Account = { owner: caller, subaccount: args.from_subaccount };
    const fee = args.fee[0];
    if (fee !== undefined && fee !== TOKEN_FEE) return { Err: { BadFee: { expected_fee: TOKEN_FEE } } };
    const expiresAt = args.expires_at[0];
    if (expiresAt !== undefined && expiresAt <= now) return { Err: { Expired: { ledger_time: now } } };
    const current = allowanceOf(book, from, args.spender, now).allowance;
    const expected = args.expected_allowance[0];
    if (expected !== undefined && expected !== current) return { Err: { AllowanceChanged: { current_allowance: current } } };
    const balance = balanceOf(book, from);
    if (balance < TOKEN_FEE) return { Err: { InsufficientFunds: { balance } } };
    setBalance(book, from, balance - TOKEN_FEE);
    book.allowances.set(allowanceKey(from, args.spender), { amount: args.amount, expiresAt });
    return { Ok: book.nextBlock++ };
}

/** `caller` (the spender, on `spender_subaccount`) moves `amount` from `args.from` to `args.to`. */
export function transferFrom(book: TokenBook, caller: Principal, args: TransferFromArgs, now: bigint): { Ok: bigint } | { Err: TransferFromError } {
    const spender: Account = { owner: caller, subaccount: args.spender_subaccount };
    const fee = args.fee[0];
    if (fee !== undefined && fee !== TOKEN_FEE) return { Err: { BadFee: { expected_fee: TOKEN_FEE } } };
    const debit = args.amount + TOKEN_FEE;
    const allowance = allowanceOf(book, args.from, spender, now).allowance;
    if (allowance < debit) return { Err: { InsufficientAllowance: { allowance } } };
    const balance = balanceOf(book, args.from);
    if (balance < debit) return { Err: { InsufficientFunds: { balance } } };
    setBalance(book, args.from, balance - debit);
    setBalance(book, args.to, balanceOf(book, args.to) + args.amount);
    const key = allowanceKey(args.from, spender);
    const entry = book.allowances.get(key);
    if (entry !== undefined) book.allowances.set(key, { ...entry, amount: entry.amount - debit });
    return { Ok: book.nextBlock++ };
}
