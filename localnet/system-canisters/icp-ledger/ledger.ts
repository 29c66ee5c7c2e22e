/**
 * The ICP ledger's rules as plain functions (the canister keeps the state): which transfers
 * it refuses and with which `TransferError`, in the ICP ledger's order (fee, time window,
 * duplicate, funds), and its blocks as `query_blocks` answers them. Blocks are kept as text
 * (bigints as decimal strings) so a `StableBTreeMap` can hold them.
 */
import type { TransferArgsValue, TransferErrorValue } from '../common/interfaces';
import { fromHex } from './account-id';
import {
    ICP_LEDGER_FEE_E8S,
    PERMITTED_DRIFT_NANOS,
    TRANSACTION_WINDOW_NANOS,
    type BlockValue,
    type IcpTransferArgsValue,
    type IcpTransferErrorValue
} from '../common/icp-interfaces';

/** One block: a mint (the init balances) or a transfer, account identifiers in hex. */
export type IcpBlock =
    | { kind: 'Mint'; to: string; amount: bigint; memo: bigint; timestamp: bigint }
    | { kind: 'Transfer'; from: string; to: string; amount: bigint; fee: bigint; memo: bigint; createdAt: bigint; timestamp: bigint };

/**
 * Why the ledger refuses a transfer, or null: a fee other than 0.0001 ICP, a `created_at_time`
 * more than 24 h (plus 2 min drift) old or more than 2 min ahead, the same transaction
 * already in block `duplicateOf`, or a balance below amount plus fee.
 */
export function refusedTransfer(arg: IcpTransferArgsValue, balance: bigint, now: bigint, duplicateOf: bigint | undefined): IcpTransferErrorValue | null {
    if (arg.fee.e8s !== ICP_LEDGER_FEE_E8S) return { BadFee: { expected_fee: { e8s: ICP_LEDGER_FEE_E8S } } };
    const createdAt = arg.created_at_time[0]?.timestamp_nanos;
    if (createdAt !== undefined) {
        if (createdAt + TRANSACTION_WINDOW_NANOS + PERMITTED_DRIFT_NANOS < now) return { TxTooOld: { allowed_window_nanos: TRANSACTION_WINDOW_NANOS } };
        if (createdAt > now + PERMITTED_DRIFT_NANOS) return { TxCreatedInFuture: null };
        if (duplicateOf !== undefined) return { TxDuplicate: { duplicate_of: duplicateOf } };
    }
    if (balance < arg.amount.e8s + ICP_LEDGER_FEE_E8S) return { InsufficientFunds: { balance: { e8s: balance } } };
    return null;
}

/** The key a transaction with `created_at_time` is deduplicated by (without it, none: as on the ICP ledger). */
export function dedupKey(from: string, arg: IcpTransferArgsValue, to: string): string | undefined {
    const createdAt = arg.created_at_time[0]?.timestamp_nanos;
    return createdAt === undefined ? undefined : [from, to, arg.amount.e8s, arg.fee.e8s, arg.memo, createdAt].join('/');
}

/** A block as `query_blocks` answers it (no parent hashes: this ledger does not hash its chain). */
export function candidBlock(block: IcpBlock): BlockValue {
    const operation =
        block.kind === 'Mint'
            ? { Mint: { to: fromHex(block.to), amount: { e8s: block.amount } } }
            : { Transfer: { from: fromHex(block.from), to: fromHex(block.to), amount: { e8s: block.amount }, fee: { e8s: block.fee }, spender: [] as [] } };
    const createdAt = block.kind === 'Transfer' ? block.createdAt : block.timestamp;
    return {
        parent_hash: [],
        transaction: { memo: block.memo, icrc1_memo: [], operation: [operation], created_at_time: { timestamp_nanos: createdAt } },
        timestamp: { timestamp_nanos: block.timestamp }
    };
}

export const encodeBlock = (block: IcpBlock): string => JSON.stringify(block, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value));
export const decodeBlock = (text: string): IcpBlock =>
    JSON.parse(text, (_key, value: unknown) => (typeof value === 'string' && /^\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value)) as IcpBlock;

const U64_MAX = 2n ** 64n - 1n;

/**
 * An ICRC-1 transfer as the ledger's own transfer (ICRC-1's absent fee is the ledger's fee;
 * the legacy memo is 0, the ICRC-1 memo is kept apart), or why it cannot be one: the
 * amount or fee does not fit the ledger's 64-bit e8s.
 */
export function fromIcrc1(arg: TransferArgsValue, to: Uint8Array): IcpTransferArgsValue | TransferErrorValue {
    const fee = arg.fee[0] ?? ICP_LEDGER_FEE_E8S;
    if (arg.amount > U64_MAX || fee > U64_MAX) return { GenericError: { message: 'the amount and the fee of an ICP transfer are 64-bit e8s', error_code: 1n } };
    const createdAt = arg.created_at_time[0];
    return { memo: 0n, amount: { e8s: arg.amount }, fee: { e8s: fee }, from_subaccount: arg.from_subaccount, to, created_at_time: createdAt === undefined ? [] : [{ timestamp_nanos: createdAt }] };
}

/** A refusal of the ledger's own transfer as ICRC-1 names it (`TooOld`, `CreatedInFuture` with the ledger's time, `Duplicate`, ...). */
export function icrc1Error(error: IcpTransferErrorValue, now: bigint): TransferErrorValue {
    if ('BadFee' in error) return { BadFee: { expected_fee: error.BadFee.expected_fee.e8s } };
    if ('InsufficientFunds' in error) return { InsufficientFunds: { balance: error.InsufficientFunds.balance.e8s } };
    if ('TxTooOld' in error) return { TooOld: null };
    if ('TxCreatedInFuture' in error) return { CreatedInFuture: { ledger_time: now } };
    return { Duplicate: { duplicate_of: error.TxDuplicate.duplicate_of } };
}
