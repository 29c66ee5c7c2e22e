/**
 * `price_oracle`: a demo canister for workflow tests. `get_price` answers a settable price;
 * it can be told to reject the next N calls (`fail_next`) or to stall the next N calls for a
 * number of rounds before answering (`stall_next`, for node timeouts). Test-only state lives
 * on the heap: an upgrade resets it, which no test relies on.
 */
import { call, IDL, msgCaller, msgReject, msgReply, query, update, type Principal } from 'azle';

import { priceOracleMethods } from './interface';

const M = priceOracleMethods(IDL);

let price = 100_000_000n;
let failures = 0;
let stalls = 0;
let stallRounds = 0;
let callCount = 0n;
/** Who read the price last: tests prove who makes a trigger's read. */
let lastCaller: Principal | undefined;

export default class {
    /**
     * Rejects (code 4, CanisterReject) while failures are pending; a reject keeps the
     * decremented counter, a trap would roll it back.
     */
    @update(M.get_price.args, M.get_price.ret, { manual: true })
    async get_price(): Promise<void> {
        callCount += 1n;
        lastCaller = msgCaller();
        if (failures > 0) {
            failures -= 1;
            msgReject(`price_oracle: failing on purpose (${failures} more)`);
            return;
        }
        if (stalls > 0) {
            stalls -= 1;
            // Each management call takes at least one round: the reply comes rounds later.
            for (let i = 0; i < stallRounds; i++) await call('aaaaa-aa', 'raw_rand', { returnIdlType: IDL.Vec(IDL.Nat8) });
        }
        msgReply(new Uint8Array(IDL.encode([M.Price], [{ price_e8s: price }])));
    }

    @update(M.set_price.args)
    set_price(priceE8s: bigint): void {
        price = priceE8s;
    }

    @update(M.fail_next.args)
    fail_next(count: number): void {
        failures = count;
    }

    @update(M.stall_next.args)
    stall_next(count: number, rounds: number): void {
        stalls = count;
        stallRounds = rounds;
    }

    @query([], M.calls.ret)
    calls(): bigint {
        return callCount;
    }

    @query([], M.last_caller.ret)
    last_caller(): [] | [Principal] {
        return lastCaller === undefined ? [] : [lastCaller];
    }
}
