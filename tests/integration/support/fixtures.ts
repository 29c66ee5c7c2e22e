/**
 * The localnet conformance fixtures (`localnet/tests/fixtures/`): wasm paths and bytes, their
 * IDL factories and service types (one definition each, shared with the canister source), and
 * deploy helpers.
 *
 * Build them first: `npx tsx scripts/build-canisters.ts --project localnet/tests/fixtures`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';
import type { CanisterFixture, PocketIc } from '@dfinity/pic';

import { callerIdlFactory } from '../../../localnet/tests/fixtures/caller/interface';
import type { CallerService } from '../../../localnet/tests/fixtures/caller/interface';
import { composerIdlFactory } from '../../../localnet/tests/fixtures/composer/interface';
import type { ComposerService } from '../../../localnet/tests/fixtures/composer/interface';
import { counterIdlFactory, lifecycleArgTypes } from '../../../localnet/tests/fixtures/counter/interface';
import type { CounterService } from '../../../localnet/tests/fixtures/counter/interface';
import { fillerIdlFactory } from '../../../localnet/tests/fixtures/filler/interface';
import type { FillerService } from '../../../localnet/tests/fixtures/filler/interface';
import { tickerIdlFactory } from '../../../localnet/tests/fixtures/ticker/interface';
import type { TickerService } from '../../../localnet/tests/fixtures/ticker/interface';

export type { CallerService, CallOutcome } from '../../../localnet/tests/fixtures/caller/interface';
export type { ComposerService, QueryOutcome } from '../../../localnet/tests/fixtures/composer/interface';
export type { CounterService } from '../../../localnet/tests/fixtures/counter/interface';
export type { FillerService } from '../../../localnet/tests/fixtures/filler/interface';
export type { TickerService } from '../../../localnet/tests/fixtures/ticker/interface';
export { TRAP_LABEL } from '../../../localnet/tests/fixtures/counter/interface';
export { fillerValue } from '../../../localnet/tests/fixtures/filler/interface';

const FIXTURES_DIR = resolve(__dirname, '..', '..', '..', 'localnet', 'tests', 'fixtures');

export const FIXTURE_NAMES = ['counter', 'caller', 'ticker', 'filler', 'composer'] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];

/** The IDL factory type pic-js expects (its own `@icp-sdk/core` flavour of Candid). */
type PicIdlFactory = Parameters<PocketIc['createActor']>[0];

/** The fixtures' factories take any Candid IDL namespace, so pic-js's own (`@icp-sdk/core`) fits. */
export const idlFactories = {
    counter: counterIdlFactory,
    caller: callerIdlFactory,
    ticker: tickerIdlFactory,
    filler: fillerIdlFactory,
    composer: composerIdlFactory
} as const satisfies Record<FixtureName, PicIdlFactory>;

/** Absolute path of a fixture's wasm; throws with the build command when it is missing. */
export function fixtureWasmPath(name: FixtureName): string {
    const path = resolve(FIXTURES_DIR, '.azle', name, `${name}.wasm`);
    if (!existsSync(path)) {
        throw new Error(`fixture wasm ${path} is missing: run npx tsx scripts/build-canisters.ts --project localnet/tests/fixtures`);
    }
    return path;
}

const wasmCache = new Map<FixtureName, Uint8Array>();

/** The bytes of a fixture's wasm (read once per test file). */
export function fixtureWasm(name: FixtureName): Uint8Array {
    const cached = wasmCache.get(name);
    if (cached !== undefined) return cached;
    const bytes = new Uint8Array(readFileSync(fixtureWasmPath(name)));
    wasmCache.set(name, bytes);
    return bytes;
}

/** The Candid-encoded init / post_upgrade argument of `counter`: `opt label`. */
export function counterArg(label?: string): Uint8Array {
    return new Uint8Array(IDL.encode(lifecycleArgTypes(IDL), [label === undefined ? [] : [label]]));
}

type DeployOptions = { sender?: Principal; controllers?: Principal[]; cycles?: bigint; targetSubnetId?: Principal };

/** Creates a canister and installs `counter` with init argument `opt label`. */
export async function deployCounter(
    pic: PocketIc,
    options: DeployOptions & { label?: string } = {}
): Promise<CanisterFixture<CounterService>> {
    const { label, ...settings } = options;
    return await pic.setupCanister<CounterService>({
        idlFactory: idlFactories.counter,
        wasm: fixtureWasm('counter'),
        arg: counterArg(label),
        ...settings
    });
}

/** Creates a canister and installs `caller`. */
export async function deployCaller(pic: PocketIc, options: DeployOptions = {}): Promise<CanisterFixture<CallerService>> {
    return await pic.setupCanister<CallerService>({ idlFactory: idlFactories.caller, wasm: fixtureWasm('caller'), ...options });
}

/** Creates a canister and installs `ticker`. */
export async function deployTicker(pic: PocketIc, options: DeployOptions = {}): Promise<CanisterFixture<TickerService>> {
    return await pic.setupCanister<TickerService>({ idlFactory: idlFactories.ticker, wasm: fixtureWasm('ticker'), ...options });
}

/** Creates a canister and installs `filler`. */
export async function deployFiller(pic: PocketIc, options: DeployOptions = {}): Promise<CanisterFixture<FillerService>> {
    return await pic.setupCanister<FillerService>({ idlFactory: idlFactories.filler, wasm: fixtureWasm('filler'), ...options });
}

/** Creates a canister and installs `composer`. */
export async function deployComposer(pic: PocketIc, options: DeployOptions = {}): Promise<CanisterFixture<ComposerService>> {
    return await pic.setupCanister<ComposerService>({ idlFactory: idlFactories.composer, wasm: fixtureWasm('composer'), ...options });
}

/**
 * Rounds to run after an Azle install before measuring anything round-sensitive: Azle's
 * init/post_upgrade arms a zero-delay timer that fetches `raw_rand` (global timer, a self-call
 * and a management call).
 */
export const AZLE_SETTLE_TICKS = 5;
