/**
 * `demo_token`: an ICRC-2 style demo token for workflow tests and examples. A spender's
 * allowance is per account: an approval an owner gives its own DeFlow agent cannot be spent
 * by another owner's agent, which is what this canister lets a test show.
 *
 * Caller rules: `icrc2_approve` and `icrc2_transfer_from` act for the caller (its account as
 * approver, its principal as spender); `mint` is for the token's controllers only (funding
 * test accounts); the queries are open. Heap state: an upgrade resets it, which no test
 * relies on.
 */
import { IDL, isController, msgCaller, query, time, update } from 'azle';

import { type Account, type Allowance, type ApproveArgs, type ApproveError, demoTokenMethods, type MintResult, type TransferFromArgs, type TransferFromError } from './interface';
import { allowanceOf, approve, balanceOf, emptyBook, mint, TOKEN_FEE, transferFrom } from './ledger';

const M = demoTokenMethods(IDL);
const book = emptyBook();

export default class {
    @query([M.Account], IDL.Nat)
    icrc1_balance_of(account: Account): bigint {
        return balanceOf(book, account);
    }

    @query([], IDL.Nat)
    icrc1_fee(): bigint {
        return TOKEN_FEE;
    }

    @update([M.ApproveArgs], M.ApproveResult)
    icrc2_approve(args: ApproveArgs): { Ok: bigint } | { Err: ApproveError } {
        return approve(book, msgCaller(), args, time());
    }

    @update([M.TransferFromArgs], M.TransferFromResult)
    icrc2_transfer_from(args: TransferFromArgs): { Ok: bigint } | { Err: TransferFromError } {
        return transferFrom(book, msgCaller(), args, time());
    }

    @query([M.AllowanceArgs], M.Allowance)
    icrc2_allowance(args: { account: Account; spender: Account }): Allowance {
        return allowanceOf(book, args.account, args.spender, time());
    }

    @update([M.Account, IDL.Nat], M.MintResult)
    mint(to: Account, amount: bigint): MintResult {
        if (!isController(msgCaller())) return { Err: 'mint: controllers only' };
        return { Ok: mint(book, to, amount) };
    }
}
