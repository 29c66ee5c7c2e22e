/**
 * The cycles path of a local IC network, as icp-cli expects it (`icp canister create` without
 * `--proxy`, `icp cycles balance`): the cycles minting canister and the cycles ledger at their
 * fixed ids (dfinity/icp-cli `crates/icp-canister-interfaces`), and a seeded ledger balance
 * for the given principals, as icp's own local networks seed every icp identity with 1 000 T
 * cycles (dfinity/icp-cli `crates/icp/src/network/managed/run.rs` `initialize_network`).
 * The canisters are in `localnet/system-canisters/` (what they do and do not implement is
 * written at the top of each). Used by `npm start`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { SubnetStateType, type CreateInstanceOptions, type PocketIc } from '@dfinity/pic';

import { CmcInitArgs, CYCLES_LEDGER_ID, CYCLES_MINTING_CANISTER_ID, LedgerArgs, type LedgerArgsValue } from '../localnet/system-canisters/common/interfaces';
import { SYSTEM_CANISTERS_DIR } from './deploy';

/** What icp's local networks seed each identity with. */
export const SEEDED_CYCLES = 1_000_000_000_000_000n;
/** The ledger's own cycles beyond the balances it backs: its executions and ingress. */
const LEDGER_OPERATING_CYCLES = 10_000_000_000_000n;
const CMC_CYCLES = 10_000_000_000_000n;

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

function systemWasm(name: string): Uint8Array {
    const path = resolve(SYSTEM_CANISTERS_DIR, '.azle', name, `${name}.wasm`);
    if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build`);
    return new Uint8Array(readFileSync(path));
}

export type LocalCycles = { cmc: Principal; cyclesLedger: Principal; seeded: Principal[] };

/** Whether the network has the canister ranges of the CMC and the cycles ledger (networks saved before it did have not). */
export async function hasCyclesSubnets(pic: PocketIc): Promise<boolean> {
    return (await pic.getNnsSubnet()) !== undefined && (await pic.getFiduciarySubnet()) !== undefined;
}

/**
 * Creates the CMC and the cycles ledger at their fixed ids, controlled by `controller`; the
 * CMC names the network's application subnets as its default subnets, and the ledger starts
 * with {@link SEEDED_CYCLES} for each of `seeded`, backed by the cycles it is created with.
 */
export async function deployLocalCycles(pic: PocketIc, controller: Principal, seeded: Principal[]): Promise<LocalCycles> {
    const cmc = Principal.fromText(CYCLES_MINTING_CANISTER_ID);
    const cyclesLedger = Principal.fromText(CYCLES_LEDGER_ID);
    const subnets = (await pic.getApplicationSubnets()).map((s) => s.id);
    await pic.createCanister({ sender: controller, targetCanisterId: cmc, cycles: CMC_CYCLES });
    await pic.installCode({ canisterId: cmc, wasm: systemWasm('cmc'), arg: new Uint8Array(IDL.encode([CmcInitArgs], [{ default_subnets: subnets }])), sender: controller });
    const init: LedgerArgsValue = {
        Init: { max_blocks_per_request: 100n, index_id: [], initial_balances: [seeded.map((owner) => [{ owner, subaccount: [] }, SEEDED_CYCLES])] }
    };
    await pic.createCanister({ sender: controller, targetCanisterId: cyclesLedger, cycles: LEDGER_OPERATING_CYCLES + SEEDED_CYCLES * BigInt(seeded.length) });
    await pic.installCode({ canisterId: cyclesLedger, wasm: systemWasm('cycles_ledger'), arg: new Uint8Array(IDL.encode([LedgerArgs], [init])), sender: controller });
    return { cmc, cyclesLedger, seeded };
}
