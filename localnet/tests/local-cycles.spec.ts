/**
 * The cycles path of `npm start`'s network (cli/local-cycles.ts): canister creation on another
 * subnet through a subnet-addressed management call (NNS canisters only, as on the IC), and
 * the cycles minting canister and cycles ledger at their fixed ids that icp-cli creates
 * canisters through, with their typed errors.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { createIdentity, PocketIc, type Actor } from '@dfinity/pic';

import { deployLocalCycles, LOCAL_NETWORK_SUBNETS, SEEDED_CYCLES } from '../../cli/local-cycles';
import {
    Account,
    CmcCreateCanisterArgs,
    CmcCreateCanisterResult,
    CreateCanisterArgs,
    CreateCanisterResult,
    CYCLES_LEDGER_FEE,
    TransferArgs,
    TransferResult,
    type AccountValue,
    type CmcCreateCanisterArgsValue,
    type CmcCreateCanisterResultValue,
    type CreateCanisterArgsValue,
    type CreateCanisterResultValue,
    type TransferArgsValue,
    type TransferResultValue
} from '../system-canisters/common/interfaces';
import { expectErr } from '../../tests/integration/support/calls';
import { AZLE_SETTLE_TICKS, deployCaller } from '../../tests/integration/support/fixtures';
import { picUrl } from '../../tests/integration/support/server-handle';

jest.setTimeout(300_000);

type Ledger = {
    icrc1_balance_of: (account: AccountValue) => Promise<bigint>;
    icrc1_transfer: (arg: TransferArgsValue) => Promise<TransferResultValue>;
    create_canister: (arg: CreateCanisterArgsValue) => Promise<CreateCanisterResultValue>;
};
type Cmc = { get_default_subnets: () => Promise<Principal[]>; create_canister: (arg: CmcCreateCanisterArgsValue) => Promise<CmcCreateCanisterResultValue> };

const ledgerIdl: IDL.InterfaceFactory = () =>
    IDL.Service({
        icrc1_balance_of: IDL.Func([Account], [IDL.Nat], ['query']),
        icrc1_transfer: IDL.Func([TransferArgs], [TransferResult], []),
        create_canister: IDL.Func([CreateCanisterArgs], [CreateCanisterResult], [])
    });
const cmcIdl: IDL.InterfaceFactory = () =>
    IDL.Service({
        get_default_subnets: IDL.Func([], [IDL.Vec(IDL.Principal)], ['query']),
        create_canister: IDL.Func([CmcCreateCanisterArgs], [CmcCreateCanisterResult], [])
    });

const alice = createIdentity('alice');
const bob = createIdentity('bob');
const account = (owner: Principal): AccountValue => ({ owner, subaccount: [] });
const creation = (amount: bigint): CreateCanisterArgsValue => ({ from_subaccount: [], created_at_time: [], amount, creation_args: [] });
const CREATE_ARG = new Uint8Array(IDL.encode([IDL.Record({ settings: IDL.Opt(IDL.Reserved) })], [{ settings: [] }]));

describe('Localnet > the local cycles path (CMC, cycles ledger, cross-subnet creation)', () => {
    let pic: PocketIc;
    let ledger: Actor<Ledger>;
    let cmc: Actor<Cmc>;
    let application: Principal;
    let nns: Principal;

    beforeAll(async () => {
        pic = await PocketIc.create(picUrl(), LOCAL_NETWORK_SUBNETS);
        application = (await pic.getApplicationSubnets())[0]!.id;
        nns = (await pic.getNnsSubnet())!.id;
        const ids = await deployLocalCycles(pic, alice.getPrincipal(), [alice.getPrincipal()]);
        await pic.tick(AZLE_SETTLE_TICKS);
        ledger = pic.createActor<Ledger>(ledgerIdl as never, ids.cyclesLedger);
        cmc = pic.createActor<Cmc>(cmcIdl as never, ids.cmc);
    });
    afterAll(async () => {
        await pic.tearDown();
    });

    it('refuses create_canister addressed to another subnet by a canister outside the NNS subnet, and returns the cycles', async () => {
        const { actor: caller } = await deployCaller(pic, { targetSubnetId: application });
        const failure = expectErr(await caller.callRaw(nns, 'create_canister', CREATE_ARG, 1_000_000_000_000n));
        expect(failure.message).toBe('IC0504: Cannot create canister. Sender should be on the same subnet or on the NNS subnet.');
        expect(failure.refunded).toBe(1_000_000_000_000n);
    });

    it('answers the application subnet as its default subnet', async () => {
        expect((await cmc.get_default_subnets()).map((p) => p.toText())).toEqual([application.toText()]);
    });

    it('creates a canister on the application subnet from the caller\'s seeded balance, controlled by the caller, charging amount plus fee', async () => {
        ledger.setIdentity(alice);
        expect(await ledger.icrc1_balance_of(account(alice.getPrincipal()))).toBe(SEEDED_CYCLES);
        const result = await ledger.create_canister(creation(2_000_000_000_000n));
        if (!('Ok' in result)) throw new Error(`create_canister failed: ${JSON.stringify(result, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
        const created = result.Ok.canister_id;
        expect((await pic.getCanisterSubnetId(created))?.toText()).toBe(application.toText());
        expect((await pic.getControllers(created)).map((p) => p.toText())).toEqual([alice.getPrincipal().toText()]);
        // The application subnet's 500B creation fee comes out of the attached 2T.
        expect(BigInt(await pic.getCyclesBalance(created))).toBe(1_500_000_000_000n);
        expect(await ledger.icrc1_balance_of(account(alice.getPrincipal()))).toBe(SEEDED_CYCLES - 2_000_000_000_000n - CYCLES_LEDGER_FEE);
    });

    it('refuses a creation beyond the balance with InsufficientFunds and takes nothing', async () => {
        ledger.setIdentity(bob);
        expect(await ledger.create_canister(creation(1_000_000_000_000n))).toEqual({ Err: { InsufficientFunds: { balance: 0n } } });
        expect(await ledger.icrc1_balance_of(account(bob.getPrincipal()))).toBe(0n);
    });

    it('moves cycles between accounts with icrc1_transfer, burning the fee; the sender spends only its own account', async () => {
        ledger.setIdentity(alice);
        const before = await ledger.icrc1_balance_of(account(alice.getPrincipal()));
        const sent = await ledger.icrc1_transfer({ from_subaccount: [], to: account(bob.getPrincipal()), amount: 5_000_000_000_000n, fee: [], memo: [], created_at_time: [] });
        expect(sent).toHaveProperty('Ok');
        expect(await ledger.icrc1_balance_of(account(bob.getPrincipal()))).toBe(5_000_000_000_000n);
        expect(await ledger.icrc1_balance_of(account(alice.getPrincipal()))).toBe(before - 5_000_000_000_000n - CYCLES_LEDGER_FEE);
        ledger.setIdentity(bob);
        expect(await ledger.icrc1_transfer({ from_subaccount: [], to: account(alice.getPrincipal()), amount: 1n, fee: [1n], memo: [], created_at_time: [] })).toEqual({
            Err: { BadFee: { expected_fee: CYCLES_LEDGER_FEE } }
        });
        expect(await ledger.icrc1_transfer({ from_subaccount: [], to: account(alice.getPrincipal()), amount: 1n, fee: [], memo: [], created_at_time: [1n] })).toHaveProperty('Err.GenericError');
    });

    it('refuses a creation on a subnet that is not the network\'s, refunding the amount to the account (the fee is kept)', async () => {
        ledger.setIdentity(bob);
        const before = await ledger.icrc1_balance_of(account(bob.getPrincipal()));
        const result = await ledger.create_canister({ ...creation(1_000_000_000_000n), creation_args: [{ settings: [], subnet_selection: [{ Subnet: { subnet: nns } }] }] });
        expect(result).toMatchObject({ Err: { FailedToCreate: { error: expect.stringContaining(`subnet ${nns.toText()} is not one of this network's subnets`) } } });
        expect(await ledger.icrc1_balance_of(account(bob.getPrincipal()))).toBe(before - CYCLES_LEDGER_FEE);
    });

    it('answers a CMC create_canister without attached cycles (an ingress message) with Refunded', async () => {
        expect(await cmc.create_canister({ settings: [], subnet_selection: [], subnet_type: [] })).toEqual({ Err: { Refunded: { refund_amount: 0n, create_error: 'create_canister needs attached cycles' } } });
    });
});
