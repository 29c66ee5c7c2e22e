/**
 * The PocketIC server a drill or benchmark runs on: the binary `POCKET_IC_BIN` names (a real
 * PocketIC works unchanged), else the project's own `deflow-localnet`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { PocketIcServer } from '@dfinity/pic';

const PROJECT_ROOT = resolve(__dirname, '..');
const LOCALNET_BIN = resolve(PROJECT_ROOT, 'node_modules', '.bin', 'deflow-localnet');
/** The package binary itself, for a checkout whose `node_modules/.bin` link predates it. */
const LOCALNET_SOURCE_BIN = resolve(PROJECT_ROOT, 'localnet', 'bin', 'deflow-localnet.js');

/** The server binary to start. */
export function pocketIcBin(): string {
    const configured = process.env.POCKET_IC_BIN;
    if (configured !== undefined && configured !== '') return configured;
    return existsSync(LOCALNET_BIN) ? LOCALNET_BIN : LOCALNET_SOURCE_BIN;
}

/** Starts the server with the stock pic-js client. Stop it with `server.stop()`. */
export async function startDrillServer(): Promise<PocketIcServer> {
    return await PocketIcServer.start({ binPath: pocketIcBin(), showCanisterLogs: process.env.PIC_SHOW_CANISTER_LOGS === '1' });
}
