/**
 * The cycles path of a local IC network, as icp-cli expects it (`icp canister create` without
 * `--proxy`, `icp cycles balance`, `icp cycles mint`, `icp token balance`): the cycles minting
 * canister, the cycles ledger and the ICP ledger at their fixed ids (dfinity/icp-cli
 * `crates/icp-canister-interfaces`), and seeded balances for the given principals, as icp's
 * own local networks seed every icp identity with 1 000 000 ICP and 1 000 T cycles
 * (dfinity/icp-cli `docs/guides/containerized-networks.md`, "Seeding amounts per identity").
 * The canisters are in `localnet/system-canisters/` (what they do and do not implement is
 * written at the top of each). Used by `npm start`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { SubnetStateType, type CreateInstanceOptions, type PocketIc } from '@dfinity/pic';

import { CmcInitArgs, CYCLES_LEDGER_ID, CYCLES_MINTING_CANISTER_ID, LedgerArgs, type CmcInitArgsValue, type LedgerArgsValue } from '../localnet/system-canisters/common/interfaces';
import { ICP_LEDGER_ID, IcpLedgerInitArgs } from '../localnet/system-canisters/common/icp-interfaces';
import { accountIdentifier } from '../localnet/system-canisters/icp-ledger/account-id';
import { SYSTEM_CANISTERS_DIR } from './deploy';

/** What icp's local networks seed each identity with. */
export const SEEDED_CYCLES = 1_000_000_000_000_000n;
/** What icp's local networks seed each identity with: 1 000 000 ICP, in e8s. */
export const SEEDED_ICP_E8S = 100_000_000_000_000n;
/**
 * The CMC's ICP/XDR rate here: 3.5 XDR per ICP, so 1 ICP mints 3.5 T cycles (a fixed,
 * mainnet-like figure; the IC's CMC follows the exchange rate canister).
 */
export const XDR_PERMYRIAD_PER_ICP = 35_000n;
/** The ledger's own cycles beyond the balances it backs: its executions and ingress. */
const LEDGER_OPERATING_CYCLES = 10_000_000_000_000n;
/** The CMC's cycles: its executions, plus the reserve `notify_mint_cycles` mints from (100 000 T, about 28 000 ICP's worth). */
const CMC_CYCLES = 100_010_000_000_000_000n;

/**
 * The subnets of `npm start`'s network: the application subnet the DeFlow canisters live on
 * (first, so their ids are the same as on a network with only that subnet), and the NNS and
 * fiduciary subnets whose canister ranges hold the CMC's and the cycles ledger's fixed ids.
 */
export const LOCAL_NETWORK_SUBNETS: CreateInstanceOptions = {
    application: [{ state: { type: SubnetStateType.New } }],
    nns: { state: { type: SubnetStateType.New } },
    fiduciary: { state: { type: SubnetStateType.New } }
};

export function systemWasm(name: string): Uint8Array {
    const path = resolve(SYSTEM_CANISTERS_DIR, '.azle', name, `${name}.wasm`);
    if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build`);
    return new Uint8Array(readFileSync(path));
}

export type LocalCycles = { cmc: Principal; cyclesLedger: Principal; icpLedger: Principal; seeded: Principal[] };

/** Whether the network has the canister ranges of the CMC and the cycles ledger (networks saved before it did have not). */
export async function hasCyclesSubnets(pic: PocketIc): Promise<boolean> {
    return (await pic.getNnsSubnet()) !== undefined && (await pic.getFiduciarySubnet()) !== undefined;
}

/** The CMC's install argument: the network's application subnets, {@link XDR_PERMYRIAD_PER_ICP}, and no block forgotten unless `lastPurged`. */
async function cmcInitArg(pic: PocketIc, lastPurged?: bigint): Promise<Uint8Array> {
    const arg: CmcInitArgsValue = {
        default_subnets: (await pic.getApplicationSubnets()).map((s) => s.id),
        xdr_permyriad_per_icp: XDR_PERMYRIAD_PER_ICP,
        last_purged_notification: lastPurged === undefined ? [] : [lastPurged]
    };
    return new Uint8Array(IDL.encode([CmcInitArgs], [arg]));
}

/** Creates the ICP ledger at its fixed id with {@link SEEDED_ICP_E8S} for each of `seeded`. */
async function deployIcpLedger(pic: PocketIc, controller: Principal, seeded: Principal[]): Promise<Principal> {
    const icpLedger = Principal.fromText(ICP_LEDGER_ID);
    await pic.createCanister({ sender: controller, targetCanisterId: icpLedger, cycles: LEDGER_OPERATING_CYCLES });
    const arg = IDL.encode([IcpLedgerInitArgs], [{ initial_values: seeded.map((owner) => [accountIdentifier(owner), { e8s: SEEDED_ICP_E8S }]) }]);
    await pic.installCode({ canisterId: icpLedger, wasm: systemWasm('icp_ledger'), arg: new Uint8Array(arg), sender: controller });
    return icpLedger;
}

/**
 * Creates the CMC, the cycles ledger and the ICP ledger at their fixed ids, controlled by
 * `controller`; the CMC names the network's application subnets as its default subnets and
 * mints at {@link XDR_PERMYRIAD_PER_ICP} (`options.lastPurged`: the CMC starts with blocks
 * up to it forgotten); the cycles ledger starts with {@link SEEDED_CYCLES} for each of
 * `seeded`, backed by the cycles it is created with, the ICP ledger with {@link SEEDED_ICP_E8S}.
 */
export async function deployLocalCycles(pic: PocketIc, controller: Principal, seeded: Principal[], options: { lastPurged?: bigint } = {}): Promise<LocalCycles> {
    const cmc = Principal.fromText(CYCLES_MINTING_CANISTER_ID);
    const cyclesLedger = Principal.fromText(CYCLES_LEDGER_ID);
    await pic.createCanister({ sender: controller, targetCanisterId: cmc, cycles: CMC_CYCLES });
    await pic.installCode({ canisterId: cmc, wasm: systemWasm('cmc'), arg: await cmcInitArg(pic, options.lastPurged), sender: controller });
    const init: LedgerArgsValue = {
        Init: { max_blocks_per_request: 100n, index_id: [], initial_balances: [seeded.map((owner) => [{ owner, subaccount: [] }, SEEDED_CYCLES])] }
    };
    await pic.createCanister({ sender: controller, targetCanisterId: cyclesLedger, cycles: LEDGER_OPERATING_CYCLES + SEEDED_CYCLES * BigInt(seeded.length) });
    await pic.installCode({ canisterId: cyclesLedger, wasm: systemWasm('cycles_ledger'), arg: new Uint8Array(IDL.encode([LedgerArgs], [init])), sender: controller });
    const icpLedger = await deployIcpLedger(pic, controller, seeded);
    return { cmc, cyclesLedger, icpLedger, seeded };
}

/**
 * Brings a network saved before it had an ICP ledger up to minting: creates the ICP ledger
 * (seeded for `seeded`), reinstalls the CMC (its state is configuration only; it gets the
 * minting reserve) and upgrades the cycles ledger, whose balances stay.
 */
export async function addIcpMinting(pic: PocketIc, controller: Principal, seeded: Principal[]): Promise<void> {
    const cmc = Principal.fromText(CYCLES_MINTING_CANISTER_ID);
    await pic.addCycles(cmc, CMC_CYCLES);
    await pic.reinstallCode({ canisterId: cmc, wasm: systemWasm('cmc'), arg: await cmcInitArg(pic), sender: controller });
    const upgrade: LedgerArgsValue = { Upgrade: [] };
    await pic.upgradeCanister({ canisterId: Principal.fromText(CYCLES_LEDGER_ID), wasm: systemWasm('cycles_ledger'), arg: new Uint8Array(IDL.encode([LedgerArgs], [upgrade])), sender: controller });
    await deployIcpLedger(pic, controller, seeded);
}
