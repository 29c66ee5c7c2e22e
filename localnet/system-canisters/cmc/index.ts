/**
 * `cmc`: the local network's cycles minting canister at its fixed id
 * (`rkp4c-7iaaa-aaaaa-aaaca-cai`, on the NNS subnet), as far as icp-cli needs it: to create
 * canisters, `get_default_subnets` (the subnets icp-cli picks from) and `create_canister`
 * with attached cycles (what the cycles ledger calls), which creates on the chosen subnet by
 * calling that subnet's management canister by subnet id, which only NNS canisters may do;
 * to mint cycles from ICP (`icp cycles mint`), `get_icp_xdr_conversion_rate` and
 * `notify_mint_cycles`, which reads the caller's payment from the ICP ledger's `query_blocks`
 * and deposits the cycles it buys on the cycles ledger (`deposit`).
 *
 * Minting here spends cycles this canister holds (Azle has no `ic0.mint_cycles128`): `npm
 * start` creates it with a reserve; an exhausted reserve is `Err(Other)`. The rate is fixed at
 * install (no exchange rate canister), and a failed deposit is answered `Err(Other)` with the
 * payment still unspent (the IC's CMC refunds the ICP instead). Not implemented (the IC
 * answers "no such method"): `notify_top_up`, `notify_create_canister`, subnet types and
 * authorized subnets. `npm start` installs it with the network's application subnets as
 * `default_subnets`.
 */
import { call, canisterCycleBalance, canisterSelf, IDL, init, msgCaller, msgCyclesAccept, msgCyclesAvailable, Principal, query, StableBTreeMap, time, update } from 'azle';

import { CanisterSettings } from '../../src/engine/management-idl';
import { callErrorText } from '../common/call-error';
import {
    CmcCreateCanisterArgs,
    CmcCreateCanisterResult,
    CmcInitArgs,
    CYCLES_LEDGER_ID,
    emptyCanisterSettings,
    type CmcCreateCanisterArgsValue,
    type CmcCreateCanisterResultValue,
    type CmcInitArgsValue
} from '../common/interfaces';
import {
    DepositArgs,
    DepositResult,
    GetBlocksArgs,
    ICP_LEDGER_ID,
    IcpXdrConversionRateResponse,
    NotifyMintCyclesArg,
    NotifyMintCyclesResult,
    QueryBlocksResponse,
    type DepositResultValue,
    type IcpXdrConversionRateResponseValue,
    type NotifyMintCyclesArgValue,
    type NotifyMintCyclesResultValue,
    type QueryBlocksResponseValue
} from '../common/icp-interfaces';
import { accountIdentifier, principalSubaccount } from '../icp-ledger/account-id';
import { cyclesForE8s, mintPayment, tooOld } from './mint';

const config = new StableBTreeMap<'default_subnets', string[]>(0);
const minting = new StableBTreeMap<'xdr_permyriad_per_icp' | 'last_purged_notification' | 'rate_timestamp_seconds', bigint>(1);
/** ICP blocks notified: 'processing' while the deposit is under way, then the answer as JSON (bigints as "<n>n"). */
const notified = new StableBTreeMap<bigint, string>(2);

/** Error codes of `Err(Other)` here (the IC's CMC has its own; these are not part of its interface). */
const OTHER_ERROR = { ledgerUnreachable: 1n, reserveExhausted: 2n, depositFailed: 3n } as const;

const encodeAnswer = (answer: NotifyMintCyclesResultValue): string => JSON.stringify(answer, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
const decodeAnswer = (text: string): NotifyMintCyclesResultValue =>
    JSON.parse(text, (_k, v: unknown) => (typeof v === 'string' && /^\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v)) as NotifyMintCyclesResultValue;
const other = (error_code: bigint, error_message: string): NotifyMintCyclesResultValue => ({ Err: { Other: { error_code, error_message } } });

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

/** Reads the payment, checks it, and deposits the cycles it buys. */
async function mintFor(caller: Principal, arg: NotifyMintCyclesArgValue): Promise<NotifyMintCyclesResultValue> {
    let blocks: QueryBlocksResponseValue;
    try {
        blocks = await call<unknown[], QueryBlocksResponseValue>(Principal.fromText(ICP_LEDGER_ID), 'query_blocks', {
            paramIdlTypes: [GetBlocksArgs],
            returnIdlType: QueryBlocksResponse,
            args: [{ start: arg.block_index, length: 1n }]
        });
    } catch (error) {
        return other(OTHER_ERROR.ledgerUnreachable, `the ICP ledger did not answer query_blocks: ${callErrorText(error)}`);
    }
    const block = blocks.first_block_index === arg.block_index ? blocks.blocks[0] : undefined;
    const payment = mintPayment(block, arg.block_index, accountIdentifier(canisterSelf(), principalSubaccount(caller)));
    if (!('e8s' in payment)) return { Err: payment };
    const cycles = cyclesForE8s(payment.e8s, minting.get('xdr_permyriad_per_icp') ?? 0n);
    const reserve = canisterCycleBalance();
    if (cycles >= reserve) return other(OTHER_ERROR.reserveExhausted, `this local CMC mints from the cycles it holds: ${reserve} left, ${cycles} asked for`);
    try {
        const deposit = await call<unknown[], DepositResultValue>(Principal.fromText(CYCLES_LEDGER_ID), 'deposit', {
            paramIdlTypes: [DepositArgs],
            returnIdlType: DepositResult,
            args: [{ to: { owner: caller, subaccount: arg.to_subaccount }, memo: arg.deposit_memo }],
            cycles
        });
        return { Ok: { block_index: deposit.block_index, minted: cycles, balance: deposit.balance } };
    } catch (error) {
        return other(OTHER_ERROR.depositFailed, `the cycles ledger refused the deposit: ${callErrorText(error)}`);
    }
}

export default class {
    /** Call context: install (by `npm start`). */
    @init([CmcInitArgs])
    init(arg: CmcInitArgsValue): void {
        config.insert('default_subnets', arg.default_subnets.map((p) => p.toText()));
        minting.insert('xdr_permyriad_per_icp', arg.xdr_permyriad_per_icp);
        minting.insert('rate_timestamp_seconds', time() / 1_000_000_000n);
        const lastPurged = arg.last_purged_notification[0];
        if (lastPurged !== undefined) minting.insert('last_purged_notification', lastPurged);
    }

    /** Call context: query; anyone. The rate fixed at install; no certificate (the IC certifies it). */
    @query([], IcpXdrConversionRateResponse)
    get_icp_xdr_conversion_rate(): IcpXdrConversionRateResponseValue {
        return {
            data: { timestamp_seconds: minting.get('rate_timestamp_seconds') ?? 0n, xdr_permyriad_per_icp: minting.get('xdr_permyriad_per_icp') ?? 0n },
            hash_tree: [],
            certificate: []
        };
    }

    /**
     * Mints cycles for the caller's ICP payment in `block_index` (a transfer with memo MINT to
     * the CMC's subaccount named after the caller) at the conversion rate, and deposits them
     * on the caller's cycles ledger account (`to_subaccount`); the ledger keeps its fee. A
     * block already minted for answers the same success again, as the IC's CMC does.
     * Call context: update; the payer. Errors: TransactionTooOld (block forgotten),
     * InvalidTransaction (no such block, not a transfer, another destination, another
     * memo), Processing (the same block's deposit is under way), Other (the ledger or the
     * deposit failed, or the minting reserve is exhausted; the block may be notified again).
     */
    @update([NotifyMintCyclesArg], NotifyMintCyclesResult)
    async notify_mint_cycles(arg: NotifyMintCyclesArgValue): Promise<NotifyMintCyclesResultValue> {
        const caller = msgCaller();
        const old = tooOld(arg.block_index, minting.get('last_purged_notification') ?? undefined);
        if (old !== null) return { Err: old };
        const seen = notified.get(arg.block_index);
        if (seen === 'processing') return { Err: { Processing: null } };
        if (seen !== undefined) return decodeAnswer(seen);
        notified.insert(arg.block_index, 'processing');
        const answer = await mintFor(caller, arg);
        // Only a success spends the payment; after an error the block may be notified again.
        if ('Ok' in answer) notified.insert(arg.block_index, encodeAnswer(answer));
        else notified.remove(arg.block_index);
        return answer;
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
