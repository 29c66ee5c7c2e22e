/**
 * Minting cycles from ICP on `npm start`'s network (cli/local-cycles.ts): the ICP ledger's
 * `transfer` to the CMC's subaccount of the payer with memo MINT, then the CMC's
 * `notify_mint_cycles`, which reads the block from the ICP ledger and deposits the cycles on
 * the cycles ledger, as `icp cycles mint` does it; with the typed errors of each step. The
 * CMC here is installed with block 0 (alice's seeded ICP) already forgotten.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { createIdentity, PocketIc, type Actor } from '@dfinity/pic';

import { addIcpMinting, deployLocalCycles, LOCAL_NETWORK_SUBNETS, systemWasm, SEEDED_CYCLES, SEEDED_ICP_E8S, XDR_PERMYRIAD_PER_ICP } from '../../cli/local-cycles';
import { Account, CmcInitArgs, CYCLES_LEDGER_FEE, CYCLES_LEDGER_ID, CYCLES_MINTING_CANISTER_ID, LedgerArgs, TransferArgs, TransferResult, type AccountValue, type LedgerArgsValue, type TransferArgsValue, type TransferResultValue } from '../system-canisters/common/interfaces';
import {
    AccountBalanceArgs,
    DepositArgs,
    ICP_LEDGER_FEE_E8S,
    IcpTransferArgs,
    IcpTransferResult,
    ICP_LEDGER_ID,
    IcpXdrConversionRateResponse,
    MEMO_MINT_CYCLES,
    NotifyMintCyclesArg,
    NotifyMintCyclesResult,
    Tokens,
    type IcpTransferArgsValue,
    type IcpTransferResultValue,
    type IcpXdrConversionRateResponseValue,
    type NotifyMintCyclesArgValue,
    type NotifyMintCyclesResultValue,
    type TokensValue
} from '../system-canisters/common/icp-interfaces';
import { accountIdentifier, principalSubaccount } from '../system-canisters/icp-ledger/account-id';
import { expectErr } from '../../tests/integration/support/calls';
import { AZLE_SETTLE_TICKS, deployCaller } from '../../tests/integration/support/fixtures';
import { picUrl } from '../../tests/integration/support/server-handle';

jest.setTimeout(300_000);

type IcpLedger = {
    transfer: (arg: IcpTransferArgsValue) => Promise<IcpTransferResultValue>;
    account_balance: (arg: { account: Uint8Array }) => Promise<TokensValue>;
    icrc1_balance_of: (account: AccountValue) => Promise<bigint>;
    icrc1_transfer: (arg: TransferArgsValue) => Promise<TransferResultValue>;
};
type Cmc = {
    get_icp_xdr_conversion_rate: () => Promise<IcpXdrConversionRateResponseValue>;
    notify_mint_cycles: (arg: NotifyMintCyclesArgValue) => Promise<NotifyMintCyclesResultValue>;
};
type CyclesLedger = { icrc1_balance_of: (account: AccountValue) => Promise<bigint> };

const icpLedgerIdl: IDL.InterfaceFactory = () =>
    IDL.Service({
        transfer: IDL.Func([IcpTransferArgs], [IcpTransferResult], []),
        account_balance: IDL.Func([AccountBalanceArgs], [Tokens], ['query']),
        icrc1_balance_of: IDL.Func([Account], [IDL.Nat], ['query']),
        icrc1_transfer: IDL.Func([TransferArgs], [TransferResult], [])
    });
const cmcIdl: IDL.InterfaceFactory = () =>
    IDL.Service({
        get_icp_xdr_conversion_rate: IDL.Func([], [IcpXdrConversionRateResponse], ['query']),
        notify_mint_cycles: IDL.Func([NotifyMintCyclesArg], [NotifyMintCyclesResult], [])
    });
const cyclesLedgerIdl: IDL.InterfaceFactory = () => IDL.Service({ icrc1_balance_of: IDL.Func([Account], [IDL.Nat], ['query']) });

const alice = createIdentity('alice');
const bob = createIdentity('bob');
const ONE_ICP = 100_000_000n;
const account = (owner: Principal): AccountValue => ({ owner, subaccount: [] });
const hexBytes = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g)!, (pair) => parseInt(pair, 16));
const notify = (block_index: bigint): NotifyMintCyclesArgValue => ({ block_index, to_subaccount: [], deposit_memo: [] });

describe('Localnet > minting cycles from ICP (ICP ledger, CMC notify_mint_cycles, cycles ledger deposit)', () => {
    let pic: PocketIc;
    let icp: Actor<IcpLedger>;
    let cmc: Actor<Cmc>;
    let cycles: Actor<CyclesLedger>;
    let cmcId: Principal;
    let cyclesLedgerId: Principal;
    /** A transfer by alice, to the CMC's subaccount of `payer` (alice unless given), with `memo`. */
    const payCmc = async (e8s: bigint, memo: bigint, payer: Principal = alice.getPrincipal()): Promise<bigint> => {
        icp.setIdentity(alice);
        const sent = await icp.transfer({ memo, amount: { e8s }, fee: { e8s: ICP_LEDGER_FEE_E8S }, from_subaccount: [], to: hexBytes(accountIdentifier(cmcId, principalSubaccount(payer))), created_at_time: [] });
        if (!('Ok' in sent)) throw new Error(`transfer failed: ${Object.keys(sent.Err)[0]}`);
        return sent.Ok;
    };

    beforeAll(async () => {
        pic = await PocketIc.create(picUrl(), LOCAL_NETWORK_SUBNETS);
        const ids = await deployLocalCycles(pic, alice.getPrincipal(), [alice.getPrincipal()], { lastPurged: 0n });
        await pic.tick(AZLE_SETTLE_TICKS);
        cmcId = ids.cmc;
        cyclesLedgerId = ids.cyclesLedger;
        icp = pic.createActor<IcpLedger>(icpLedgerIdl as never, ids.icpLedger);
        cmc = pic.createActor<Cmc>(cmcIdl as never, ids.cmc);
        cycles = pic.createActor<CyclesLedger>(cyclesLedgerIdl as never, ids.cyclesLedger);
    });
    afterAll(async () => {
        await pic.tearDown();
    });

    it('seeds alice with 1 000 000 ICP, the same by account identifier and by ICRC-1 account', async () => {
        expect(await icp.icrc1_balance_of(account(alice.getPrincipal()))).toBe(SEEDED_ICP_E8S);
        expect(await icp.account_balance({ account: hexBytes(accountIdentifier(alice.getPrincipal())) })).toEqual({ e8s: SEEDED_ICP_E8S });
        expect(await icp.icrc1_balance_of(account(bob.getPrincipal()))).toBe(0n);
    });

    it('answers the conversion rate it was installed with', async () => {
        expect((await cmc.get_icp_xdr_conversion_rate()).data.xdr_permyriad_per_icp).toBe(XDR_PERMYRIAD_PER_ICP);
    });

    it('mints 2 ICP worth of cycles onto alice\'s cycles ledger account (less the ledger fee); a second notify answers the same and mints nothing', async () => {
        const block = await payCmc(2n * ONE_ICP, MEMO_MINT_CYCLES);
        expect(await icp.icrc1_balance_of(account(alice.getPrincipal()))).toBe(SEEDED_ICP_E8S - 2n * ONE_ICP - ICP_LEDGER_FEE_E8S);
        cmc.setIdentity(alice);
        const minted = 2n * ONE_ICP * XDR_PERMYRIAD_PER_ICP;
        const first = await cmc.notify_mint_cycles(notify(block));
        expect(first).toMatchObject({ Ok: { minted, balance: SEEDED_CYCLES + minted - CYCLES_LEDGER_FEE } });
        expect(await cycles.icrc1_balance_of(account(alice.getPrincipal()))).toBe(SEEDED_CYCLES + minted - CYCLES_LEDGER_FEE);
        expect(await cmc.notify_mint_cycles(notify(block))).toEqual(first);
        expect(await cycles.icrc1_balance_of(account(alice.getPrincipal()))).toBe(SEEDED_CYCLES + minted - CYCLES_LEDGER_FEE);
    });

    it('refuses a payment into another principal\'s CMC subaccount as InvalidTransaction; its payer can still mint it', async () => {
        const block = await payCmc(ONE_ICP, MEMO_MINT_CYCLES);
        cmc.setIdentity(bob);
        expect(await cmc.notify_mint_cycles(notify(block))).toMatchObject({ Err: { InvalidTransaction: expect.stringContaining('Destination account in the block') } });
        expect(await cycles.icrc1_balance_of(account(bob.getPrincipal()))).toBe(0n);
        cmc.setIdentity(alice);
        expect(await cmc.notify_mint_cycles(notify(block))).toMatchObject({ Ok: { minted: ONE_ICP * XDR_PERMYRIAD_PER_ICP } });
    });

    it('refuses a transfer without the MINT memo, a block that does not exist and a forgotten block with typed errors', async () => {
        cmc.setIdentity(alice);
        const block = await payCmc(ONE_ICP, 0x41455243n);
        expect(await cmc.notify_mint_cycles(notify(block))).toMatchObject({ Err: { InvalidTransaction: expect.stringContaining('Intent in the block (memo 1095062083)') } });
        expect(await cmc.notify_mint_cycles(notify(999n))).toEqual({ Err: { InvalidTransaction: 'Block 999 not found on the ICP ledger' } });
        expect(await cmc.notify_mint_cycles(notify(0n))).toEqual({ Err: { TransactionTooOld: 1n } });
    });

    it('refuses ICP transfers with a wrong fee, beyond the balance, outside the time window or duplicated', async () => {
        icp.setIdentity(bob);
        const to = hexBytes(accountIdentifier(alice.getPrincipal()));
        const base: IcpTransferArgsValue = { memo: 0n, amount: { e8s: ONE_ICP }, fee: { e8s: ICP_LEDGER_FEE_E8S }, from_subaccount: [], to, created_at_time: [] };
        expect(await icp.transfer(base)).toEqual({ Err: { InsufficientFunds: { balance: { e8s: 0n } } } });
        expect(await icp.transfer({ ...base, fee: { e8s: 1n } })).toEqual({ Err: { BadFee: { expected_fee: { e8s: ICP_LEDGER_FEE_E8S } } } });
        icp.setIdentity(alice);
        const now = BigInt(await pic.getTime()) * 1_000_000n;
        expect(await icp.transfer({ ...base, created_at_time: [{ timestamp_nanos: now - 25n * 3600n * 1_000_000_000n }] })).toHaveProperty('Err.TxTooOld');
        expect(await icp.transfer({ ...base, created_at_time: [{ timestamp_nanos: now + 3600n * 1_000_000_000n }] })).toEqual({ Err: { TxCreatedInFuture: null } });
        const timed = { ...base, to: hexBytes(accountIdentifier(bob.getPrincipal())), created_at_time: [{ timestamp_nanos: now }] as [{ timestamp_nanos: bigint }] };
        const sent = await icp.transfer(timed);
        if (!('Ok' in sent)) throw new Error('timed transfer failed');
        expect(await icp.transfer(timed)).toEqual({ Err: { TxDuplicate: { duplicate_of: sent.Ok } } });
        expect(await icp.icrc1_balance_of(account(bob.getPrincipal()))).toBe(ONE_ICP);
    });

    it('moves ICP to an ICRC-1 account with icrc1_transfer, with ICRC-1\'s errors', async () => {
        icp.setIdentity(alice);
        const carol = createIdentity('carol').getPrincipal();
        const base: TransferArgsValue = { from_subaccount: [], to: account(carol), amount: ONE_ICP, fee: [], memo: [], created_at_time: [] };
        const before = await icp.icrc1_balance_of(account(alice.getPrincipal()));
        expect(await icp.icrc1_transfer(base)).toHaveProperty('Ok');
        expect(await icp.icrc1_balance_of(account(carol))).toBe(ONE_ICP);
        expect(await icp.account_balance({ account: hexBytes(accountIdentifier(carol)) })).toEqual({ e8s: ONE_ICP });
        expect(await icp.icrc1_balance_of(account(alice.getPrincipal()))).toBe(before - ONE_ICP - ICP_LEDGER_FEE_E8S);
        expect(await icp.icrc1_transfer({ ...base, fee: [1n] })).toEqual({ Err: { BadFee: { expected_fee: ICP_LEDGER_FEE_E8S } } });
        icp.setIdentity(createIdentity('carol'));
        expect(await icp.icrc1_transfer({ ...base, to: account(alice.getPrincipal()), amount: ONE_ICP })).toEqual({ Err: { InsufficientFunds: { balance: ONE_ICP } } });
    });

    it('rejects a cycles ledger deposit of no more than the fee, and the cycles go back to the caller', async () => {
        const { actor: caller } = await deployCaller(pic);
        const arg = new Uint8Array(IDL.encode([DepositArgs], [{ to: account(bob.getPrincipal()), memo: [] }]));
        const failure = expectErr(await caller.callRaw(cyclesLedgerId, 'deposit', arg, CYCLES_LEDGER_FEE));
        expect(failure.message).toContain('is less than the cycles ledger fee');
        expect(failure.refunded).toBe(CYCLES_LEDGER_FEE);
    });
});

describe('Localnet > a network saved with the cycles ledger but no ICP ledger (npm start\'s addIcpMinting)', () => {
    let pic: PocketIc;
    afterAll(async () => {
        await pic.tearDown();
    });

    it('gets the seeded ICP ledger and a minting CMC; the cycles ledger keeps its balances', async () => {
        pic = await PocketIc.create(picUrl(), LOCAL_NETWORK_SUBNETS);
        const controller = alice.getPrincipal();
        const cmcId = Principal.fromText(CYCLES_MINTING_CANISTER_ID);
        const ledgerId = Principal.fromText(CYCLES_LEDGER_ID);
        // As such a network has them: the CMC with a small balance and no rate, the cycles ledger with alice's seed.
        await pic.createCanister({ sender: controller, targetCanisterId: cmcId, cycles: 10_000_000_000_000n });
        const oldCmcArg = IDL.encode([CmcInitArgs], [{ default_subnets: [], xdr_permyriad_per_icp: 0n, last_purged_notification: [] }]);
        await pic.installCode({ canisterId: cmcId, wasm: systemWasm('cmc'), arg: new Uint8Array(oldCmcArg), sender: controller });
        const init: LedgerArgsValue = { Init: { max_blocks_per_request: 100n, index_id: [], initial_balances: [[[account(controller), SEEDED_CYCLES]]] } };
        await pic.createCanister({ sender: controller, targetCanisterId: ledgerId, cycles: 10_000_000_000_000n + SEEDED_CYCLES });
        await pic.installCode({ canisterId: ledgerId, wasm: systemWasm('cycles_ledger'), arg: new Uint8Array(IDL.encode([LedgerArgs], [init])), sender: controller });
        await addIcpMinting(pic, controller, [controller]);
        await pic.tick(AZLE_SETTLE_TICKS);
        const icp = pic.createActor<IcpLedger>(icpLedgerIdl as never, Principal.fromText(ICP_LEDGER_ID));
        const cmc = pic.createActor<Cmc>(cmcIdl as never, cmcId);
        const cycles = pic.createActor<CyclesLedger>(cyclesLedgerIdl as never, ledgerId);
        expect(await icp.icrc1_balance_of(account(controller))).toBe(SEEDED_ICP_E8S);
        expect(await cycles.icrc1_balance_of(account(controller))).toBe(SEEDED_CYCLES);
        icp.setIdentity(alice);
        const sent = await icp.transfer({ memo: MEMO_MINT_CYCLES, amount: { e8s: ONE_ICP }, fee: { e8s: ICP_LEDGER_FEE_E8S }, from_subaccount: [], to: hexBytes(accountIdentifier(cmcId, principalSubaccount(controller))), created_at_time: [] });
        if (!('Ok' in sent)) throw new Error('transfer failed');
        cmc.setIdentity(alice);
        expect(await cmc.notify_mint_cycles(notify(sent.Ok))).toMatchObject({ Ok: { minted: ONE_ICP * XDR_PERMYRIAD_PER_ICP } });
        expect(await cycles.icrc1_balance_of(account(controller))).toBe(SEEDED_CYCLES + ONE_ICP * XDR_PERMYRIAD_PER_ICP - CYCLES_LEDGER_FEE);
    });
});
