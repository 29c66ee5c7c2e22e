/**
 * `cmc`: the local network's cycles minting canister at its fixed id
 * (`rkp4c-7iaaa-aaaaa-aaaca-cai`, on the NNS subnet), as far as icp-cli needs it to create
 * canisters: `get_default_subnets` (the subnets icp-cli picks from) and `create_canister`
 * with attached cycles (what the cycles ledger calls). It creates on the chosen subnet by
 * calling that subnet's management canister by subnet id, which only NNS canisters may do.
 *
 * Not implemented (the IC answers "no such method"): minting from ICP (`notify_mint_cycles`,
 * `notify_top_up`, `notify_create_canister`: there is no ICP ledger on this network), the
 * conversion rate, subnet types and authorized subnets. `npm start` installs it with the
 * network's application subnets as `default_subnets`.
 */
import { call, IDL, init, msgCaller, msgCyclesAccept, msgCyclesAvailable, Principal, query, StableBTreeMap, update } from 'azle';

import { CanisterSettings } from '../../src/engine/management-idl';
import { callErrorText } from '../common/call-error';
import { CmcCreateCanisterArgs, CmcCreateCanisterResult, CmcInitArgs, emptyCanisterSettings, type CmcCreateCanisterArgsValue, type CmcCreateCanisterResultValue, type CmcInitArgsValue } from '../common/interfaces';

const config = new StableBTreeMap<'default_subnets', string[]>(0);

const defaultSubnets = (): Principal[] => (config.get('default_subnets') ?? []).map((text) => Principal.fromText(text));

/** The subnet a request asks for, or why it cannot be served. */
function chosenSubnet(arg: CmcCreateCanisterArgsValue): Principal | string {
    const subnets = defaultSubnets();
    const selection = arg.subnet_selection[0];
    if (selection === undefined || ('Filter' in selection && selection.Filter.subnet_type[0] === undefined)) {
        if (arg.subnet_type?.[0] !== undefined) return `subnet types are not implemented on this local network (asked for ${arg.subnet_type[0]})`;
        return subnets[0] ?? 'this network has no default subnet';
    }
    if ('Filter' in selection) return `subnet types are not implemented on this local network (asked for ${selection.Filter.subnet_type[0]})`;
    const wanted = selection.Subnet.subnet.toText();
    return subnets.find((s) => s.toText() === wanted) ?? `subnet ${wanted} is not one of this network's subnets (${subnets.map((s) => s.toText()).join(', ')})`;
}

export default class {
    /** Call context: install (by `npm start`). */
    @init([CmcInitArgs])
    init(arg: CmcInitArgsValue): void {
        config.insert('default_subnets', arg.default_subnets.map((p) => p.toText()));
    }

    /** Call context: query; anyone. */
    @query([], IDL.Vec(IDL.Principal))
    get_default_subnets(): Principal[] {
        return defaultSubnets();
    }

    /**
     * Creates a canister with the attached cycles (less the subnet's creation fee) on the
     * selected subnet (or the first default subnet), with the given settings. Controllers
     * default to the caller, as the IC's CMC sets them.
     * Call context: update; any caller that attaches cycles. Errors: `Refunded` (nothing
     * attached, an unknown subnet or subnet type, or the management canister refused; the
     * accepted cycles go back to the caller with `deposit_cycles` before the answer).
     */
    @update([CmcCreateCanisterArgs], CmcCreateCanisterResult)
    async create_canister(arg: CmcCreateCanisterArgsValue): Promise<CmcCreateCanisterResultValue> {
        const cycles = msgCyclesAccept(msgCyclesAvailable());
        const caller = msgCaller();
        const refund = async (create_error: string): Promise<CmcCreateCanisterResultValue> => {
            if (cycles === 0n) return { Err: { Refunded: { refund_amount: 0n, create_error } } };
            try {
                await call('aaaaa-aa', 'deposit_cycles', { paramIdlTypes: [IDL.Record({ canister_id: IDL.Principal })], args: [{ canister_id: caller }], cycles });
                return { Err: { Refunded: { refund_amount: cycles, create_error } } };
            } catch (error) {
                return { Err: { RefundFailed: { create_error, refund_error: callErrorText(error) } } };
            }
        };
        if (cycles === 0n) return refund('create_canister needs attached cycles');
        const subnet = chosenSubnet(arg);
        if (typeof subnet === 'string') return refund(subnet);
        const settings = arg.settings[0] ?? null;
        const controllers = settings?.controllers[0] ?? [caller];
        try {
            const created = await call<unknown[], { canister_id: Principal }>(subnet, 'create_canister', {
                paramIdlTypes: [IDL.Record({ settings: IDL.Opt(CanisterSettings) })],
                returnIdlType: IDL.Record({ canister_id: IDL.Principal }),
                args: [{ settings: [{ ...(settings ?? emptyCanisterSettings()), controllers: [controllers] }] }],
                cycles
            });
            return { Ok: created.canister_id };
        } catch (error) {
            return refund(callErrorText(error));
        }
    }
}
