/**
 * `lending_position`: a demo canister for workflow tests. Every accepted `repay` increments a
 * counter, so a test can prove a retried or re-sent node never repaid twice. `fail_next`
 * makes the next N repay calls reject (nothing recorded), `err_next` makes them answer
 * `Err` (nothing recorded): the two failure shapes a workflow must tell apart. The position's
 * health (`set_health`, `position_health`) and `liquidate` stand in for a position manager a
 * `LiquidatePosition` emergency action calls. `set_position_owner` names who may liquidate (a
 * lending protocol lets only the position's owner close it): DeFlow calls from the owner's own
 * agent, so another owner's workflow cannot close this position.
 */
import { IDL, msgArgData, msgCaller, msgReject, msgReply, query, update, type Principal } from 'azle';

import { lendingPositionMethods, type PositionHealth, type RepayArgs, type RepayResult } from './interface';

const M = lendingPositionMethods(IDL);

let repays = 0n;
let total = 0n;
let failures = 0;
let errReplies = 0;
/** Health factor in percent; below 100 the position is at risk. */
let health = 150n;
let liquidated = false;
let liquidations = 0n;
/** Who may liquidate; absent: anyone (the demo's default). */
let positionOwner: Principal | undefined;

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
        if (errReplies > 0) {
            errReplies -= 1;
            msgReply(new Uint8Array(IDL.encode([M.RepayResult], [{ Err: 'position temporarily locked' }])));
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

    /** The next `count` repay calls answer `Err` (a reply, not a reject). */
    @update([IDL.Nat32])
    err_next(count: number): void {
        errReplies = count;
    }

    @update([IDL.Nat])
    set_health(percent: bigint): void {
        health = percent;
    }

    @query([M.PositionArgs], M.PositionHealth)
    position_health(): PositionHealth {
        if (liquidated) return { Liquidated: null };
        return health >= 100n ? { Healthy: health } : { AtRisk: health };
    }

    /** Only `owner` may liquidate from now on (`[]`: anyone). */
    @update([IDL.Opt(IDL.Principal)])
    set_position_owner(owner: [] | [Principal]): void {
        positionOwner = owner[0];
    }

    /** Closes the position (once: a second liquidation answers `Err`; a caller other than its owner too); counted. */
    @update([M.PositionArgs], M.RepayResult)
    liquidate(): RepayResult {
        if (positionOwner !== undefined && positionOwner.compareTo(msgCaller()) !== 'eq') return { Err: 'not the position owner' };
        if (liquidated) return { Err: 'already liquidated' };
        liquidated = true;
        liquidations += 1n;
        return { Ok: liquidations };
    }

    @query([], IDL.Nat64)
    liquidation_count(): bigint {
        return liquidations;
    }
}
