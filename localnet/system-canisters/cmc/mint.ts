/**
 * The cycles minting canister's minting from ICP as plain functions: the cycles an ICP
 * payment buys at a rate, and whether an ICP ledger block is a payment for cycles by the
 * caller (dfinity/ic `rs/nns/cmc/src/main.rs` `notify_mint_cycles`, `fetch_transaction`).
 */
import { MEMO_MINT_CYCLES, type BlockValue, type NotifyErrorValue } from '../common/icp-interfaces';
import { toHex } from '../icp-ledger/account-id';

/**
 * Cycles for `e8s` at `xdrPermyriadPerIcp`: 1 XDR buys 10^12 cycles, so one e8 (10^-8 ICP)
 * buys `xdrPermyriadPerIcp` × 10^12 / 10^4 / 10^8 = `xdrPermyriadPerIcp` cycles.
 *
 * @example
 * cyclesForE8s(100_000_000n, 35_000n) // 3.5 T cycles for 1 ICP at 3.5 XDR per ICP
 */
export function cyclesForE8s(e8s: bigint, xdrPermyriadPerIcp: bigint): bigint {
    return e8s * xdrPermyriadPerIcp;
}

/** Blocks up to `lastPurged` were forgotten by the CMC: notifying them answers `TransactionTooOld` with the first block it still knows. */
export function tooOld(blockIndex: bigint, lastPurged: bigint | undefined): NotifyErrorValue | null {
    return lastPurged !== undefined && blockIndex <= lastPurged ? { TransactionTooOld: lastPurged + 1n } : null;
}

/**
 * The ICP the block pays for cycles, or why it is not such a payment: it must exist, be a
 * transfer, go to `expectedTo` (the CMC's subaccount of the caller) and carry the MINT memo.
 */
export function mintPayment(block: BlockValue | undefined, blockIndex: bigint, expectedTo: string): { e8s: bigint } | NotifyErrorValue {
    if (block === undefined) return { InvalidTransaction: `Block ${blockIndex} not found on the ICP ledger` };
    const operation = block.transaction.operation[0];
    if (operation === undefined || !('Transfer' in operation)) {
        return { InvalidTransaction: `Notification transaction must be of type transfer, not ${operation === undefined ? 'none' : Object.keys(operation)[0]}` };
    }
    const to = toHex(operation.Transfer.to);
    if (to !== expectedTo) return { InvalidTransaction: `Destination account in the block (${to}) different than in the notification (${expectedTo})` };
    const memo = block.transaction.memo;
    if (memo !== MEMO_MINT_CYCLES) return { InvalidTransaction: `Intent in the block (memo ${memo}) different than in the notification (memo ${MEMO_MINT_CYCLES}, MINT)` };
    return { e8s: operation.Transfer.amount.e8s };
}
