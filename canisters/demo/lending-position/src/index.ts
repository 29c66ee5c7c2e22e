/**
 * `lending_position`: a demo canister for workflow tests. Every accepted `repay` increments a
 * counter, so a test can prove a retried or re-sent node never repaid twice. `fail_next`
 * makes the next N repay calls reject (nothing recorded).
 */
import { IDL, msgArgData, msgReject, msgReply, query, update } from 'azle';

import { lendingPositionMethods, type RepayArgs } from './interface';

const M = lendingPositionMethods(IDL);

let repays = 0n;
let total = 0n;
let failures = 0;

export default class {
    /**
     * Answers `Ok(repay count)`; rejects (code 4) while failures are pending. Manual reply so
     * a reject keeps the decremented failure counter (a trap would roll it back); manual
     * methods get no decoded arguments, hence the explicit decode.
     */
    @update([M.RepayArgs], M.RepayResult, { manual: true })
    repay(): void {
        const [args] = IDL.decode([M.RepayArgs], msgArgData()) as unknown as [RepayArgs];
        if (failures > 0) {
            failures -= 1;
            msgReject('lending_position: failing on purpose');
            return;
        }
        repays += 1n;
        total += args.amount;
        msgReply(new Uint8Array(IDL.encode([M.RepayResult], [{ Ok: repays }])));
    }

    @query([], IDL.Nat64)
    repay_count(): bigint {
        return repays;
    }

    @query([], IDL.Nat)
    total_repaid(): bigint {
        return total;
    }

    @update([IDL.Nat32])
    fail_next(count: number): void {
        failures = count;
    }
}
