/**
 * `proxy`: the proxy canister local IC networks provide for icp-cli (its `--proxy` flag):
 * forwards a call, with cycles from its own balance, as a canister-to-canister call, so a
 * user can reach canister-only management methods (`create_canister`, `raw_rand`, ...) and
 * attach cycles. Only its controllers may use it. `npm start` deploys it; the interface is
 * icp-cli's (dfinity/icp-cli `crates/icp-canister-interfaces/src/proxy.rs`).
 */
import { call, canisterCycleBalance, IDL, isController, msgCaller, update } from 'azle';

import { callErrorText } from '../common/call-error';

const ProxyArgs = IDL.Record({ canister_id: IDL.Principal, method: IDL.Text, args: IDL.Vec(IDL.Nat8), cycles: IDL.Nat });
const ProxyError = IDL.Variant({
    InsufficientCycles: IDL.Record({ available: IDL.Nat, required: IDL.Nat }),
    CallFailed: IDL.Record({ reason: IDL.Text }),
    UnauthorizedUser: IDL.Null
});
const ProxyResult = IDL.Variant({ Ok: IDL.Record({ result: IDL.Vec(IDL.Nat8) }), Err: ProxyError });

type Args = { canister_id: import('azle').Principal; method: string; args: Uint8Array; cycles: bigint };
type Result =
    | { Ok: { result: Uint8Array } }
    | { Err: { InsufficientCycles: { available: bigint; required: bigint } } | { CallFailed: { reason: string } } | { UnauthorizedUser: null } };

export default class {
    /** Call context: update; controllers only (`UnauthorizedUser` otherwise). The target's reject becomes `CallFailed`. */
    @update([ProxyArgs], ProxyResult)
    async proxy(request: Args): Promise<Result> {
        if (!isController(msgCaller())) return { Err: { UnauthorizedUser: null } };
        const available = canisterCycleBalance();
        if (request.cycles > available) return { Err: { InsufficientCycles: { available, required: request.cycles } } };
        try {
            const result = await call<Uint8Array, Uint8Array>(request.canister_id, request.method, { raw: true, args: request.args, cycles: request.cycles });
            return { Ok: { result } };
        } catch (error) {
            return { Err: { CallFailed: { reason: callErrorText(error) } } };
        }
    }
}
